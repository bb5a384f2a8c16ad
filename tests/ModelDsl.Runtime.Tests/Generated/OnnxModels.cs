using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Generated;

/// <summary>Every element-wise step, a scale, softmax and log-softmax: [B, 4] → two [B, 6] outputs.</summary>
[Model]
public sealed partial class ActivationChain
{
    [Linear(8), Tanh]                                public partial Linear Fc1 { get; }
    [Linear(8), Sigmoid]                             public partial Linear Fc2 { get; }
    [Linear(8), SiLU]                                public partial Linear Fc3 { get; }
    [Linear(8), GELU]                                public partial Linear Fc4 { get; }
    [Linear(8), Exp, Scale(0.5)]                     public partial Linear Fc5 { get; }
    [Linear(6), Softmax]                             public partial Linear Probs { get; }
    [Input(nameof(Fc5)), Linear(6), LogSoftmax(Dim = 1)] public partial Linear LogProbs { get; }

    public partial (Tensor Probs, Tensor LogProbs) Forward([Shape("B", 4)] Tensor x);
}

/// <summary>
/// Sizes known only at run time: a reshape that keeps T, a chunk along T (even), a concatenation and a mean back over
/// it, a flatten of the trailing dims, LayerNorm without bias, BatchNorm1d over a sequence.
/// </summary>
[Model]
public sealed partial class SequenceShapes
{
    [Linear(6), Reshape("T", 2, 3), Flatten(StartDim = 2)]            public partial Linear Project { get; }
    [Chunk("early", "late", Dim = 1)]                                  public partial Identity Halves { get; }
    [Input("late"), Concat("early", Dim = 1), Mean(1, KeepDim = true)] public partial Identity Pooled { get; }
    [Input(nameof(Project)), Transpose(1, 2), BatchNorm1d]             public partial BatchNorm1d Norm { get; }
    [Transpose(1, 2), LayerNorm(Bias = false), Add(nameof(Pooled))]    public partial LayerNorm Output { get; }

    [return: Shape("B", "T", 6)]
    public partial Tensor Forward([Shape("B", "T", 4)] Tensor x);
}

/// <summary>Pooling with padding (average counts the padding, as PyTorch does), max pooling, and adaptive pooling to a size that does not divide the input.</summary>
[Model]
public sealed partial class Pools
{
    [Conv2d(4, Kernel = 3, Padding = 1), AvgPool2d(3, Stride = 2, Padding = 1)] public partial Conv2d Averaged { get; }
    [Input("x"), MaxPool2d(2)]                                                   public partial Identity Maxed { get; }
    [Input("x"), AdaptiveAvgPool2d(2, 4), Flatten(StartDim = 2)]                 public partial Identity Adaptive { get; }

    public partial (Tensor Averaged, Tensor Maxed, Tensor Adaptive) Forward([Shape("B", 2, 9, 9)] Tensor x);
}

/// <summary>A scaled embedding with sinusoidal positions, unsqueezed and squeezed back: int64 tokens in.</summary>
[Model]
public sealed partial class ScaledTokens
{
    public partial ScaledTokens(int vocab, int embed);

    [Embedding("vocab", "embed", Scaled = true), SinusoidalEncoding, Unsqueeze(1), Squeeze(1)] public partial Embedding Tokens { get; }
    [Permute(0, 2, 1), Permute(0, 2, 1), Linear("vocab")]                                         public partial Linear Logits { get; }

    [return: Shape("B", "T", "vocab")]
    public partial Tensor Forward([Shape("B", "T")] Tensor tokens);
}

/// <summary>Standard normal noise of the input's shape.</summary>
[Model]
public sealed partial class Noise
{
    [RandnLike] public partial Identity Epsilon { get; }

    [return: Shape("B", "N")]
    public partial Tensor Forward([Shape("B", "N")] Tensor x);
}
