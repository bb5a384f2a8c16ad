using System.Collections.Generic;

namespace ModelDsl.Generator.Model;

/// <summary>
/// A repair the generator computed for a diagnostic, for ModelDsl's code fix: set one argument of an attribute, or add
/// a using directive. Keys and kinds are shared with the code fix through these constants.
/// </summary>
internal sealed record Fix(IReadOnlyList<DiagnosticProperty> Properties, LocationInfo? Target)
{
    public const string KindKey = "ModelDsl.Fix";
    public const string SetArgumentKind = "SetArgument";
    public const string AddUsingKind = "AddUsing";
    public const string ArgumentKey = "Argument";
    public const string IndexKey = "Index";
    public const string ValueKey = "Value";
    public const string NamespaceKey = "Namespace";

    /// <summary>
    /// Sets the argument <paramref name="argument"/> (a property name; for a params array, its item
    /// <paramref name="index"/>) of the attribute at <paramref name="target"/> to <paramref name="value"/>, an integer or
    /// a hyperparameter expression.
    /// </summary>
    public static Fix SetArgument(LocationInfo? target, string argument, string value, int? index = null)
    {
        var properties = new List<DiagnosticProperty> { new(KindKey, SetArgumentKind), new(ArgumentKey, argument), new(ValueKey, value) };
        if (index is { } i)
            properties.Add(new DiagnosticProperty(IndexKey, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new Fix(properties, target);
    }

    public static Fix AddUsing(string ns) => new(new[] { new DiagnosticProperty(KindKey, AddUsingKind), new DiagnosticProperty(NamespaceKey, ns) }, null);
}
