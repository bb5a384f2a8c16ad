using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Generated;

/// <summary>Axis steps on a sequence: [B, T, C] → transpose → [B, C, T] → unsqueeze → [B, C, 1, T] → permute → [B, T, C, 1] → squeeze.</summary>
[Model]
public sealed partial class AxisSteps
{
    [Linear(6), Transpose(1, 2), Unsqueeze(2), Permute(0, 3, 1, 2), Squeeze(-1)]
    public partial Linear Fc { get; }

    [return: Shape("B", "T", 6)]
    public partial Tensor Forward([Shape("B", "T", 4)] Tensor x);
}

/// <summary>LLaMA's feed-forward (SwiGLU): w2(silu(w1 x) · w3 x), with a chunked variant of the same product.</summary>
[Model]
public sealed partial class SwiGlu
{
    [Linear(16, Bias = false), SiLU]                            public partial Linear W1 { get; }
    [Input("x"), Linear(16, Bias = false), Multiply(nameof(W1))] public partial Linear W3 { get; }
    [Linear(8, Bias = false)]                                   public partial Linear W2 { get; }

    [return: Shape("B", "T", 8)]
    public partial Tensor Forward([Shape("B", "T", 8)] Tensor x);
}

/// <summary>One projection cut into two named halves, which two members read: [B, 12] → parts [B, 4] and [B, 8].</summary>
[Model]
public sealed partial class SplitHeads
{
    [Linear(12), Split("small", "large", Sizes = new object[] { 4, 8 })] public partial Linear Project { get; }
    [Input("large"), Chunk("left", "right")]                              public partial Identity Halves { get; }
    [Input("small"), Add("left"), Multiply("right")]                       public partial Identity Combined { get; }

    public partial (Tensor Combined, Tensor Small) Forward([Shape("B", 3)] Tensor x);
}

/// <summary>Broadcasting: a per-sample bias [B, 1, C] added to every position of [B, T, C].</summary>
[Model]
public sealed partial class BroadcastBias
{
    [Input("context"), Linear(5), Unsqueeze(1)] public partial Linear Bias { get; }
    [Input("x"), Linear(5), Add(nameof(Bias))]  public partial Linear Tokens { get; }

    [return: Shape("B", "T", 5)]
    public partial Tensor Forward([Shape("B", "T", 3)] Tensor x, [Shape("B", 2)] Tensor context);
}

/// <summary>Resampling: nearest and bilinear upsampling, global average pooling.</summary>
[Model]
public sealed partial class Resampling
{
    [Conv2d(2, Kernel = 1), Upsample(2)]                                  public partial Conv2d Nearest { get; }
    [Input("x"), Conv2d(2, Kernel = 1), Upsample(3, Bilinear = true)] public partial Conv2d Bilinear { get; }
    [AdaptiveAvgPool2d(1), Flatten]                                       public partial Identity Pooled { get; }

    public partial (Tensor Nearest, Tensor Bilinear, Tensor Pooled) Forward([Shape("B", 1, 5, 7)] Tensor x);
}

/// <summary>The escape hatch: a method with a shape contract used as a step (C# code, so no ONNX export).</summary>
[Model(Onnx = false)]
public sealed partial class CallStep
{
    [Linear(8), Call(nameof(Gate), "x")] public partial Linear Fc { get; }

    [return: Shape("B", 8)]
    public partial Tensor Forward([Shape("B", 8)] Tensor x);

    [return: Shape("N", "D")]
    private static Tensor Gate([Shape("N", "D")] Tensor value, [Shape("N", "D")] Tensor gate) => value * nn.functional.sigmoid(gate);
}

/// <summary>A step method that breaks its own contract at run time: it returns [N, 2·D] where it declares [N, D].</summary>
[Model(Onnx = false)]
public sealed partial class BrokenCall
{
    [Linear(4), Call(nameof(Twice))] public partial Linear Fc { get; }

    public partial Tensor Forward([Shape("B", 3)] Tensor x);

    [return: Shape("N", "D")]
    private static Tensor Twice([Shape("N", "D")] Tensor value) => cat([value, value], 1);
}
