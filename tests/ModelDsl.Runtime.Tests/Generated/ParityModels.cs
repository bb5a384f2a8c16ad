using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Generated;

/// <summary>A two-layer perceptron on MNIST-sized images: Flatten, Linear(256), ReLU, Linear(10).</summary>
[Model]
public sealed partial class ParityMlp
{
    [Flatten, Linear(256), ReLU] partial Linear Hidden { get; }
    [Linear(10)]                 partial Linear Output { get; }

    [return: Shape("B", 10)]
    public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
}

/// <summary>A small CNN: two Conv2d → BatchNorm2d → ReLU → MaxPool2d stages, Flatten, two Linear layers.</summary>
[Model]
public sealed partial class ParityCnn
{
    [Conv2d(8, Kernel = 3, Padding = 1)]  partial Conv2d Conv1 { get; }
    [BatchNorm2d, ReLU, MaxPool2d(2)]     partial BatchNorm2d Bn1 { get; }
    [Conv2d(16, Kernel = 3, Padding = 1)] partial Conv2d Conv2 { get; }
    [BatchNorm2d, ReLU, MaxPool2d(2)]     partial BatchNorm2d Bn2 { get; }
    [Flatten, Linear(32), ReLU]           partial Linear Fc1 { get; }
    [Linear(10)]                          partial Linear Fc2 { get; }

    [return: Shape("B", 10)]
    public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
}

/// <summary>A pre-norm residual MLP block (LayerNorm → Linear → GELU → Dropout → Linear, plus the input).</summary>
[Model]
public sealed partial class ParityBlock
{
    public partial ParityBlock(int embed, int hidden, double dropout);

    [LayerNorm]                                  partial LayerNorm Norm { get; }
    [Linear("hidden"), GELU, Dropout("dropout")] partial Linear Up { get; }
    [Linear("embed"), Residual(From = "x")]      partial Linear Down { get; }

    [return: Shape("B", "T", "embed")]
    public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
}

/// <summary>
/// The DCGAN generator of the TensorFlow tutorial, with a biased final ConvTranspose2d:
/// [B, 100] → [B, 1, 28, 28].
/// </summary>
[Model]
public sealed partial class ParityDcganDecoder
{
    [Linear(7 * 7 * 256, Bias = false)]                                                         partial Linear Project { get; }
    [BatchNorm1d, LeakyReLU(0.2), Reshape(256, 7, 7)]                                           partial BatchNorm1d Norm0 { get; }
    [ConvTranspose2d(128, Kernel = 5, Padding = 2, Bias = false)]                               partial ConvTranspose2d Up1 { get; }
    [BatchNorm2d, LeakyReLU(0.2)]                                                               partial BatchNorm2d Norm1 { get; }
    [ConvTranspose2d(64, Kernel = 5, Stride = 2, Padding = 2, OutputPadding = 1, Bias = false)] partial ConvTranspose2d Up2 { get; }
    [BatchNorm2d, LeakyReLU(0.2)]                                                               partial BatchNorm2d Norm2 { get; }
    [ConvTranspose2d(1, Kernel = 5, Stride = 2, Padding = 2, OutputPadding = 1), Tanh]          partial ConvTranspose2d Up3 { get; }

    [return: Shape("B", 1, 28, 28)]
    public partial Tensor Forward([Shape("B", 100)] Tensor z);
}

/// <summary>A two-input model used as a layer: the flowing value concatenated with a projection of a second input.</summary>
[Model]
public sealed partial class ParityCrossMix
{
    public partial ParityCrossMix(int embed);

    [Input("memory"), Linear("embed")]                     partial Linear MemoryProj { get; }
    [Input("x"), Concat("MemoryProj", Dim = 1), LayerNorm] partial LayerNorm Mixed { get; }

    [return: Shape("B", "T + S", "embed")]
    public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x, [Shape("B", "S", "embed")] Tensor memory);
}

/// <summary>Two Forward arguments and a nested two-input model fed by a tap.</summary>
[Model]
public sealed partial class ParityEncoderDecoder
{
    [Linear(32), ReLU]                                                 partial Linear Encoder { get; }
    [Input("target"), Nested(32, Inputs = new[] { "Encoder" })]        partial ParityCrossMix Cross { get; }

    [return: Shape("B", "T + S", 32)]
    public partial Tensor Forward([Shape("B", "S", 16)] Tensor source, [Shape("B", "T", 32)] Tensor target);
}

/// <summary><see cref="ParityBlock"/> repeated <c>layers</c> times in a ModuleList, then a final LayerNorm.</summary>
[Model]
public sealed partial class ParityStack
{
    public partial ParityStack(int embed, int layers);

    [Nested("embed", "4 * embed", 0.0, Repeat = "layers")] partial ModuleList<ParityBlock> Blocks { get; }
    [LayerNorm]                                            partial LayerNorm FinalNorm { get; }

    [return: Shape("B", "T", "embed")]
    public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
}
