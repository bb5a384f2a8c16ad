using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// The pure shape-inference pass: reads the declared inputs, walks the members in declaration order applying each
/// attribute's rule to the value flowing through, resolves the outputs, and produces the typed plan plus every
/// diagnostic.
/// </summary>
internal static class ModelChecker
{
    private static readonly Regex Identifier = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    public static CheckResult Check(ModelSpec spec)
    {
        var context = new CheckContext(spec, outerBinding: null);
        var plan = RunGuarded(context, actualInputs: null);
        if (plan is not null && !context.HasErrors && spec.ExportsOnnx)
            ReportOnnxGaps(context, plan);
        return new CheckResult(context.HasErrors ? null : plan, context.Diagnostics.ToEquatableArray());
    }

    /// <summary>Checks a nested model in the terms of the model that uses it.</summary>
    public static (CheckContext Context, ModelPlan? Plan) CheckNested(ModelSpec spec, Func<string, Dim?> binding, IReadOnlyList<EquatableArray<Dim>> actualInputs)
    {
        var context = new CheckContext(spec, binding);
        var plan = RunGuarded(context, actualInputs);
        return (context, context.HasErrors ? null : plan);
    }

    // Sizes are exact 64-bit integers: one that overflows is reported where it arises (a step, the parameter
    // count), and this reports any other at the model.
    private static ModelPlan? RunGuarded(CheckContext context, IReadOnlyList<EquatableArray<Dim>>? actualInputs)
    {
        try
        {
            return Run(context, actualInputs);
        }
        catch (OverflowException)
        {
            context.Report(DiagnosticDescriptors.SizeOverflow, context.Spec.Location, "Model", context.Spec.Name);
            return null;
        }
    }

    private static ModelPlan? Run(CheckContext context, IReadOnlyList<EquatableArray<Dim>>? actualInputs)
    {
        var spec = context.Spec;
        if (spec.Forward is not { } forward)
            return null;

        var taps = new TapTable();
        var inputs = new List<InputPlan>();
        for (var i = 0; i < forward.Inputs.Count; i++)
        {
            var input = forward.Inputs[i];
            var actual = actualInputs is not null && i < actualInputs.Count ? actualInputs[i] : (EquatableArray<Dim>?)null;
            var declared = ReadDeclaredShape(context, input.Shape ?? EquatableArray<ArgValue>.Empty, input.Location, input.Name, bindNew: true, actual, out var bindings);
            if (declared is null)
                return null;
            inputs.Add(new InputPlan(input.Name, declared.Value, bindings.ToEquatableArray()));
            // A nested model's declared shape is proven or guarded equal to what it receives, and is in the outer
            // model's terms; where they differ it is the better known (a constant where the outer has an input dim).
            taps.Add(new Tap(new TapRef(input.Name), declared.Value, "Input", input.Name));
        }

        if (inputs.Count == 0)
            return null;
        if (!context.IsNested)
            CheckSymbolNames(context, forward, inputs);

        Tap? current = taps.Find(forward.Inputs[0].Name)!;
        var members = new List<MemberPlan>();
        var parameterCount = Dim.Const(0);
        foreach (var member in spec.Members)
        {
            if (current is null && !StartsWithInput(member))
            {
                var previous = members[members.Count - 1];
                context.Report(DiagnosticDescriptors.SplitHasNoValue, member.Location, previous.Name, PartNames(previous));
                return null;
            }

            var checkedMember = MemberChecker.Check(context, member, current, taps);
            if (checkedMember is null)
                return null;
            var plan = checkedMember.Plan;
            members.Add(plan);
            if (!TryAdd(ref parameterCount, plan.Parameters))
            {
                context.Report(DiagnosticDescriptors.SizeOverflow, member.Location, checkedMember.LayerKind, member.Name);
                return null;
            }

            var tap = new Tap(new TapRef(member.Name), plan.OutputShape, checkedMember.LayerKind, member.Name, plan.HasValue ? null : PartsOf(plan));
            if (!taps.Add(tap))
            {
                context.Report(DiagnosticDescriptors.DuplicateTap, member.Location, member.Name, member.Name);
                return null;
            }

            foreach (var (part, shape) in checkedMember.Parts)
            {
                if (!taps.Add(new Tap(part, shape, checkedMember.LayerKind, member.Name)))
                {
                    context.Report(DiagnosticDescriptors.DuplicateTap, member.Location, part.Name, member.Name);
                    return null;
                }
            }

            current = plan.HasValue ? tap : null;
        }

        if (!context.IsNested)
            GuardInputSizes(context, inputs);
        if (!StateKeys.CheckDistinct(context, members))
            return null;
        var conditionalTies = new List<ConditionalTie>();
        if (!TiedWeights.Check(context, members, ref parameterCount, conditionalTies))
            return null;

        var outputs = Outputs.Check(context, forward, taps, current, members);
        if (outputs is null)
            return null;

        var column = spec.IsProgressiveColumn ? ColumnChecker.Check(context, members) : null;
        if (spec.IsProgressiveColumn && column is null)
            return null;
        return new ModelPlan(spec, inputs.ToEquatableArray(), members.ToEquatableArray(), outputs.Value, context.Guards.ToEquatableArray(), parameterCount, column, context.RateGuards.ToEquatableArray())
        {
            ConditionalTies = conditionalTies.ToEquatableArray(),
        };
    }

