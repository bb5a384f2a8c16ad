using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[AdaptiveAvgPool2d(size)]</c>: average pooling to a fixed <c>[B, C, height, width]</c> whatever the input's
/// height and width; <c>AdaptiveAvgPool2d(1)</c> is global average pooling.
/// </summary>
internal sealed record AdaptiveAvgPool2dOp(Dim Height, Dim Width) : Op
{
    public override string Name => "AdaptiveAvgPool2d";

    protected override string Apply(ForwardLowering f)
        => $"{CodeNames.Functional}.adaptive_avg_pool2d({f.Value}, new long[] {{ {f.Code(Height)}, {f.Code(Width)} }})";

    // Global pooling fits any input; another size needs the input's height and width when the graph is built.
    public override string? OnnxGap(OnnxSite site)
        => IsGlobal || (site.IsStatic(site.Input[2]) && site.IsStatic(site.Input[3]) && site.IsStatic(Height) && site.IsStatic(Width))
            ? null
            : $"pooling {ShapeText.Format(site.Input)} to {Height} × {Width} needs sizes known when the graph is built";

    protected override string OnnxApply(OnnxLowering o)
        => IsGlobal
            ? o.Call("AdaptiveAvgPool2d", o.Value, "1", "1")
            : o.Call("AdaptiveAvgPool2d", o.Value, o.Code(Height), o.Code(Width), o.Code(o.Site.Input[2]), o.Code(o.Site.Input[3]));

    private bool IsGlobal => Height.IsConstant && Height.Value == 1 && Width.IsConstant && Width.Value == 1;

    public static Checked? Check(StepContext s)
    {
        if (!s.RequireRank(4, "[B, C, H, W] (rank 4)"))
            return null;
        var height = s.Dim(nameof(AdaptiveAvgPool2dAttribute.Height));
        var width = s.Has(nameof(AdaptiveAvgPool2dAttribute.Width)) ? s.Dim(nameof(AdaptiveAvgPool2dAttribute.Width)) : height;
        if (height is null || width is null)
            return null;
        return new Checked(new AdaptiveAvgPool2dOp(height, width), ShapeText.Shape(s.Shape[0], s.Shape[1], height, width));
    }
}
