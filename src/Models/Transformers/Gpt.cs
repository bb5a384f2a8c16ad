using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

/// <summary>
/// A decoder-only Transformer in the style of nanoGPT: token and learned position embeddings, a stack of
/// <see cref="GptBlock"/>s, a final LayerNorm and a language-model head that shares the token embedding's tensor.
/// </summary>
[Model]
public sealed partial class Gpt
{
    /// <summary>Creates a GPT; <paramref name="embed"/> must be a multiple of <paramref name="heads"/>.</summary>
    public partial Gpt(int vocab, int blockSize, int layers, int heads, int embed, double dropout);

    [Embedding("vocab", "embed")]
    public partial Embedding Wte { get; }

    [PositionalEmbedding("blockSize"), Dropout("dropout")]
    partial Embedding Wpe { get; }

    [Nested("embed", "heads", "dropout", Repeat = "layers")]
    partial ModuleList<GptBlock> H { get; }

    [LayerNorm]
    partial LayerNorm Ln_F { get; }

    [Linear("vocab", Bias = false, TiedTo = nameof(Wte))]
    public partial Linear Lm_Head { get; }

    /// <summary>Next-token logits for every position of <paramref name="idx"/>.</summary>
    [return: Shape("B", "T", "vocab")]
    public partial Tensor Forward([Shape("B", "T")] Tensor idx);
}
