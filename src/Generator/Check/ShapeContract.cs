using System.Collections.Generic;
using System.Text.RegularExpressions;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// A method's declared shapes (<c>[Shape]</c> on its parameters and return value) matched against the shapes that
/// flow into it. A name that is not a hyperparameter is the contract's own symbol: bound by its first use, equal
/// everywhere after. Comparisons the generator cannot decide become guards, as elsewhere.
/// </summary>
internal sealed class ShapeContract(CheckContext context)
{
    private static readonly Regex Identifier = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
    private readonly Dictionary<string, Dim> _bound = new(System.StringComparer.Ordinal);

    /// <summary>Matches a parameter's declared shape with the shape it receives; null when they fit, else why not.</summary>
    public string? Match(EquatableArray<ArgValue> declared, EquatableArray<Dim> actual, string guardMessage)
    {
        if (declared.Count != actual.Count)
            return $"rank {declared.Count}";
        for (var i = 0; i < declared.Count; i++)
        {
            var arg = declared[i];
            if (arg.Kind == ArgKind.String && Identifier.IsMatch(arg.Text.Trim()) is var isName && isName
                && !_bound.ContainsKey(arg.Text.Trim()) && context.ResolveHyperparameter(arg.Text.Trim()) is null)
            {
                _bound[arg.Text.Trim()] = actual[i];
                continue;
            }

            var dim = Read(arg, out var problem);
            if (dim is null)
                return problem;
            if (!context.CheckEqual(actual[i], dim, guardMessage))
                return $"dim {i} = {dim}";
        }

        return null;
    }

    /// <summary>The declared return shape in the model's terms; null with the reason when a name is not bound.</summary>
    public EquatableArray<Dim>? Resolve(EquatableArray<ArgValue> declared, out string? problem)
    {
        problem = null;
        var dims = new List<Dim>();
        foreach (var arg in declared)
        {
            var dim = Read(arg, out problem);
            if (dim is null)
                return null;
            dims.Add(dim);
        }

        return dims.ToEquatableArray();
    }

    private Dim? Read(ArgValue arg, out string? problem)
    {
        problem = null;
        if (arg.Kind == ArgKind.Int && long.TryParse(arg.Text, out var value) && value > 0)
            return Dim.Const(value);
        if (arg.Kind != ArgKind.String)
        {
            problem = $"a dim must be a positive integer or a name, not {CheckContext.Describe(arg)}";
            return null;
        }

        var parsed = DimExpression.Parse(arg.Text, name => _bound.TryGetValue(name, out var bound) ? bound : context.ResolveHyperparameter(name));
        if (parsed.UnknownIdentifier is { } unknown)
            problem = $"'{unknown}' is neither a hyperparameter nor bound by a parameter's shape";
        else if (parsed.Error is { } error)
            problem = $"\"{arg.Text}\" is not a valid integer expression: {error}";
        return parsed.Dim;
    }
}
