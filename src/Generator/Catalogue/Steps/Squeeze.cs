using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[Unsqueeze(d)]</c> inserts a dim of size 1 at <see cref="Dim"/>; <c>[Squeeze(d)]</c> removes one, which must
/// have size 1 (MDL0120; an input dim that may not be 1 is checked in Forward).
/// </summary>
internal sealed record SqueezeOp(bool Insert, int Dim) : Op
{
    public override string Name => Insert ? "Unsqueeze" : "Squeeze";

    protected override string Apply(ForwardLowering f) => $"{f.Value}.{(Insert ? "unsqueeze" : "squeeze")}({CodeText.Int(Dim)})";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call(Insert ? "Unsqueeze" : "Squeeze", o.Value, CodeText.Int(Dim));

    public static Checked? CheckUnsqueeze(StepContext s)
    {
        if (s.Axis(nameof(UnsqueezeAttribute.Dim), 0, s.Rank + 1) is not { } dim)
            return null;
        var output = new List<Shapes.Dim>(s.Shape);
        output.Insert(dim, Shapes.Dim.Const(1));
        return new Checked(new SqueezeOp(true, dim), output.ToEquatableArray());
    }

    public static Checked? CheckSqueeze(StepContext s)
    {
        if (s.Axis(nameof(SqueezeAttribute.Dim), 0, s.Rank) is not { } dim)
            return null;
        if (!s.Model.CheckEqual(s.Shape[dim], Shapes.Dim.Const(1), $"Squeeze on '{s.MemberName}': dim {dim} of {ShapeText.Format(s.Shape)} must be 1"))
            return s.Fail(DiagnosticDescriptors.SqueezeNonUnit, s.MemberName, dim, ShapeText.Format(s.Shape), s.Shape[dim]);
        var output = new List<Shapes.Dim>(s.Shape);
        output.RemoveAt(dim);
        return new Checked(new SqueezeOp(false, dim), output.ToEquatableArray());
    }
}
