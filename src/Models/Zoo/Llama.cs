using ModelDsl;
using ModelDsl.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Zoo;

/// <summary>LLaMA's SwiGLU feed-forward network (Shazeer 2020): <c>w2(silu(w1(x)) · w3(x))</c>, without biases.</summary>
[Model]
public sealed partial class FeedForward
{
    /// <summary>A network from <paramref name="dim"/> through <paramref name="hidden"/> and back.</summary>
    public partial FeedForward(int dim, int hidden);

    [Linear("hidden", Bias = false), SiLU]
    partial Linear W1 { get; }

    [Input("x"), Linear("hidden", Bias = false), Multiply(nameof(W1))]
    partial Linear W3 { get; }

    [Linear("dim", Bias = false)]
    partial Linear W2 { get; }

    /// <summary>Applies the network to every position.</summary>
    [return: Shape("B", "T", "dim")]
    public partial Tensor Forward([Shape("B", "T", "dim")] Tensor x);
}

/// <summary>
/// A LLaMA decoder layer (Touvron et al. 2023): RMS-normalised causal self-attention with rotary positions and
/// projections without bias, then an RMS-normalised SwiGLU feed-forward network, each added back to its input.
/// </summary>
/// <remarks>State-dict keys are Meta's but for the attention projections: <c>wq, wk, wv, wo</c> are <c>query, key, value, out</c>.</remarks>
[Model]
public sealed partial class LlamaBlock
{
    /// <summary>A layer of width <paramref name="dim"/>, <paramref name="heads"/> heads and a feed-forward width of <paramref name="hidden"/>.</summary>
    public partial LlamaBlock(int dim, int heads, int hidden);

    [RMSNorm]
    partial RMSNorm AttentionNorm { get; }

    [Attention(Heads = "heads", Causal = true, Rotary = true, Bias = false), Residual(From = "x")]
    partial Attention Attention { get; }

    [RMSNorm]
    partial RMSNorm FfnNorm { get; }

    [Nested("dim", "hidden"), Residual(From = nameof(Attention))]
    partial FeedForward FeedForward { get; }

    /// <summary>Applies the layer to a sequence.</summary>
    [return: Shape("B", "T", "dim")]
    public partial Tensor Forward([Shape("B", "T", "dim")] Tensor x);
}

/// <summary>
/// A LLaMA-style decoder: token embeddings, <c>layers</c> <see cref="LlamaBlock"/>s, a final RMSNorm and an output
/// projection without bias to next-token logits. Positions enter only through the rotary attention.
/// </summary>
[Model]
public sealed partial class Llama
{
    /// <summary>A decoder over <paramref name="vocab"/> tokens.</summary>
    public partial Llama(int vocab, int dim, int layers, int heads, int hidden);

    [Embedding("vocab", "dim")]
    partial Embedding TokEmbeddings { get; }

    [Nested("dim", "heads", "hidden", Repeat = "layers")]
    partial ModuleList<LlamaBlock> Layers { get; }

    [RMSNorm]
    partial RMSNorm Norm { get; }

    [Linear("vocab", Bias = false)]
    partial Linear Output { get; }

    /// <summary>Next-token logits at every position of a batch of token sequences.</summary>
    [return: Shape("B", "T", "vocab")]
    public partial Tensor Forward([Shape("B", "T")] Tensor tokens);
}
