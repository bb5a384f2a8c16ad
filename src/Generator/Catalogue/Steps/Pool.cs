using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[MaxPool2d(kernel)]</c> and <c>[AvgPool2d(kernel)]</c>: square windows, the stride defaulting to the window,
/// sizes as PyTorch computes them (<c>floor((H + 2·padding − kernel) / stride) + 1</c>).
/// </summary>
internal sealed record PoolOp(bool Max, Dim Kernel, Dim Stride, Dim Padding) : Op
{
    public override string Name => Max ? "MaxPool2d" : "AvgPool2d";

    protected override string Apply(ForwardLowering f)
        => CodeText.Call($"{CodeNames.Functional}.{(Max ? "max_pool2d" : "avg_pool2d")}", f.Value, "kernel_size: " + f.Code(Kernel), "stride: " + f.Code(Stride),
            CodeText.Optional("padding", f.Code(Padding), "0"));

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call(Max ? "MaxPool2d" : "AvgPool2d", o.Value, o.Code(Kernel), o.Code(Stride), o.Code(Padding));

    public static Checked? Check(StepContext s, bool max)
    {
        if (!s.RequireRank(4, "[B, C, H, W] (rank 4)"))
            return null;
        var kernel = s.Dim(nameof(MaxPool2dAttribute.Kernel));
        var stride = s.Has(nameof(MaxPool2dAttribute.Stride)) ? s.Dim(nameof(MaxPool2dAttribute.Stride)) : kernel;
        var padding = s.Dim(nameof(MaxPool2dAttribute.Padding), Dim.Const(0), allowZero: true);
        if (kernel is null || stride is null || padding is null)
            return null;
        foreach (var (argument, dim) in new[] { (nameof(MaxPool2dAttribute.Kernel), kernel), (nameof(MaxPool2dAttribute.Stride), stride), (nameof(MaxPool2dAttribute.Padding), padding) })
        {
            if (!dim.IsConstant)
                return s.Fail(Diagnostics.DiagnosticDescriptors.NotConstant, s.Kind, s.MemberName, argument, dim);
        }

        if (padding.Value * 2 > kernel.Value)
            return s.Fail(Diagnostics.DiagnosticDescriptors.PaddingMismatch, s.Kind, s.MemberName, $"Padding ({padding}) must be at most half the window ({kernel})");

        var height = ConvolutionArithmetic.Output(s, s.Shape[2], kernel, stride.Value, padding, "height");
        var width = height is null ? null : ConvolutionArithmetic.Output(s, s.Shape[3], kernel, stride.Value, padding, "width");
        if (height is null || width is null)
            return null;
        return new Checked(new PoolOp(max, kernel, stride, padding), ShapeText.Shape(s.Shape[0], s.Shape[1], height, width));
    }
}
