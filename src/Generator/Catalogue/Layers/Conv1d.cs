using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[Conv1d(out)]</c>: <c>nn.Conv1d</c> over sequences, <c>[B, in, L] → [B, out, L']</c> where
/// <c>L' = floor((L + 2·padding − kernel) / stride) + 1</c>, as PyTorch computes it.
/// </summary>
internal sealed record Conv1dLayer(Dim In, Dim Out, Dim Kernel, Dim Stride, Dim Padding, bool Bias) : Layer
{
    public override string Name => "Conv1d";

    public override string ModuleType => "TorchSharp.Modules.Conv1d";

    public override Dim Parameters => In * Out * Kernel + (Bias ? Out : Dim.Const(0));

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes
        => [(nameof(Conv1dAttribute.OutChannels), Out), (nameof(Conv1dAttribute.Kernel), Kernel), (nameof(Conv1dAttribute.Padding), Padding)];

    public override bool OutputIsFresh => true;

    public override string Construct(ConstructionLowering c)
        => CodeText.Call($"{CodeNames.Nn}.Conv1d", c.Code(In), c.Code(Out), c.Code(Kernel),
            CodeText.Optional("stride", c.Code(Stride), "1"), CodeText.Optional("padding", c.Code(Padding), "0"), Bias ? null : "bias: false");

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Conv1d", o.Value, o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (!s.RequireRank(3, "[B, C, L] (rank 3)"))
            return null;
        if (ConvolutionArguments.Read(s) is not { } a)
            return null;

        var inChannels = s.Shape[1];
        if (!s.KnownAtConstruction(inChannels, "input channel count"))
            return null;
        var length = ConvolutionArithmetic.Output(s, s.Shape[2], a.Kernel, a.Stride.Value, a.Padding, "length");
        if (length is null)
            return null;
        var layer = new Conv1dLayer(inChannels, a.OutChannels, a.Kernel, a.Stride, a.Padding, a.Bias);
        return new Checked(layer, ShapeText.Shape(s.Shape[0], a.OutChannels, length));
    }
}
