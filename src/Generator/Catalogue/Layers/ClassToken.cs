using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[ClassToken]</c>: a learned <c>Parameter</c> <c>[1, Count, E]</c> (zeros at first, as torchvision's ViT) put in
/// front of the sequence, broadcast over the batch: <c>[B, T, E] → [B, Count + T, E]</c>.
/// </summary>
internal sealed record ClassTokenLayer(Dim Count, Dim Embed) : Layer
{
    public override string Name => "ClassToken";

    public override string ModuleType => LearnedLayer.ParameterType;

    public override bool IsParameter => true;

    public override Dim Parameters => Count * Embed;

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [(nameof(ClassTokenAttribute.Count), Count)];

    public override string Construct(ConstructionLowering c)
        => $"new global::{LearnedLayer.ParameterType}({CodeNames.Torch}.zeros(1, {c.Code(Count)}, {c.Code(Embed)}))";

    protected override string Apply(ForwardLowering f)
        => $"{CodeNames.Torch}.cat(new[] {{ {f.Field}.expand({f.Value}.shape[0], -1, -1), {f.Value} }}, 1)";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("ClassToken", o.Value, o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (!s.RequireRank(3, "[B, T, E] (rank 3)"))
            return null;
        var count = s.Dim(nameof(ClassTokenAttribute.Count), Dim.Const(1));
        var embed = s.Shape[2];
        if (count is null || !s.KnownAtConstruction(embed, "embedding width"))
            return null;
        return new Checked(new ClassTokenLayer(count, embed), ShapeText.Shape(s.Shape[0], count + s.Shape[1], embed));
    }
}
