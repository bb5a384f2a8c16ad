using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>Binds <c>[Nested(args)]</c> to the nested model's constructor parameters, in order.</summary>
internal static class NestedArguments
{
    public static (Dictionary<string, Dim>? Binding, EquatableArray<NestedArgument> Arguments) Bind(StepContext s, ModelSpec nested)
    {
        var raw = s.Items(nameof(NestedAttribute.Args));
        var args = new List<NestedArgument>();
        if (raw.Count != nested.Parameters.Count)
        {
            var expected = string.Join(", ", nested.Parameters.Select(p => CheckContext.ShortType(p.Type) + " " + p.Name));
            s.Report(DiagnosticDescriptors.NestedArgumentMismatch, s.MemberName, nested.Name,
                $"its constructor takes {nested.Parameters.Count} argument(s) ({expected}) but [Nested] gives {raw.Count}");
            return (null, default);
        }

        var binding = new Dictionary<string, Dim>(System.StringComparer.Ordinal);
        for (var i = 0; i < raw.Count; i++)
        {
            var parameter = nested.Parameters[i];
            var type = CheckContext.ShortType(parameter.Type);
            if (CheckContext.IsInteger(type))
            {
                var dim = s.Model.ReadDim(s.Step, raw[i], parameter.Name, s.MemberName, positive: false);
                if (dim is null)
                    return (null, default);
                if (dim.IsConstant && Range(type) is var (min, max) && (dim.Value < min || dim.Value > max))
                {
                    s.Report(DiagnosticDescriptors.NestedArgumentMismatch, s.MemberName, nested.Name,
                        $"argument {i + 1} for '{parameter.Name}' ({type}) must be between {min} and {max}, not {dim.Value}");
                    return (null, default);
                }

                binding[parameter.Name] = dim;
                args.Add(new NestedArgument(parameter.Name, dim, null, null, NeedsConversion(s.Model, dim, type) ? parameter.Type : null));
            }
            else if (type is "double" or "float")
            {
                var rate = s.Model.ReadRate(s.Step, raw[i], parameter.Name, s.MemberName, double.MinValue, double.MaxValue);
                if (rate is null)
                    return (null, default);
                // A real literal or hyperparameter is a double, which converts to float only explicitly.
                args.Add(new NestedArgument(parameter.Name, null, rate, null, type == "float" ? parameter.Type : null));
            }
            else if (type == "bool" && raw[i].Kind == ArgKind.Bool)
            {
                args.Add(new NestedArgument(parameter.Name, null, null, raw[i].Text == "true", null));
            }
            else
            {
                s.Report(DiagnosticDescriptors.ArgumentType, "Nested", s.MemberName,
                    $"argument {i + 1} for '{parameter.Name}' ({type}) must be {(type == "bool" ? "true or false" : "a constant or a hyperparameter of this model")}");
                return (null, default);
            }
        }

        return (binding, args.ToEquatableArray());
    }

    private static (long Min, long Max) Range(string type) => type switch
    {
        "byte" => (byte.MinValue, byte.MaxValue),
        "sbyte" => (sbyte.MinValue, sbyte.MaxValue),
        "short" => (short.MinValue, short.MaxValue),
        "ushort" => (ushort.MinValue, ushort.MaxValue),
        "uint" => (uint.MinValue, uint.MaxValue),
        "long" => (long.MinValue, long.MaxValue),
        _ => (int.MinValue, int.MaxValue),
    };

    // An integer argument is written as an expression of this model's hyperparameters: an int when they are ints
    // (or narrower) and its coefficients fit, else a long. A constant in range converts implicitly; anything else
    // narrower than the expression is converted, checked, in the constructor.
    private static bool NeedsConversion(CheckContext context, Dim dim, string type)
    {
        if (dim.IsConstant || type == "long")
            return false;
        var intExpression = dim.HasIntCoefficients && dim.Symbols.All(s => context.Spec.Parameters.Any(p => p.Name == s && CheckContext.ShortType(p.Type) is "int" or "short" or "ushort" or "byte" or "sbyte"));
        return type != "int" || !intExpression;
    }
}
