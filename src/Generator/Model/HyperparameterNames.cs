using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Model;

/// <summary>
/// Each constructor hyperparameter is exposed as a read-only property in PascalCase (<c>blockSize</c> →
/// <c>BlockSize</c>) unless the class already has a member of that name; then generated code keeps it in a
/// private field (<c>_blockSize</c>).
/// </summary>
internal static class HyperparameterNames
{
    public static string? Property(ModelSpec spec, string parameter)
    {
        if (parameter.Length == 0)
            return null;
        var name = char.ToUpperInvariant(parameter[0]) + parameter.Substring(1);
        var taken = name == spec.Name || spec.MemberNames.Contains(name) || spec.Parameters.Count(p => p.Name.Length > 0 && char.ToUpperInvariant(p.Name[0]) + p.Name.Substring(1) == name) > 1
            || name is "ParameterCount" or "Summary" or "Forward" or "ForwardAt" or "ExportOnnx" or "LayerCount" or "ForwardColumn" or "CreateLateralAdapters";
        return taken ? null : name;
    }

    /// <summary>The property, or a private field whose name no layer field (<c>_hidden</c> for <c>Hidden</c>) takes.</summary>
    public static string Accessor(ModelSpec spec, string parameter)
    {
        if (Property(spec, parameter) is { } property)
            return property;
        var layerFields = spec.Members.Select(m => Naming.FieldName(m.Name));
        var field = "_" + parameter;
        while (layerFields.Contains(field) || spec.MemberNames.Contains(field))
            field += "Value";
        return field;
    }
}
