using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[ConvTranspose2d(out)]</c>: <c>nn.ConvTranspose2d</c>, <c>[B, in, H, W] → [B, out, H', W']</c> where
/// <c>H' = (H − 1)·stride − 2·padding + kernel + outputPadding</c>.
/// </summary>
internal sealed record ConvTranspose2dLayer(Dim In, Dim Out, Dim Kernel, Dim Stride, Dim Padding, Dim OutputPadding, bool Bias) : Layer
{
    public override string Name => "ConvTranspose2d";

    public override string ModuleType => "TorchSharp.Modules.ConvTranspose2d";

    public override Dim Parameters => In * Out * Kernel * Kernel + (Bias ? Out : Dim.Const(0));

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes
        => [(nameof(ConvTranspose2dAttribute.OutChannels), Out), (nameof(ConvTranspose2dAttribute.Kernel), Kernel), (nameof(ConvTranspose2dAttribute.Padding), Padding), (nameof(ConvTranspose2dAttribute.OutputPadding), OutputPadding)];

    public override bool OutputIsFresh => true;

    public override string Construct(ConstructionLowering c)
        => CodeText.Call($"{CodeNames.Nn}.ConvTranspose2d", c.Code(In), c.Code(Out), c.Code(Kernel),
            CodeText.Optional("stride", c.Code(Stride), "1"), CodeText.Optional("padding", c.Code(Padding), "0"),
            CodeText.Optional("output_padding", c.Code(OutputPadding), "0"), Bias ? null : "bias: false");

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("ConvTranspose2d", o.Value, o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (!s.RequireRank(4, "[B, C, H, W] (rank 4)"))
            return null;
        var outChannels = s.Dim(nameof(ConvTranspose2dAttribute.OutChannels));
        var kernel = s.Dim(nameof(ConvTranspose2dAttribute.Kernel), Dim.Const(3));
        var stride = s.Dim(nameof(ConvTranspose2dAttribute.Stride), Dim.Const(1));
        var same = ConvolutionArithmetic.IsSame(s, nameof(ConvTranspose2dAttribute.Padding));
        var padding = same ? Dim.Const(0) : s.Dim(nameof(ConvTranspose2dAttribute.Padding), Dim.Const(0), allowZero: true);
        var outputPadding = s.Dim(nameof(ConvTranspose2dAttribute.OutputPadding), Dim.Const(0), allowZero: true);
        var bias = s.Bool(nameof(ConvTranspose2dAttribute.Bias), true);
        if (outChannels is null || kernel is null || stride is null || padding is null || outputPadding is null || bias is null)
            return null;
        if (!stride.IsConstant)
            return s.Fail(DiagnosticDescriptors.NotConstant, s.Kind, s.MemberName, "Stride", stride);
        if (same)
        {
            if (ConvolutionArithmetic.Same(s, kernel, stride.Value, transposed: true) is not { } samePadding)
                return null;
            (padding, outputPadding) = samePadding;
        }
        if (outputPadding.IsConstant && outputPadding.Value >= stride.Value)
            return s.Fail(DiagnosticDescriptors.PaddingMismatch, s.Kind, s.MemberName, $"OutputPadding ({outputPadding}) must be smaller than Stride ({stride})");

        var inChannels = s.Shape[1];
        if (!s.KnownAtConstruction(inChannels, "input channel count"))
            return null;
        var height = ConvolutionArithmetic.TransposedOutput(s, s.Shape[2], kernel, stride, padding, outputPadding, "height");
        var width = height is null ? null : ConvolutionArithmetic.TransposedOutput(s, s.Shape[3], kernel, stride, padding, outputPadding, "width");
        if (height is null || width is null)
            return null;
        var layer = new ConvTranspose2dLayer(inChannels, outChannels, kernel, stride, padding, outputPadding, bias.Value);
        return new Checked(layer, ShapeText.Shape(s.Shape[0], outChannels, height, width));
    }
}
