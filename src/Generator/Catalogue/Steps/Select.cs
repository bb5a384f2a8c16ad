using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[Select(dim, index)]</c>: the slice at <see cref="Index"/> along <see cref="Dim"/>, which is dropped
/// (<c>x[:, 0]</c> is <c>Select(1, 0)</c>). A negative index counts from the end.
/// </summary>
internal sealed record SelectOp(int Dim, long Index) : Op
{
    public override string Name => "Select";

    protected override string Apply(ForwardLowering f) => $"{f.Value}.select({CodeText.Int(Dim)}, {CodeText.Int(Index)})";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Select", o.Value, CodeText.Int(Dim), CodeText.Int(Index));

    public static Checked? Check(StepContext s)
    {
        if (s.Rank < 2)
            return s.Fail(DiagnosticDescriptors.RankMismatch, s.Kind, s.MemberName, "a tensor of rank 2 or more", ShapeText.Format(s.Shape));
        if (s.Axis(nameof(SelectAttribute.Dim), 1, s.Rank) is not { } dim)
            return null;
        var index = s.Int(nameof(SelectAttribute.Index), 0);
        if (index is null)
            return null;

        // Index i needs size > i, index −i size ≥ i; the first and the last exist in any tensor's dim (never empty).
        var size = s.Shape[dim];
        var room = index.Value >= 0 ? size - Shapes.Dim.Const(index.Value) : size + Shapes.Dim.Const(index.Value + 1);
        if (index.Value is not (0 or -1) && !s.Model.CheckPositive(room, $"Select on '{s.MemberName}': index {index} must lie within dim {dim} ({size})"))
            return s.Fail(DiagnosticDescriptors.IndexOutOfRange, s.MemberName, index.Value, dim, ShapeText.Format(s.Shape));
        var output = s.Shape.Where((_, i) => i != dim).ToEquatableArray();
        return new Checked(new SelectOp(dim, index.Value), output);
    }
}
