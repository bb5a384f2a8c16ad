using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// <c>[CausalSelfAttention]</c>: GPT-style masked self-attention with a fused query/key/value projection,
/// <c>[B, T, E] → [B, T, E]</c> (<c>ModelDsl.Layers.CausalSelfAttention</c>); with <see cref="RotaryBase"/> set, queries and
/// keys are rotated by their positions.
/// </summary>
internal sealed record CausalSelfAttentionLayer(Dim Embed, Dim Heads, RealArg Dropout, double? RotaryBase) : Layer
{
    public override string Name => "CausalSelfAttention";

    public override string ModuleType => "ModelDsl.Layers.CausalSelfAttention";

    public override Dim Parameters => AttentionWidth.Parameters(Embed);

    public override IEnumerable<(string What, Dim Size)> ConstructionSizes => [(nameof(CausalSelfAttentionAttribute.Heads), Heads)];

    public override string Construct(ConstructionLowering c)
        => $"new global::ModelDsl.Layers.CausalSelfAttention({c.Code(Embed)}, {c.Code(Heads)}{AttentionWidth.DropoutArgument(c.Code(Dropout))}{AttentionWidth.RotaryArguments(RotaryBase)})";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("CausalSelfAttention", o.Value, o.Field, o.Key);

    public static Checked? Check(StepContext s)
    {
        if (AttentionWidth.Read(s, nameof(CausalSelfAttentionAttribute.Heads), nameof(CausalSelfAttentionAttribute.Dropout)) is not var (embed, heads, dropout))
            return null;
        if (!AttentionWidth.ReadRotary(s, embed, heads, nameof(CausalSelfAttentionAttribute.Rotary), nameof(CausalSelfAttentionAttribute.RotaryBase), out var theta))
            return null;
        return new Checked(new CausalSelfAttentionLayer(embed, heads, dropout, theta), s.Shape);
    }
}
