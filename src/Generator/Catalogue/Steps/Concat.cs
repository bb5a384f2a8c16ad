using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary><c>[Concat(taps)]</c>: the value and the taps joined along <see cref="Dim"/>; every other dim must agree.</summary>
internal sealed record ConcatOp(EquatableArray<TapRef> Taps, int Dim) : Op
{
    public override string Name => "Concat";

    public override IEnumerable<TapUse> Reads => Taps.Select(t => new TapUse(t, ValueUse.Values));

    protected override string Apply(ForwardLowering f)
        => $"{CodeNames.Torch}.cat(new[] {{ {f.Value}, {string.Join(", ", Taps.Select(f.Local))} }}, {CodeText.Int(Dim)})";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Concat", new[] { CodeText.Int(Dim), o.Value }.Concat(Taps.Select(o.Local)).ToArray());

    public static Checked? Check(StepContext s)
    {
        if (s.Items(nameof(ConcatAttribute.Taps)).Count == 0)
            return s.Fail(DiagnosticDescriptors.MissingArguments, s.Kind, s.MemberName, "name at least one tap to concatenate");
        var dim = s.Axis(nameof(ConcatAttribute.Dim), 1, s.Rank);
        var taps = s.TapList(nameof(ConcatAttribute.Taps));
        if (dim is not { } axis || taps is null)
            return null;

        var output = s.Shape;
        foreach (var tap in taps)
        {
            var fits = tap.Shape.Count == output.Count;
            for (var i = 0; fits && i < output.Count; i++)
                fits = i == axis || s.Model.CheckEqual(tap.Shape[i], output[i], $"Concat on '{s.MemberName}' joins {ShapeText.Format(tap.Shape)} from '{tap.Ref.Name}'");
            if (!fits)
                return s.Fail(DiagnosticDescriptors.ConcatMismatch, s.MemberName, axis, ShapeText.Format(output), ShapeText.Format(tap.Shape), tap.Ref.Name);
            output = output.With(axis, output[axis] + tap.Shape[axis]);
        }

        return new Checked(new ConcatOp(taps.Select(t => t.Ref).ToEquatableArray(), axis), output);
    }
}
