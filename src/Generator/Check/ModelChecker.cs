using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ModelDsl.Generator.Check.Rules;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check;

/// <summary>
/// The pure shape-inference pass: walks a model's members in declaration order, applying each attribute's
/// rule to the value flowing through, and produces the plan the emitter needs plus every diagnostic.
/// </summary>
internal static class ModelChecker
{
    private static readonly Regex Identifier = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    public static CheckResult Check(ModelSpec spec)
    {
        var context = new CheckContext(spec, outerBinding: null);
        var plan = RunGuarded(context, actualInputs: null);
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
            context.Report(DiagnosticDescriptors.MalformedArgument, context.Spec.Location, "Model", context.Spec.Name, "its sizes do not fit in 64-bit integers");
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
            var variable = Naming.Escape(input.Name);
            inputs.Add(new InputPlan(input.Name, declared.Value, bindings.ToEquatableArray(), ""));
            // A nested model's declared shape is proven or guarded equal to what it receives, and is in the outer
            // model's terms; where they differ it is the better known (a constant where the outer has an input dim).
            taps.Add(input.Name, declared.Value, variable);
        }

        if (inputs.Count == 0)
            return null;

        // Generated locals must not collide with the user's names (arguments, symbolic dims) nor with each other.
        var variables = new HashSet<string>(taps.Variables, StringComparer.Ordinal) { "scope", "block", "layerInputs", "lateral", "nameof" };
        variables.UnionWith(inputs.SelectMany(i => i.Bindings).Where(b => b.Length > 0));
        for (var i = 0; i < inputs.Count; i++)
            inputs[i] = inputs[i] with { ShapeLocal = UniqueLocal(Naming.ShapeLocal(inputs[i].Name), variables) };
        if (!context.IsNested)
            CheckSymbolNames(context, forward, inputs);

        var current = taps.Find(forward.Inputs[0].Name)!;
        var members = new List<MemberPlan>();
        var parameterCount = Dim.Const(0);
        string? lastKind = null, lastMember = null;
        foreach (var member in spec.Members)
        {
            var plan = CheckMember(context, member, current, taps, variables);
            if (plan is null)
                return null;
            members.Add(plan);
            if (!TryAdd(ref parameterCount, plan.Parameters))
            {
                context.Report(DiagnosticDescriptors.MalformedArgument, member.Location, plan.Layer!.Kind, member.Name, "the model's parameter count does not fit in a 64-bit integer");
                return null;
            }

            current = new Tap(plan.OutputShape, plan.Variable);
            taps.Add(member.Name, plan.OutputShape, plan.Variable);
            (lastKind, lastMember) = (plan.Layer?.Kind == "Nested" ? member.TypeName.Split('.').Last() : plan.Layer?.Kind ?? "Layer", member.Name);
        }

        if (!context.IsNested)
            GuardInputSizes(context, inputs);

        foreach (var member in members.Where(m => m.Layer?.Kind == "Linear" && m.Layer.Args.Any(a => a.Name == "tiedTo")).ToList())
        {
            var shared = CheckTiedWeight(context, spec, member, members);
            if (shared is null)
                return null;
            parameterCount -= shared;
            // The shared tensor belongs to the member it is tied to; this one counts only its own bias.
            members[members.IndexOf(member)] = member with { Parameters = member.Parameters - shared };
        }

        if (forward.ReturnShape is { } returnDims)
        {
            var declared = ReadDeclaredShape(context, returnDims, forward.ReturnShapeLocation, "return value", bindNew: false, actual: null, out _);
            if (declared is null)
                return null;
            if (!context.CheckShapesEqual(current.Shape, declared.Value, $"Forward produces {ShapeText.Format(current.Shape)} but declares it returns {ShapeText.Format(declared.Value)}"))
            {
                context.Report(DiagnosticDescriptors.ReturnShapeMismatch, forward.ReturnShapeLocation, lastKind ?? "Input", lastMember ?? forward.Inputs[0].Name,
                    ShapeText.Format(current.Shape), ShapeText.Format(declared.Value));
                return null;
            }

            // The declaration is the contract (and reads better than floor-division forms); it is proven or guarded.
            current = current with { Shape = declared.Value };
        }

