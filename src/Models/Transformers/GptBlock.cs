using ModelDsl;
using ModelDsl.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

/// <summary>
/// A pre-LayerNorm Transformer block as in GPT-2 and nanoGPT: <c>x + attn(ln_1(x))</c>, then
/// <c>x + mlp(ln_2(x))</c>. State-dict keys match nanoGPT's (<c>ln_1</c>, <c>attn.c_attn</c>, <c>mlp_fc</c>…).
/// </summary>
[Model]
public sealed partial class GptBlock
{
    /// <summary>Creates a block of width <paramref name="embed"/> with <paramref name="heads"/> attention heads.</summary>
    public partial GptBlock(int embed, int heads, double dropout);

    [LayerNorm]
    partial LayerNorm Ln_1 { get; }

    [CausalSelfAttention(Heads = "heads", Dropout = "dropout"), Residual(From = "x")]
    partial CausalSelfAttention Attn { get; }

    [LayerNorm]
    partial LayerNorm Ln_2 { get; }

    [Linear("4 * embed"), GELU]
    partial Linear Mlp_Fc { get; }

    [Linear("embed"), Dropout("dropout"), Residual(From = nameof(Attn))]
    partial Linear Mlp_Proj { get; }

    /// <summary>Applies the block to a sequence of embeddings.</summary>
    [return: Shape("B", "T", "embed")]
    public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
}
