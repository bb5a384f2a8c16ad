using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

/// <summary>
/// The encoder–decoder Transformer of Vaswani et al. (2017): scaled token embeddings with sinusoidal
/// positions, a stack of <see cref="EncoderLayer"/>s over the source, a stack of <see cref="DecoderLayer"/>s
/// over the target that attends to the encoder's memory, and an output projection to the vocabulary.
/// Padding masks are true at padded positions. With <c>shareEmbeddings</c> the two embeddings and the output
/// projection hold one matrix, as the paper's §3.4 does for a vocabulary shared by source and target.
/// </summary>
[Model]
public sealed partial class Transformer
{
    /// <summary>
    /// Creates a Transformer; <paramref name="embed"/> must be a multiple of <paramref name="heads"/>.
    /// <paramref name="shareEmbeddings"/> ties the source and target embeddings and the output projection (the paper's
    /// choice); false gives each its own matrix.
    /// </summary>
    public partial Transformer(int vocab, int layers, int heads, int embed, int hidden, double dropout, bool shareEmbeddings);

    [Embedding("vocab", "embed", Scaled = true), SinusoidalEncoding, Dropout("dropout")]
    partial Embedding SourceEmbedding { get; }

    [Nested("embed", "heads", "hidden", "dropout", Repeat = "layers", Inputs = new[] { "sourcePadding" })]
    partial ModuleList<EncoderLayer> Encoder { get; }

    [Input("target"), Embedding("vocab", "embed", Scaled = true, TiedTo = nameof(SourceEmbedding), TiedWhen = "shareEmbeddings"), SinusoidalEncoding, Dropout("dropout")]
    partial Embedding TargetEmbedding { get; }

    [Nested("embed", "heads", "hidden", "dropout", Repeat = "layers", Inputs = new[] { nameof(Encoder), "sourcePadding", "targetPadding" })]
    partial ModuleList<DecoderLayer> Decoder { get; }

    [Linear("vocab", TiedTo = nameof(SourceEmbedding), TiedWhen = "shareEmbeddings")]
    partial Linear Output { get; }

    /// <summary>Next-token logits for every target position (teacher forcing).</summary>
    [return: Shape("B", "T", "vocab")]
    public partial Tensor Forward(
        [Shape("B", "S")] Tensor source,
        [Shape("B", "T")] Tensor target,
        [Shape("B", "S")] Tensor sourcePadding,
        [Shape("B", "T")] Tensor targetPadding);
}
