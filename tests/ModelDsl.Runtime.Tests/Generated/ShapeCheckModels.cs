using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Generated;

/// <summary>A linear classifier over flat MNIST vectors: [B, 784] → [B, 10].</summary>
[Model]
public sealed partial class FlatClassifier
{
    [Linear(10)] partial Linear Output { get; }

    [return: Shape("B", 10)]
    public partial Tensor Forward([Shape("B", 784)] Tensor x);
}

/// <summary>Two inputs that share the batch dim B: [B, 4] and [B, 6] → [B, 8].</summary>
[Model]
public sealed partial class TwoInputs
{
    [Input("a"), Linear(8)]                     partial Linear FromA { get; }
    [Input("b"), Linear(8), Residual(From = "FromA")] partial Linear FromB { get; }

    [return: Shape("B", 8)]
    public partial Tensor Forward([Shape("B", 4)] Tensor a, [Shape("B", 6)] Tensor b);
}

/// <summary>A second input whose length is an expression of the first's: [B, T, 8] and [B, 2 * T, 8].</summary>
[Model]
public sealed partial class DoubledSequence
{
    [Linear(8)]                                     partial Linear Short { get; }
    [Input("b"), Linear(8), Concat("Short", Dim = 1)] partial Linear Long { get; }

    [return: Shape("B", "3 * T", 8)]
    public partial Tensor Forward([Shape("B", "T", 8)] Tensor a, [Shape("B", "2 * T", 8)] Tensor b);
}

/// <summary>Causal self-attention whose width must be a multiple of the number of heads, both hyperparameters.</summary>
[Model]
public sealed partial class HeadsGuarded
{
    public partial HeadsGuarded(int embed, int heads);

    [CausalSelfAttention(Heads = "heads")] partial ModelDsl.Layers.CausalSelfAttention Attn { get; }

    [return: Shape("B", "T", "embed")]
    public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
}

/// <summary>Multi-head attention with the heads as a hyperparameter.</summary>
[Model]
public sealed partial class AttentionHeadsGuarded
{
    public partial AttentionHeadsGuarded(int embed, int heads);

    [Attention(Heads = "heads")] partial ModelDsl.Layers.Attention Attn { get; }

    [return: Shape("B", "T", "embed")]
    public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
}

/// <summary>A projection reshaped to [rows, 4]: features must equal 4 · rows, checked when constructed.</summary>
[Model]
public sealed partial class Unflatten
{
    public partial Unflatten(int features, int rows);

    [Linear("features"), Reshape("rows", 4)] partial Linear Proj { get; }

    [return: Shape("B", "rows", 4)]
    public partial Tensor Forward([Shape("B", 16)] Tensor x);
}
