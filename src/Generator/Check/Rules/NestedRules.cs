using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check.Rules;

/// <summary>
/// A nested <c>[Model]</c> used as a layer: its hyperparameters are bound to this model's arguments, its
/// declared input shapes are unified with the values it receives, and its own checks run in those terms.
/// </summary>
internal static class NestedRules
{
    public static StepResult? Nested(CheckContext context, StepInput input, TapTable taps)
    {
        var step = input.Step;
        var member = input.Member;
        var nested = member.Nested;
        if (nested is null)
        {
            context.Report(DiagnosticDescriptors.LayerTypeMismatch, input.Location, member.Name, $"[Nested] needs a property whose type is a [Model] class (or ModuleList<T> of one with Repeat), not '{member.TypeName}'");
            return null;
        }

        // The generated constructor creates the nested model, so it must be able to call its constructor.
        if (nested.ConstructorModifiers is { } modifiers && !modifiers.Split(' ').Any(m => m is "public" or "internal"))
        {
            context.Report(DiagnosticDescriptors.NestedModelMismatch, input.Location, member.Name, nested.Name,
                $"its constructor is {(modifiers.Length == 0 ? "private (no accessibility declared)" : modifiers)}; make it public or internal so '{context.Spec.Name}' can create it");
            return null;
        }

        // A property other assemblies see cannot have a type they do not.
        var words = member.Modifiers.Split(' ');
        if (!nested.IsPublic && context.Spec.IsPublic && (words.Contains("public") || (words.Contains("protected") && !words.Contains("private"))))
        {
            context.Report(DiagnosticDescriptors.NestedModelMismatch, input.Location, member.Name, nested.Name,
                $"it is less accessible than the {member.Modifiers} property '{member.Name}'; make the model public or the property internal");
            return null;
        }

        var repeatArg = step.Get("Repeat");
        var isList = member.TypeMetadataName == Parse.KnownNames.ModuleList;
        var repeat = repeatArg is null || repeatArg.Kind == ArgKind.Null ? null : context.ReadDim(step, repeatArg, "Repeat", member.Name);
        if (isList != (repeatArg is not null && repeatArg.Kind != ArgKind.Null))
        {
            context.Report(DiagnosticDescriptors.LayerTypeMismatch, input.Location, member.Name,
                isList ? "a ModuleList<T> member needs [Nested(..., Repeat = n)]" : $"Repeat needs the property type ModuleList<{nested.Name}>");
            return null;
        }

        if (isList && repeat is null)
            return null;

        var (binding, constructorArgs) = BindArguments(context, input, nested);
        if (binding is null)
            return null;

        var shapes = new List<EquatableArray<Dim>> { input.Shape };
        var extraVariables = new List<string>();
        var inputsArg = step.Get("Inputs");
        foreach (var name in inputsArg?.Items ?? EquatableArray<ArgValue>.Empty)
        {
            var tap = taps.Require(context, input, name.Text);
            if (tap is null)
                return null;

            shapes.Add(tap.Shape);
            extraVariables.Add(tap.Variable);
        }

        if (nested.Forward is null || nested.Forward.Inputs.Count != shapes.Count)
        {
            context.Report(DiagnosticDescriptors.NestedModelMismatch, input.Location, member.Name, nested.Name,
                $"its Forward takes {nested.Forward?.Inputs.Count ?? 0} argument(s) but receives {shapes.Count} (the flowing value plus Inputs)");
            return null;
        }

        var (nestedContext, plan) = ModelChecker.CheckNested(nested, name => binding.TryGetValue(name, out var dim) ? dim : null, shapes);
        if (plan is null)
        {
            var first = nestedContext.Diagnostics.FirstOrDefault();
            // The nested model's own mismatch message already says what does not fit; other errors are quoted whole.
            var detail = first is null ? "it does not check"
                : first.Descriptor == DiagnosticDescriptors.NestedModelMismatch ? first.Arguments[2]
                : string.Format(System.Globalization.CultureInfo.InvariantCulture, first.Descriptor.MessageFormat.ToString(), first.Arguments.Cast<object>().ToArray());
            context.Report(DiagnosticDescriptors.NestedModelMismatch, input.Location, member.Name, nested.Name, detail);
            return null;
        }

        // The nested model knows nothing of this model's input dims: a guard mentioning one runs in Forward.
        foreach (var guard in nestedContext.Guards)
        {
            var atForward = guard.AtForward || !context.IsKnownAtConstruction(guard.Left) || !context.IsKnownAtConstruction(guard.Right);
            context.AddGuard(guard with { Message = nested.Name + " '" + member.Name + "': " + guard.Message, AtForward = atForward });
        }

        var output = plan.OutputShape;
        var parameters = plan.ParameterCount;
        // Its layers are sized by what it receives: an input dim of this model would size them only in Forward.
        if (!context.IsKnownAtConstruction(parameters))
        {
            context.Report(DiagnosticDescriptors.SizeNotKnownAtConstruction, input.Location, nested.Name, member.Name, "parameter count", parameters);
            return null;
        }

        if (repeat is not null)
        {
            if (!(repeat.IsConstant && repeat.Value == 1) && !context.CheckShapesEqual(output, input.Shape, $"'{member.Name}' repeats '{nested.Name}', which must keep {ShapeText.Format(input.Shape)}"))
            {
                context.Report(DiagnosticDescriptors.RepeatChangesShape, input.Location, member.Name, nested.Name, ShapeText.Format(input.Shape), ShapeText.Format(output));
                return null;
            }

            parameters *= repeat;
        }

        var layer = new LayerPlan("Nested", constructorArgs.ToEquatableArray(), nested.FullyQualifiedName, repeat);
        var op = new OpPlan("Layer", extraVariables.Select((v, i) => OpArg.Code("input" + i, v)).ToEquatableArray(), output);
        return new StepResult(output, op, layer, parameters);
    }

