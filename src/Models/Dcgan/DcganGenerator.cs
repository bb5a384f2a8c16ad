using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The DCGAN generator: noise → a <c>(size/4)²·4w</c> projection → two stride-2 transposed convolutions up
/// to <c>channels × size × size</c> in [-1, 1]. With the defaults of <see cref="Mnist"/> it is TensorFlow's
/// DCGAN tutorial generator (Linear 7·7·256, ConvTranspose 128, 64, 1, all 5×5).
/// </summary>
[Model]
public sealed partial class DcganGenerator
{
    /// <summary>Creates a generator for <paramref name="channels"/>×<paramref name="size"/>×<paramref name="size"/> images (size a multiple of 4).</summary>
    public partial DcganGenerator(int noise, int channels, int size, int width);

    /// <summary>The MNIST configuration: 100-d noise to 1×28×28, width 64.</summary>
    public static DcganGenerator Mnist() => new(noise: 100, channels: 1, size: 28, width: 64);

    [Linear("(size / 4) * (size / 4) * 4 * width", Bias = false)]
    partial Linear Project { get; }

    [BatchNorm1d, LeakyReLU(0.2), Reshape("4 * width", "size / 4", "size / 4")]
    partial BatchNorm1d Norm0 { get; }

    [ConvTranspose2d("2 * width", Kernel = 5, Padding = 2, Bias = false)]
    partial ConvTranspose2d Up1 { get; }

    [BatchNorm2d, LeakyReLU(0.2)]
    partial BatchNorm2d Norm1 { get; }

    [ConvTranspose2d("width", Kernel = 5, Stride = 2, Padding = 2, OutputPadding = 1, Bias = false)]
    partial ConvTranspose2d Up2 { get; }

    [BatchNorm2d, LeakyReLU(0.2)]
    partial BatchNorm2d Norm2 { get; }

    [ConvTranspose2d("channels", Kernel = 5, Stride = 2, Padding = 2, OutputPadding = 1), Tanh]
    partial ConvTranspose2d Up3 { get; }

    /// <summary>Generates images from noise.</summary>
    [return: Shape("B", "channels", "size", "size")]
    public partial Tensor Forward([Shape("B", "noise")] Tensor z);
}
