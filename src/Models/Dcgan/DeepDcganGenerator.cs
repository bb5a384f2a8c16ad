using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The DCGAN generator that <c>gan</c> trains by default: the layers of <c>CompactDcganGenerator</c>, except that
/// the last transposed convolution keeps <c>width</c> feature maps at full resolution (batch normalisation, ReLU) and a
/// 3×3 convolution draws the <c>channels × size × size</c> image in [-1, 1] from them. The compact generator draws
/// each pixel straight from 14×14 features through one 4×4 kernel and its strokes stay blotched; this one draws clean
/// strokes within a few hundred steps, for about twice the arithmetic.
/// </summary>
[Model]
public sealed partial class DeepDcganGenerator
{
    /// <summary>Creates a generator for <paramref name="channels"/>×<paramref name="size"/>×<paramref name="size"/> images (size a multiple of 4).</summary>
    public partial DeepDcganGenerator(int noise, int channels, int size, int width);

    /// <summary>The MNIST configuration: 100-d noise to 1×28×28, width 64.</summary>
    public static DeepDcganGenerator Mnist() => new(noise: 100, channels: 1, size: 28, width: 64);

    [Reshape("noise", 1, 1), ConvTranspose2d("4 * width", Kernel = "size / 4", Bias = false)]
    partial ConvTranspose2d Project { get; }

    [BatchNorm2d, ReLU]
    partial BatchNorm2d Norm0 { get; }

    [ConvTranspose2d("2 * width", Kernel = 4, Stride = 2, Padding = 1, Bias = false)]
    partial ConvTranspose2d Up1 { get; }

    [BatchNorm2d, ReLU]
    partial BatchNorm2d Norm1 { get; }

    [ConvTranspose2d("width", Kernel = 4, Stride = 2, Padding = 1, Bias = false)]
    partial ConvTranspose2d Up2 { get; }

    [BatchNorm2d, ReLU]
    partial BatchNorm2d Norm2 { get; }

    [Conv2d("channels", Kernel = 3, Padding = 1), Tanh]
    partial Conv2d ToImage { get; }

    /// <summary>Generates images from noise.</summary>
    [return: Shape("B", "channels", "size", "size")]
    public partial Tensor Forward([Shape("B", "noise")] Tensor z);
}
