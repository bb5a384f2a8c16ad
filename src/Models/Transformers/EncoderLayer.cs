using ModelDsl;
using ModelDsl.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

/// <summary>
/// An encoder layer of the original Transformer (post-LayerNorm): self-attention that ignores padded
/// positions, then a position-wise feed-forward network, each with a residual connection and LayerNorm.
/// </summary>
[Model]
public sealed partial class EncoderLayer
{
    /// <summary>Creates a layer of width <paramref name="embed"/> with a feed-forward width of <paramref name="hidden"/>.</summary>
    public partial EncoderLayer(int embed, int heads, int hidden, double dropout);

    [Attention(Heads = "heads", Dropout = "dropout", KeyPadding = "padding"), Residual(From = "x")]
    partial Attention SelfAttention { get; }

    [LayerNorm]
    partial LayerNorm Norm1 { get; }

    [Linear("hidden"), ReLU, Dropout("dropout")]
    partial Linear FeedForward1 { get; }

    [Linear("embed"), Dropout("dropout"), Residual(From = nameof(Norm1))]
    partial Linear FeedForward2 { get; }

    [LayerNorm]
    partial LayerNorm Norm2 { get; }

    /// <summary>Encodes <paramref name="x"/>; <paramref name="padding"/> is true at padded source positions.</summary>
    [return: Shape("B", "S", "embed")]
    public partial Tensor Forward([Shape("B", "S", "embed")] Tensor x, [Shape("B", "S")] Tensor padding);
}
