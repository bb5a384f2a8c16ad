using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Generated;

/// <summary>Conv1d, GroupNorm and RMSNorm on a sequence of 4 channels, averaged over its positions (zoo_models.SequenceConv).</summary>
[Model]
public sealed partial class SequenceConv
{
    [Conv1d(8, Kernel = 5, Padding = "same")]                           public partial Conv1d Conv1 { get; }
    [GroupNorm(4), ReLU]                                                 public partial GroupNorm Norm1 { get; }
    [Conv1d(16, Kernel = 3, Stride = 2, Bias = false), Transpose(1, 2)]  public partial Conv1d Conv2 { get; }
    [RMSNorm, Mean(1)]                                                   public partial ModelDsl.Layers.RMSNorm Norm2 { get; }

    [return: Shape("B", 16)]
    public partial Tensor Forward([Shape("B", 4, "L")] Tensor x);
}

/// <summary>A two-layer bidirectional GRU from a given state, and scores per step (zoo_models.BiGruTagger).</summary>
[Model]
public sealed partial class BiGruTagger
{
    [GRU(8, Layers = 2, Bidirectional = true, InitialState = "h0", FinalState = "H")] public partial GRU Rnn { get; }
    [Linear(3)]                                                                       public partial Linear Scores { get; }

    [return: Shape("B", "T", 3), Shape(4, "B", 8)]
    public partial (Tensor Scores, Tensor H) Forward([Shape("B", "T", 6)] Tensor x, [Shape(4, "B", 8)] Tensor h0);
}

/// <summary>
/// Two learned tokens in front, a learned bias <c>[1, 1, 8]</c>, rotary causal self-attention and the last token's
/// features (zoo_models.TokenModel).
/// </summary>
[Model]
public sealed partial class TokenModel
{
    [ClassToken(Count = 2)]                                          public partial Parameter Tokens { get; }
    [Learned(1, 1, 8)]                                               public partial Parameter Bias { get; }
    [CausalSelfAttention(Heads = 2, Rotary = true), Select(1, -1)]   public partial ModelDsl.Layers.CausalSelfAttention Attn { get; }

    [return: Shape("B", 8)]
    public partial Tensor Forward([Shape("B", "T", 8)] Tensor x);
}

/// <summary>An LSTM whose state starts at zero and is not returned.</summary>
[Model]
public sealed partial class StatelessLstm
{
    [LSTM(5)]   public partial LSTM Rnn { get; }

    [return: Shape("B", "T", 5)]
    public partial Tensor Forward([Shape("B", "T", 3)] Tensor x);
}

/// <summary>Recurrent layers without biases: a two-layer bidirectional LSTM from a given state and returning it, then a GRU.</summary>
[Model]
public sealed partial class BiasFreeRecurrent
{
    [LSTM(6, Layers = 2, Bidirectional = true, Bias = false, InitialState = new[] { "h0", "c0" }, FinalState = new[] { "H", "C" })] public partial LSTM Lstm { get; }
    [GRU(5, Bias = false)]                                                                                                        public partial GRU Gru { get; }

    [return: Shape("B", "T", 5), Shape(4, "B", 6), Shape(4, "B", 6)]
    public partial (Tensor Gru, Tensor H, Tensor C) Forward([Shape("B", "T", 3)] Tensor x, [Shape(4, "B", 6)] Tensor h0, [Shape(4, "B", 6)] Tensor c0);
}
