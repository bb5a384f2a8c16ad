using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// A compact DCGAN generator following the DCGAN paper's rules (Radford et al. 2016: batch normalisation, ReLU,
/// transposed convolutions, tanh output; the layout of PyTorch's DCGAN example cut to two upsamplings for 28×28):
/// the noise, as a 1×1 image, becomes <c>(size/4)² · 4w</c> features through one transposed convolution, then two
/// 4×4 stride-2 transposed convolutions draw <c>channels × size × size</c> in [-1, 1]. About half the
/// arithmetic of <c>DcganGenerator</c> at the same width.
/// </summary>
[Model]
public sealed partial class CompactDcganGenerator
{
    /// <summary>Creates a generator for <paramref name="channels"/>×<paramref name="size"/>×<paramref name="size"/> images (size a multiple of 4).</summary>
    public partial CompactDcganGenerator(int noise, int channels, int size, int width);

    /// <summary>The MNIST configuration: 100-d noise to 1×28×28, width 64.</summary>
    public static CompactDcganGenerator Mnist() => new(noise: 100, channels: 1, size: 28, width: 64);

    [Reshape("noise", 1, 1), ConvTranspose2d("4 * width", Kernel = "size / 4", Bias = false)]
    partial ConvTranspose2d Project { get; }

    [BatchNorm2d, ReLU]
    partial BatchNorm2d Norm0 { get; }

    [ConvTranspose2d("2 * width", Kernel = 4, Stride = 2, Padding = 1, Bias = false)]
    partial ConvTranspose2d Up1 { get; }

    [BatchNorm2d, ReLU]
    partial BatchNorm2d Norm1 { get; }

    [ConvTranspose2d("channels", Kernel = 4, Stride = 2, Padding = 1), Tanh]
    partial ConvTranspose2d Up2 { get; }

    /// <summary>Generates images from noise.</summary>
    [return: Shape("B", "channels", "size", "size")]
    public partial Tensor Forward([Shape("B", "noise")] Tensor z);
}