    // A model that cannot be exported still builds: each gap is a warning at its attribute, and the emitter leaves out
    // ExportOnnx.
    private static void ReportOnnxGaps(CheckContext context, ModelPlan plan)
    {
        foreach (var gap in OnnxGaps.Of(plan))
        {
            var member = context.Spec.Members.FirstOrDefault(m => m.Name == gap.Member.Name);
            var location = (member is null ? null : StepOf(member, gap)?.Location) ?? member?.Location ?? context.Spec.Location;
            if (gap.Op is Catalogue.Layers.NestedLayer nested)
                context.Report(DiagnosticDescriptors.NestedNotExportable, location, gap.Member.Name, nested.ShortName, gap.Reason, context.Spec.Name);
            else
                context.Report(DiagnosticDescriptors.NoOnnxLowering, location, gap.Op.Name, gap.Member.Name, gap.Reason, context.Spec.Name);
        }
    }

    // The attribute an operation came from: the member's operations follow its attributes, less a leading [Input]
    // (which redirects the member) and plus an implied Identity layer first (a member of type Identity without one).
    private static StepSpec? StepOf(MemberSpec member, OnnxGap gap)
    {
        var steps = StartsWithInput(member) ? member.Steps.Skip(1).ToList() : member.Steps.ToList();
        var index = gap.Index - (gap.Member.Ops.Count - steps.Count);
        return index >= 0 && index < steps.Count ? steps[index] : null;
    }

    private static bool StartsWithInput(MemberSpec member) => member.Steps.Count > 0 && member.Steps[0].AttributeName == nameof(InputAttribute);

    private static EquatableArray<string> PartsOf(MemberPlan member) => member.Produced.Select(p => p.Name).ToEquatableArray();

    private static string PartNames(MemberPlan member) => string.Join(", ", PartsOf(member));

    // A hyperparameter in a declared input shape reaches layer sizes through the value (a Linear's input features,
    // an attention width) without passing a size argument's positivity check: guard it here, after the members,
    // so a guard a layer already asked for keeps its place. A nested model's own constructor checks its shapes.
    private static void GuardInputSizes(CheckContext context, List<InputPlan> inputs)
    {
        foreach (var input in inputs)
        {
            for (var i = 0; i < input.Shape.Count; i++)
            {
                var dim = input.Shape[i];
                if (input.Bindings[i].Length == 0 && !dim.IsConstant && context.IsKnownAtConstruction(dim))
                    context.CheckPositive(dim, $"argument '{input.Name}': dim {i} ({dim}) must be positive");
            }
        }
    }

    private static bool TryAdd(ref Dim total, Dim value)
    {
        try
        {
            total += value;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    // A symbolic dim is a local of the generated Forward: named like a layer field or a hyperparameter's accessor,
    // it would hide that member from the code reading it.
    private static void CheckSymbolNames(CheckContext context, ForwardSpec forward, List<InputPlan> inputs)
    {
        var spec = context.Spec;
        var members = new HashSet<string>(spec.Members.Select(m => Naming.FieldName(m.Name)).Concat(spec.Parameters.Select(p => HyperparameterNames.Accessor(spec, p.Name))), StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            foreach (var symbol in inputs[i].Bindings.Where(members.Contains).Distinct())
                context.Report(DiagnosticDescriptors.ReservedName, forward.Inputs[i].Location, symbol, spec.Name, "a symbolic dim named like a member the generated code reads would hide it; rename the dim");
        }
    }

    /// <summary>
    /// Reads a [Shape(...)]: ints, hyperparameter expressions, and symbolic dims bound on first use. For a nested
    /// model the actual shapes it receives are unified with the declaration.
    /// </summary>
    internal static EquatableArray<Dim>? ReadDeclaredShape(CheckContext context, EquatableArray<ArgValue> args, LocationInfo? location, string what, bool bindNew, EquatableArray<Dim>? actual, out List<string> bindings)
    {
        bindings = new List<string>();
        if (actual is { } a && a.Count != args.Count)
        {
            context.Report(DiagnosticDescriptors.NestedInputMismatch, location, what, context.Spec.Name, $"'{what}' expects rank {args.Count} but receives {ShapeText.Format(a)}");
            return null;
        }

        var dims = new List<Dim>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            Dim? dim;
            var binding = "";
            if (arg.Kind == ArgKind.Int)
            {
                var value = long.Parse(arg.Text, System.Globalization.CultureInfo.InvariantCulture);
                if (value <= 0 || value > int.MaxValue)
                {
                    context.Report(DiagnosticDescriptors.ValueOutOfRange, location, "Shape", what, $"dimension {i} must be positive and at most {int.MaxValue}, not {value}");
                    return null;
                }

                dim = Dim.Const(value);
            }
            else if (arg.Kind == ArgKind.String && Identifier.IsMatch(arg.Text.Trim()) && context.Resolve(arg.Text.Trim()) is null)
            {
                var name = arg.Text.Trim();
                if (!bindNew)
                {
                    context.Report(DiagnosticDescriptors.UnboundReturnName, location, context.Spec.Name, name);
                    return null;
                }

                dim = context.BindRuntimeSymbol(name, actual?[i]);
                binding = name;
            }
            else if (arg.Kind == ArgKind.String)
            {
                dim = context.ParseExpression(arg.Text, location);
                if (dim is null)
                    return null;
            }
            else
            {
                context.Report(DiagnosticDescriptors.ArgumentType, location, "Shape", what, $"dimension {i} must be an integer or a name, not {arg}");
                return null;
            }

            if (actual is { } received && !context.CheckEqual(received[i], dim, $"'{what}' of {context.Spec.Name} expects dim {i} = {dim}"))
            {
                var expected = args.Select((x, j) => j == i ? dim.ToString() : received[j].ToString());
                context.Report(DiagnosticDescriptors.NestedInputMismatch, location, what, context.Spec.Name, $"'{what}' expects [{string.Join(", ", expected)}] but receives {ShapeText.Format(received)}");
                return null;
            }

            dims.Add(dim);
            bindings.Add(binding);
        }

        return dims.ToEquatableArray();
    }
}
