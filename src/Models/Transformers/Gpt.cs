using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

/// <summary>
/// A decoder-only Transformer in the style of nanoGPT: token and learned position embeddings, a stack of
/// <see cref="GptBlock"/>s, a final LayerNorm and a language-model head that shares the token embedding's tensor.
/// Its state-dict keys are nanoGPT's (<c>transformer.wte.weight</c>, <c>transformer.h.0.attn.c_attn.weight</c>, …,
/// <c>lm_head.weight</c>), so a nanoGPT checkpoint loads as it is.
/// </summary>
[Model]
public sealed partial class Gpt
{
    /// <summary>Creates a GPT; <paramref name="embed"/> must be a multiple of <paramref name="heads"/>.</summary>
    public partial Gpt(int vocab, int blockSize, int layers, int heads, int embed, double dropout);

    [Embedding("vocab", "embed", Key = "transformer.wte")]
    public partial Embedding TokenEmbedding { get; }

    [PositionalEmbedding("blockSize", Key = "transformer.wpe"), Dropout("dropout")]
    partial Embedding PositionEmbedding { get; }

    [Nested("embed", "heads", "dropout", Repeat = "layers", Key = "transformer.h")]
    partial ModuleList<GptBlock> Blocks { get; }

    [LayerNorm(Key = "transformer.ln_f")]
    partial LayerNorm FinalNorm { get; }

    [Linear("vocab", Bias = false, TiedTo = nameof(TokenEmbedding))]
    public partial Linear LmHead { get; }

    /// <summary>Next-token logits for every position of <paramref name="idx"/>.</summary>
    [return: Shape("B", "T", "vocab")]
    public partial Tensor Forward([Shape("B", "T")] Tensor idx);
}
