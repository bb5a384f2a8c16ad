using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// A compact DCGAN discriminator following the DCGAN paper's rules: 4×4 stride-2 convolutions with leaky ReLU,
/// batch normalisation after the second, and a last convolution over the whole <c>(size/4)²</c> map to one logit
/// (positive means "real").
/// </summary>
[Model]
public sealed partial class CompactDcganDiscriminator
{
    /// <summary>Creates a discriminator for <paramref name="channels"/>×<paramref name="size"/>×<paramref name="size"/> images (size a multiple of 4).</summary>
    public partial CompactDcganDiscriminator(int channels, int size, int width);

    /// <summary>The MNIST configuration: 1×28×28 images, width 64.</summary>
    public static CompactDcganDiscriminator Mnist() => new(channels: 1, size: 28, width: 64);

    [Conv2d("width", Kernel = 4, Stride = 2, Padding = 1), LeakyReLU(0.2)]
    partial Conv2d Conv1 { get; }

    [Conv2d("2 * width", Kernel = 4, Stride = 2, Padding = 1, Bias = false)]
    partial Conv2d Conv2 { get; }

    [BatchNorm2d, LeakyReLU(0.2)]
    partial BatchNorm2d Norm2 { get; }

    [Conv2d(1, Kernel = "size / 4"), Flatten]
    partial Conv2d Logit { get; }

    /// <summary>Scores images: one logit per image.</summary>
    [return: Shape("B", 1)]
    public partial Tensor Forward([Shape("B", "channels", "size", "size")] Tensor image);
}