        var column = spec.IsProgressiveColumn ? ColumnLayers(context, spec, members) : null;
        if (spec.IsProgressiveColumn && column is null)
            return null;
        return new ModelPlan(spec, inputs.ToEquatableArray(), members.ToEquatableArray(), current.Shape, current.Variable, context.Guards.ToEquatableArray(), parameterCount, column, context.RateGuards.ToEquatableArray());
    }

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

    // The layers of a progressive column take lateral input; layers whose geometry an adapter cannot copy are refused.
    private static EquatableArray<ColumnLayerPlan>? ColumnLayers(CheckContext context, ModelSpec spec, List<MemberPlan> members)
    {
        var layers = new List<ColumnLayerPlan>();
        foreach (var member in members)
        {
            var layer = member.Layer!;
            Dim Arg(string name) => layer.Args.First(a => a.Name == name).Dim!;
            var layerOp = member.Ops.ToList().FindIndex(o => o.Kind is "Layer" or "ScaledLayer");
            var input = InputOf(member, layerOp);
            switch (layer.Kind)
            {
                case "Linear" when FlattenedMap(member, layerOp) is { } map:
                    layers.Add(new ColumnLayerPlan(member.Name, "Linear", layerOp - 1, map, map[1], Arg("out"), null, null, null, FlattenedMap: true));
                    break;
                case "Linear":
                    layers.Add(new ColumnLayerPlan(member.Name, "Linear", layerOp, input, Arg("in"), Arg("out"), null, null, null));
                    break;
                case "Conv2d":
                    layers.Add(new ColumnLayerPlan(member.Name, "Conv2d", layerOp, input, Arg("in"), Arg("out"), Arg("kernel"), Arg("stride"), Arg("padding")));
                    break;
                case "BatchNorm1d" or "BatchNorm2d" or "LayerNorm":
                    break;
                default:
                    var location = spec.Members.First(m => m.Name == member.Name).Location;
                    context.Report(DiagnosticDescriptors.UnsupportedColumnLayer, location, spec.Name, $"'{member.Name}' holds a {layer.Kind}; columns support Linear and Conv2d layers (with normalisation between them)");
                    return null;
            }
        }

        if (layers.Count == 0)
        {
            context.Report(DiagnosticDescriptors.UnsupportedColumnLayer, spec.Location, spec.Name, "it has no Linear or Conv2d layer");
            return null;
        }

        return layers.ToEquatableArray();
    }

    // The value entering a member's operation: the member's input, or what the operation before it produced.
    private static EquatableArray<Dim> InputOf(MemberPlan member, int op) => op <= 0 ? member.InputShape : member.Ops[op - 1].OutputShape;

    // The [B, C, H, W] map a Linear reads through the Flatten right before it, or null for any other input.
    private static EquatableArray<Dim>? FlattenedMap(MemberPlan member, int layerOp)
        => layerOp > 0 && member.Ops[layerOp - 1] is { Kind: "Flatten" } flatten && flatten.Args[0].Literal == "1"
           && InputOf(member, layerOp - 1) is { Count: 4 } map
            ? map
            : null;

    // A tied Linear reuses another member's weight: an Embedding's [count, dim] or a Linear's [out, in] must equal
    // this layer's [out, in]. Returns the number of shared parameters, counted once.
    private static Dim? CheckTiedWeight(CheckContext context, ModelSpec spec, MemberPlan member, List<MemberPlan> members)
    {
        var layer = member.Layer!;
        Dim Arg(LayerPlan plan, string name) => plan.Args.First(a => a.Name == name).Dim!;
        var targetName = layer.Args.First(a => a.Name == "tiedTo").Literal!;
        var location = spec.Members.First(m => m.Name == member.Name).Location;
        var weight = ShapeText.Shape(Arg(layer, "out"), Arg(layer, "in"));
        var target = members.FirstOrDefault(m => m.Name == targetName);
        var targetWeight = target?.Layer?.Kind switch
        {
            "Embedding" when target.Ops.All(o => o.Kind != "PositionalEmbedding") => ShapeText.Shape(Arg(target.Layer, "count"), Arg(target.Layer, "dim")),
            "Linear" => ShapeText.Shape(Arg(target.Layer, "out"), Arg(target.Layer, "in")),
            _ => (EquatableArray<Dim>?)null,
        };
        if (targetWeight is null || target == member)
        {
            context.Report(DiagnosticDescriptors.TiedWeightMismatch, location, member.Name, ShapeText.Format(weight), targetName, "not an Embedding or Linear member");
            return null;
        }

        if (!context.CheckShapesEqual(weight, targetWeight.Value, $"Linear '{member.Name}' shares its weight with '{targetName}'"))
        {
            context.Report(DiagnosticDescriptors.TiedWeightMismatch, location, member.Name, ShapeText.Format(weight), targetName, ShapeText.Format(targetWeight.Value));
            return null;
        }

        return weight[0] * weight[1];
    }

    private static MemberPlan? CheckMember(CheckContext context, MemberSpec member, Tap input, TapTable taps, HashSet<string> variables)
    {
        // A member that starts with [Input] reads that tap: it is also the value its residual defaults to.
        if (member.Steps.Count > 0 && member.Steps[0].Name == "Input")
        {
            var redirected = WiringRules.Input(context, new StepInput(member, member.Steps[0], input.Shape), taps);
            if (redirected is null)
                return null;
            input = new Tap(redirected.Output, redirected.Op.Args[0].Literal!);
        }

        taps.MemberInput = input;
        var shape = input.Shape;
        var ops = new List<OpPlan>();
        LayerPlan? layer = null;
        var parameters = Dim.Const(0);
        foreach (var step in member.Steps.Skip(member.Steps.Count > 0 && member.Steps[0].Name == "Input" ? 1 : 0))
        {
            StepResult? result;
            bool known;
            try
            {
                result = StepRules.Apply(context, new StepInput(member, step, shape), taps, out known);
            }
            catch (OverflowException)
            {
                context.Report(DiagnosticDescriptors.MalformedArgument, step.Location ?? member.Location, step.Name, member.Name, "its sizes do not fit in 64-bit integers");
                return null;
            }

            if (!known)
            {
                context.Report(DiagnosticDescriptors.MalformedArgument, step.Location ?? member.Location, step.Name, member.Name, "this attribute is not a layer or step of the ModelDsl catalogue");
                return null;
            }

            if (result is null)
                return null;
            if (result.Layer is not null)
            {
                if (layer is not null)
                {
                    context.Report(DiagnosticDescriptors.LayerTypeMismatch, step.Location, member.Name, $"it already has the layer [{layer.Kind}]; each member holds one module (add another member for [{step.Name}])");
                    return null;
                }

                if (StepRules.ModuleTypes.TryGetValue(result.Layer.Kind, out var moduleType) && moduleType != member.TypeMetadataName)
                {
                    context.Report(DiagnosticDescriptors.LayerTypeMismatch, step.Location, member.Name, $"[{step.Name}] needs the property type {moduleType.Split('.').Last()}, not {member.TypeName.Split('.').Last()}");
                    return null;
                }

                if (!KnownAtConstruction(context, member, step, result.Layer))
                    return null;
                layer = result.Layer;
                parameters = result.Parameters ?? Dim.Const(0);
            }

            ops.Add(result.Op);
            shape = result.Output;
        }

        if (layer is null)
        {
            context.Report(DiagnosticDescriptors.LayerTypeMismatch, member.Location, member.Name, $"it has no layer attribute for its type {member.TypeName.Split('.').Last()}; add one such as [Linear(...)], or [Nested(...)] for a [Model]");
            return null;
        }

        var unique = UniqueLocal(Naming.CamelCase(member.Name), variables);
        return new MemberPlan(
            input.Variable,
            member.Name,
            member.Modifiers,
            member.TypeName,
            Naming.FieldName(member.Name),
            Naming.SnakeCase(member.Name),
            unique,
            layer,
            ops.ToEquatableArray(),
            input.Shape,
            shape,
            parameters);
    }

    // The constructor creates the module, so every size it takes must be known there, not only from the input.
    private static bool KnownAtConstruction(CheckContext context, MemberSpec member, StepSpec step, LayerPlan layer)
    {
        var sizes = layer.Args.Where(a => a.Dim is not null).Select(a => (What: $"'{a.Name}' argument", Dim: a.Dim!));
        if (layer.Repeat is not null)
            sizes = sizes.Append(("Repeat count", layer.Repeat));
        foreach (var (what, dim) in sizes)
        {
            if (!context.IsKnownAtConstruction(dim))
            {
                context.Report(DiagnosticDescriptors.SizeNotKnownAtConstruction, step.Location ?? member.Location, step.Name, member.Name, what, dim);
                return false;
            }
        }

        return true;
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

    // Claims a local name: the name itself, else the first free of name2, name3, …
    private static string UniqueLocal(string name, HashSet<string> taken)
    {
        var unique = name;
        for (var n = 2; !taken.Add(unique); n++)
            unique = name + n;
        return unique;
    }

    // A symbolic dim is a local of the generated Forward: named like a layer field or a hyperparameter's accessor,
    // it would hide that member from the code reading it.
    private static void CheckSymbolNames(CheckContext context, ForwardSpec forward, List<InputPlan> inputs)
    {
        var spec = context.Spec;
        var members = new HashSet<string>(spec.Members.Select(m => Naming.FieldName(m.Name)).Concat(spec.Parameters.Select(p => Emit.HyperparameterNames.Accessor(spec, p.Name))), StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            foreach (var symbol in inputs[i].Bindings.Where(members.Contains).Distinct())
                context.Report(DiagnosticDescriptors.InvalidForward, forward.Inputs[i].Location, spec.Name, $"the symbolic dim '{symbol}' has the name of a member the generated code reads; rename it");
        }
    }

    // Reads a [Shape(...)]: ints, hyperparameter expressions, and symbolic dims bound on first use. For a nested
    // model the actual shapes it receives are unified with the declaration.
    private static EquatableArray<Dim>? ReadDeclaredShape(CheckContext context, EquatableArray<ArgValue> args, LocationInfo? location, string what, bool bindNew, EquatableArray<Dim>? actual, out List<string> bindings)
    {
        bindings = new List<string>();
        if (actual is { } a && a.Count != args.Count)
        {
            context.Report(DiagnosticDescriptors.NestedModelMismatch, location, what, context.Spec.Name, $"'{what}' expects rank {args.Count} but receives {ShapeText.Format(a)}");
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
                    context.Report(DiagnosticDescriptors.MalformedArgument, location, "Shape", what, $"dimension {i} must be positive and at most {int.MaxValue}, not {value}");
                    return null;
                }

                dim = Dim.Const(value);
            }
            else if (arg.Kind == ArgKind.String && Identifier.IsMatch(arg.Text.Trim()) && context.Resolve(arg.Text.Trim()) is null)
            {
                var name = arg.Text.Trim();
                if (!bindNew)
                {
                    context.Report(DiagnosticDescriptors.InvalidForward, location, context.Spec.Name, $"'{name}' in the return shape is not a hyperparameter nor a symbolic dim of an argument");
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
                context.Report(DiagnosticDescriptors.MalformedArgument, location, "Shape", what, $"dimension {i} must be an integer or a name, not {arg}");
                return null;
            }

            if (actual is { } received && !context.CheckEqual(received[i], dim, $"'{what}' of {context.Spec.Name} expects dim {i} = {dim}"))
            {
                var expected = args.Select((x, j) => j == i ? dim.ToString() : received[j].ToString());
                context.Report(DiagnosticDescriptors.NestedModelMismatch, location, what, context.Spec.Name, $"'{what}' expects [{string.Join(", ", expected)}] but receives {ShapeText.Format(received)}");
                return null;
            }

            dims.Add(dim);
            bindings.Add(binding);
        }

        return dims.ToEquatableArray();
    }
}