    private static (Dictionary<string, Dim>? Binding, List<OpArg> Args) BindArguments(CheckContext context, StepInput input, ModelSpec nested)
    {
        var step = input.Step;
        var member = input.Member.Name;
        var raw = step.Positional.Count == 1 && step.Positional[0].Kind == ArgKind.Array ? step.Positional[0].Items : step.Positional;
        var args = new List<OpArg>();
        if (raw.Count != nested.Parameters.Count)
        {
            var expected = string.Join(", ", nested.Parameters.Select(p => CheckContext.ShortType(p.Type) + " " + p.Name));
            context.Report(DiagnosticDescriptors.NestedModelMismatch, input.Location, member, nested.Name,
                $"its constructor takes {nested.Parameters.Count} argument(s) ({expected}) but [Nested] gives {raw.Count}");
            return (null, args);
        }

        var binding = new Dictionary<string, Dim>(System.StringComparer.Ordinal);
        for (var i = 0; i < raw.Count; i++)
        {
            var parameter = nested.Parameters[i];
            var type = CheckContext.ShortType(parameter.Type);
            if (CheckContext.IsInteger(type))
            {
                var dim = context.ReadDim(step, raw[i], parameter.Name, member, positive: false);
                if (dim is null)
                    return (null, args);
                if (dim.IsConstant && Range(type) is var (min, max) && (dim.Value < min || dim.Value > max))
                {
                    context.Report(DiagnosticDescriptors.NestedModelMismatch, input.Location, member, nested.Name,
                        $"argument {i + 1} for '{parameter.Name}' ({type}) must be between {min} and {max}, not {dim.Value}");
                    return (null, args);
                }

                binding[parameter.Name] = dim;
                args.Add(OpArg.Of(parameter.Name, dim) with { Conversion = NeedsConversion(context, dim, type) ? parameter.Type : null });
            }
            else if (type is "double" or "float")
            {
                var rate = context.ReadRate(step, raw[i], parameter.Name, member, double.MinValue, double.MaxValue);
                if (rate is null)
                    return (null, args);
                // A real literal or hyperparameter is a double, which converts to float only explicitly.
                args.Add(rate with { Name = parameter.Name, Conversion = type == "float" ? parameter.Type : null });
            }
            else if (type == "bool" && raw[i].Kind == ArgKind.Bool)
            {
                args.Add(OpArg.Code(parameter.Name, raw[i].Text));
            }
            else
            {
                context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, "Nested", member,
                    $"argument {i + 1} for '{parameter.Name}' ({type}) must be {(type == "bool" ? "true or false" : "a constant or a hyperparameter of this model")}");
                return (null, args);
            }
        }

        return (binding, args);
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
