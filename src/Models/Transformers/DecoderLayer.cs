using ModelDsl;
using ModelDsl.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

/// <summary>
/// A decoder layer of the original Transformer (post-LayerNorm): masked self-attention, attention over the
/// encoder's memory, and a feed-forward network, each with a residual connection and LayerNorm.
/// </summary>
[Model]
public sealed partial class DecoderLayer
{
    /// <summary>Creates a layer of width <paramref name="embed"/> with a feed-forward width of <paramref name="hidden"/>.</summary>
    public partial DecoderLayer(int embed, int heads, int hidden, double dropout);

    [Attention(Heads = "heads", Dropout = "dropout", Causal = true, KeyPadding = "targetPadding"), Residual(From = "x")]
    partial Attention SelfAttention { get; }

    [LayerNorm]
    partial LayerNorm Norm1 { get; }

    [Attention(Heads = "heads", Dropout = "dropout", Memory = "memory", KeyPadding = "sourcePadding"), Residual(From = nameof(Norm1))]
    partial Attention CrossAttention { get; }

    [LayerNorm]
    partial LayerNorm Norm2 { get; }

    [Linear("hidden"), ReLU, Dropout("dropout")]
    partial Linear FeedForward1 { get; }

    [Linear("embed"), Dropout("dropout"), Residual(From = nameof(Norm2))]
    partial Linear FeedForward2 { get; }

    [LayerNorm]
    partial LayerNorm Norm3 { get; }

    /// <summary>Decodes <paramref name="x"/> while attending to the encoder's <paramref name="memory"/>.</summary>
    [return: Shape("B", "T", "embed")]
    public partial Tensor Forward(
        [Shape("B", "T", "embed")] Tensor x,
        [Shape("B", "S", "embed")] Tensor memory,
        [Shape("B", "S")] Tensor sourcePadding,
        [Shape("B", "T")] Tensor targetPadding);
}
