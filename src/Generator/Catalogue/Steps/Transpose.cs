using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary><c>[Transpose(a, b)]</c>: swaps two dims (counted from the batch at 0; negative from the end).</summary>
internal sealed record TransposeOp(int Dim0, int Dim1) : Op
{
    public override string Name => "Transpose";

    protected override string Apply(ForwardLowering f) => $"{f.Value}.transpose({CodeText.Int(Dim0)}, {CodeText.Int(Dim1)})";

    public override string? OnnxGap(OnnxSite site) => null;

    // ONNX's Transpose takes the whole permutation: the identity with the two dims swapped.
    protected override string OnnxApply(OnnxLowering o)
        => o.Call("Permute", new[] { o.Value }.Concat(Enumerable.Range(0, o.Site.Input.Count).Select(i => CodeText.Int(i == Dim0 ? Dim1 : i == Dim1 ? Dim0 : i))).ToArray());

    public static Checked? Check(StepContext s)
    {
        var dim0 = s.Axis(nameof(TransposeAttribute.Dim0), 0, s.Rank);
        var dim1 = dim0 is null ? null : s.Axis(nameof(TransposeAttribute.Dim1), 0, s.Rank);
        if (dim0 is not { } a || dim1 is not { } b)
            return null;
        var output = s.Shape.With(a, s.Shape[b]).With(b, s.Shape[a]);
        return new Checked(new TransposeOp(a, b), output);
    }
}
