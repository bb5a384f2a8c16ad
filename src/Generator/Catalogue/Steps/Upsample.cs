using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[Upsample(scale)]</c>: <c>[B, C, H, W] → [B, C, H·scale, W·scale]</c> by nearest-neighbour or bilinear
/// interpolation (PyTorch's <c>align_corners=False</c>).
/// </summary>
internal sealed record UpsampleOp(long Scale, bool Bilinear) : Op
{
    public override string Name => "Upsample";

    protected override string Apply(ForwardLowering f)
    {
        var scale = CodeText.Real(Scale);
        var mode = Bilinear ? ", mode: global::TorchSharp.torch.InterpolationMode.Bilinear, align_corners: false" : "";
        return $"{CodeNames.Functional}.interpolate({f.Value}, scale_factor: new double[] {{ {scale}, {scale} }}{mode})";
    }

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Upsample", o.Value, CodeText.Int(Scale), CodeText.Bool(Bilinear));

    public static Checked? Check(StepContext s)
    {
        if (!s.RequireRank(4, "[B, C, H, W] (rank 4)"))
            return null;
        var scale = s.Int(nameof(UpsampleAttribute.Scale), 2);
        var bilinear = s.Bool(nameof(UpsampleAttribute.Bilinear), false);
        if (scale is null || bilinear is null)
            return null;
        if (scale < 1)
            return s.Fail(DiagnosticDescriptors.ValueOutOfRange, s.Kind, s.MemberName, $"Scale must be positive, not {scale}");
        var factor = Dim.Const(scale.Value);
        var output = ShapeText.Shape(s.Shape[0], s.Shape[1], s.Shape[2] * factor, s.Shape[3] * factor);
        return new Checked(new UpsampleOp(scale.Value, bilinear.Value), output);
    }
}
