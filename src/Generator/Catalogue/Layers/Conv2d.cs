using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[Conv2d(out)]</c>: <c>nn.Conv2d</c> with a square kernel, <c>[B, in, H, W] → [B, out, H', W']</c> where
/// <c>H' = floor((H + 2·padding − kernel) / stride) + 1</c>, as PyTorch computes it.
/// </summary>
internal sealed record Conv2dLayer(Dim In, Dim Out, Dim Kernel, Dim Stride, Dim Padding, bool Bias) : Layer
{
    public override string Name => "Conv2d";

    public override string ModuleType => "TorchSharp.Modules.Conv2d";

    public override Dim Parameters => In * Out * Kernel * Kernel + (Bias ? Out : Dim.Const(0));

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes
        => [(nameof(Conv2dAttribute.OutChannels), Out), (nameof(Conv2dAttribute.Kernel), Kernel), (nameof(Conv2dAttribute.Padding), Padding)];

    public override bool OutputIsFresh => true;

    public override ColumnRole ColumnRole => ColumnRole.Adapted;

    public override LateralAdapterPlan LateralAdapter(EquatableArray<Dim> input, bool flattenedMap) => new ConvAdapterPlan(In, Out, Kernel, Stride, Padding);

    public override string Construct(ConstructionLowering c)
        => CodeText.Call($"{CodeNames.Nn}.Conv2d", c.Code(In), c.Code(Out), c.Code(Kernel),
            CodeText.Optional("stride", c.Code(Stride), "1"), CodeText.Optional("padding", c.Code(Padding), "0"), Bias ? null : "bias: false");

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Conv2d", o.Value, o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (!s.RequireRank(4, "[B, C, H, W] (rank 4)"))
            return null;
        if (ConvolutionArguments.Read(s) is not { } a)
            return null;

        var inChannels = s.Shape[1];
        if (!s.KnownAtConstruction(inChannels, "input channel count"))
            return null;
        var height = ConvolutionArithmetic.Output(s, s.Shape[2], a.Kernel, a.Stride.Value, a.Padding, "height");
        var width = height is null ? null : ConvolutionArithmetic.Output(s, s.Shape[3], a.Kernel, a.Stride.Value, a.Padding, "width");
        if (height is null || width is null)
            return null;
        var layer = new Conv2dLayer(inChannels, a.OutChannels, a.Kernel, a.Stride, a.Padding, a.Bias);
        return new Checked(layer, ShapeText.Shape(s.Shape[0], a.OutChannels, height, width));
    }
}
