using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[Nested(args)]</c>: another <c>[Model]</c> used as a layer, once or <see cref="Repeat"/> times in a
/// <c>ModuleList</c>. Its hyperparameters are bound to this model's arguments, its declared input shapes are unified
/// with the values it receives, and its own checks run in those terms.
/// </summary>
/// <remarks>
/// <see cref="ExportGap"/> and <see cref="InputUses"/> come from the nested model as it is generated on its own (in its
/// own terms, not this model's): why it has no ONNX export, and how it reads each of its arguments.
/// </remarks>
internal sealed record NestedLayer(string Type, string ShortName, EquatableArray<NestedArgument> Arguments, Dim? Count, EquatableArray<TapRef> ExtraInputs, Dim Inner,
    string? ExportGap, EquatableArray<ArgumentUse> InputUses) : Layer
{
    public override string Name => ShortName + (Count is null ? "" : " × " + Count);

    public override string ModuleType => Type;

    public override Dim Parameters => Count is null ? Inner : Inner * Count;

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes
        => Arguments.Where(a => a.Size is not null).Select(a => ($"'{a.Parameter}' argument", a.Size!))
            .Concat(Count is null ? [] : [("Repeat count", Count)]);

    public override Dim? Repeat => Count;

    // A nested model's own prologue checks what it receives.
    public override ValueUse InputUse => ValueUse.Unchecked;

    public override IEnumerable<TapUse> Reads => ExtraInputs.Select(t => new TapUse(t, ValueUse.Unchecked));

    public override string Construct(ConstructionLowering c) => $"new {Type}({string.Join(", ", Arguments.Select(a => a.Code(c)))})";

    public override void Lower(ForwardLowering f)
    {
        var arguments = string.Join("", ExtraInputs.Select(t => ", " + f.Local(t)));
        if (Count is null)
        {
            f.Assign($"{f.Field}.call({f.Value}{arguments})");
            return;
        }

        f.Settle();
        using (f.Block($"foreach (var block in {f.Field})"))
            f.Line($"{f.Target} = block.call({f.Target}{arguments});");
    }

    public override string? OnnxGap(OnnxSite site) => ExportGap;

    protected override string OnnxApply(OnnxLowering o)
    {
        var arguments = new[] { o.Field, o.Key, o.Value }.Concat(ExtraInputs.Select(o.Local)).ToArray();
        return o.Call(Count is null ? "Nested" : "Repeated", arguments);
    }

    public static Checked? Check(StepContext s)
    {
        var member = s.Member;
        var nested = member.Nested;
        if (member.NestingCycle is { } cycle)
            return s.Fail(DiagnosticDescriptors.NestingCycle, member.Name, member.TypeName.Split('.').Last(), cycle);
        if (nested is null)
            return s.Fail(DiagnosticDescriptors.PropertyTypeMismatch, member.Name, $"[Nested] needs a property whose type is a [Model] class (or ModuleList<T> of one with Repeat), not '{member.TypeName}'");

        // The generated constructor creates the nested model, so it must be able to call its constructor.
        if (nested.ConstructorModifiers is { } modifiers && !modifiers.Split(' ').Any(m => m is "public" or "internal"))
            return s.Fail(DiagnosticDescriptors.NestedNotUsable, member.Name, nested.Name,
                $"its constructor is {(modifiers.Length == 0 ? "private (no accessibility declared)" : modifiers)}; make it public or internal so '{s.Model.Spec.Name}' can create it");

        // A property other assemblies see cannot have a type they do not.
        var words = member.Modifiers.Split(' ');
        if (!nested.IsPublic && s.Model.Spec.IsPublic && (words.Contains("public") || (words.Contains("protected") && !words.Contains("private"))))
            return s.Fail(DiagnosticDescriptors.NestedNotUsable, member.Name, nested.Name,
                $"it is less accessible than the {member.Modifiers} property '{member.Name}'; make the model public or the property internal");

        if (nested.Forward is { ReturnsTuple: true })
            return s.Fail(DiagnosticDescriptors.NestedNotUsable, member.Name, nested.Name, "it returns several values; a nested model must return one tensor");

        var isList = member.TypeMetadataName == Parse.KnownNames.ModuleList;
        var repeats = s.Has(nameof(NestedAttribute.Repeat));
        var repeat = repeats ? s.Dim(nameof(NestedAttribute.Repeat)) : null;
        if (isList != repeats)
            return s.Fail(DiagnosticDescriptors.PropertyTypeMismatch, member.Name,
                isList ? "a ModuleList<T> member needs [Nested(..., Repeat = n)]" : $"Repeat needs the property type ModuleList<{nested.Name}>");
        if (isList && repeat is null)
            return null;

        var (binding, arguments) = NestedArguments.Bind(s, nested);
        if (binding is null)
            return null;

        var shapes = new List<EquatableArray<Dim>> { s.Shape };
        var extras = s.TapList(nameof(NestedAttribute.Inputs));
        if (extras is null)
            return null;
        shapes.AddRange(extras.Select(t => t.Shape));
        if (nested.Forward is null || nested.Forward.Inputs.Count != shapes.Count)
            return s.Fail(DiagnosticDescriptors.NestedInputMismatch, member.Name, nested.Name,
                $"its Forward takes {nested.Forward?.Inputs.Count ?? 0} argument(s) but receives {shapes.Count} (the flowing value plus Inputs)");

        var (nestedContext, plan) = ModelChecker.CheckNested(nested, name => binding.TryGetValue(name, out var dim) ? dim : null, shapes);
        if (plan is null)
        {
            var first = nestedContext.Diagnostics.FirstOrDefault();
            // A cycle through the nested model runs through this member too: report it here as such.
            if (first?.Descriptor == DiagnosticDescriptors.NestingCycle)
                return s.Fail(DiagnosticDescriptors.NestingCycle, member.Name, member.TypeName.Split('.').Last(), first.Arguments[2]);
            // The nested model's own mismatch message already says what does not fit; other errors are quoted whole.
            var detail = first is null ? "it does not check"
                : first.Descriptor == DiagnosticDescriptors.NestedInputMismatch ? first.Arguments[2]
                : string.Format(System.Globalization.CultureInfo.InvariantCulture, first.Descriptor.MessageFormat.ToString(), first.Arguments.Cast<object>().ToArray());
            return s.Fail(DiagnosticDescriptors.NestedInputMismatch, member.Name, nested.Name, detail);
        }

        // The nested model knows nothing of this model's input dims: a guard mentioning one runs in Forward.
        foreach (var guard in nestedContext.Guards)
        {
            var atForward = guard.AtForward || !s.Model.IsKnownAtConstruction(guard.Left) || !s.Model.IsKnownAtConstruction(guard.Right);
            s.Model.AddGuard(guard with { Message = nested.Name + " '" + member.Name + "': " + guard.Message, AtForward = atForward });
        }

        // Its parameter count would hang on a hyperparameter of its own, which this model's count cannot express.
        if (plan.ConditionalTies.Count > 0)
            return s.Fail(DiagnosticDescriptors.NestedNotUsable, member.Name, nested.Name,
                $"its weights are tied when '{plan.ConditionalTies[0].Condition}' is true (TiedWhen), so its parameter count depends on it; a model with such a tie is used on its own");

        var output = plan.Outputs[0].Shape;
        // Its layers are sized by what it receives: an input dim of this model would size them only in Forward.
        if (!s.Model.IsKnownAtConstruction(plan.ParameterCount))
            return s.Fail(DiagnosticDescriptors.SizeNotKnownAtConstruction, nested.Name, member.Name, "parameter count", plan.ParameterCount);

        if (repeat is not null && !(repeat.IsConstant && repeat.Value == 1)
            && !s.Model.CheckShapesEqual(output, s.Shape, $"'{member.Name}' repeats '{nested.Name}', which must keep {ShapeText.Format(s.Shape)}"))
            return s.Fail(DiagnosticDescriptors.RepeatChangesShape, member.Name, nested.Name, ShapeText.Format(s.Shape), ShapeText.Format(output));

        var (gap, uses) = OnnxExportability.Of(nested);
        var layer = new NestedLayer(nested.FullyQualifiedName, nested.Name, arguments, repeat, extras.Select(t => t.Ref).ToEquatableArray(), plan.ParameterCount, gap, uses);
        return new Checked(layer, output);
    }
}

/// <summary>
/// One constructor argument of a nested model: an integer size, a real rate or a flag, in this model's terms, with
/// the conversion to the parameter's type where C# does not convert implicitly.
/// </summary>
internal sealed record NestedArgument(string Parameter, Dim? Size, RealArg? Real, bool? Flag, string? Conversion)
{
    public string Code(ConstructionLowering c)
    {
        var code = Size is not null ? c.Code(Size) : Real is not null ? c.Code(Real) : CodeText.Bool(Flag!.Value);
        // Narrowing an integer is checked (an out-of-range hyperparameter throws); double to float needs no check.
        return Conversion is not { } type ? code : type == "float" ? $"({type})({code})" : $"checked(({type})({code}))";
    }
}
