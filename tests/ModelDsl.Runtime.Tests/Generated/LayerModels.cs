using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Generated;

/// <summary>Learned position embeddings (at most 16 positions), then the fixed sinusoidal table, then LayerNorm.</summary>
[Model]
public sealed partial class Positioned
{
    [PositionalEmbedding(16)]          public partial Embedding Positions { get; }
    [SinusoidalEncoding, LayerNorm]    public partial LayerNorm Norm { get; }

    [return: Shape("B", "T", 8)]
    public partial Tensor Forward([Shape("B", "T", 8)] Tensor x);
}

/// <summary>Cross-attention from a target sequence to a padded source sequence, with a causal self-attention first.</summary>
[Model]
public sealed partial class PaddedCrossAttention
{
    [Input("target"), Attention(Heads = 2, Causal = true), Residual]        public partial ModelDsl.Layers.Attention SelfAttn { get; }
    [Attention(Heads = 2, Memory = "source", KeyPadding = "padding")]       public partial ModelDsl.Layers.Attention CrossAttn { get; }

    [return: Shape("B", "T", 8)]
    public partial Tensor Forward([Shape("B", "T", 8)] Tensor target, [Shape("B", "S", 8)] Tensor source, [Shape("B", "S")] Tensor padding);
}

/// <summary>An activation on the argument itself (must not overwrite it) and one after the layer (may run in place).</summary>
[Model]
public sealed partial class ActivatedInput
{
    [LeakyReLU(0.1), Linear(4), ReLU] public partial Linear Fc { get; }

    [return: Shape("B", 4)]
    public partial Tensor Forward([Shape("B", 8)] Tensor x);
}
