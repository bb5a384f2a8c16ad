using ModelDsl;
using ModelDsl.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

/// <summary>
/// A pre-LayerNorm Transformer block as in GPT-2 and nanoGPT: <c>x + attn(ln_1(x))</c>, then
/// <c>x + mlp(ln_2(x))</c>. State-dict keys are nanoGPT's: <c>ln_1</c>, <c>attn.c_attn</c>, <c>attn.c_proj</c>, <c>ln_2</c>,
/// <c>mlp.c_fc</c>, <c>mlp.c_proj</c>.
/// </summary>
[Model]
public sealed partial class GptBlock
{
    /// <summary>Creates a block of width <paramref name="embed"/> with <paramref name="heads"/> attention heads.</summary>
    public partial GptBlock(int embed, int heads, double dropout);

    [LayerNorm(Key = "ln_1")]
    partial LayerNorm AttentionNorm { get; }

    [CausalSelfAttention(Heads = "heads", Dropout = "dropout", Key = "attn"), Residual(From = "x")]
    partial CausalSelfAttention SelfAttention { get; }

    [LayerNorm(Key = "ln_2")]
    partial LayerNorm MlpNorm { get; }

    [Linear("4 * embed", Key = "mlp.c_fc"), GELU]
    partial Linear MlpUp { get; }

    [Linear("embed", Key = "mlp.c_proj"), Dropout("dropout"), Residual(From = nameof(SelfAttention))]
    partial Linear MlpDown { get; }

    /// <summary>Applies the block to a sequence of embeddings.</summary>
    [return: Shape("B", "T", "embed")]
    public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
}
