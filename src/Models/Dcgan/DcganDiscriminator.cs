using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The DCGAN discriminator: two 5×5 stride-2 convolutions with leaky ReLU and dropout, then one logit
/// (positive means "real").
/// </summary>
[Model]
public sealed partial class DcganDiscriminator
{
    /// <summary>Creates a discriminator for <paramref name="channels"/>×<paramref name="size"/>×<paramref name="size"/> images.</summary>
    public partial DcganDiscriminator(int channels, int size, int width);

    /// <summary>The MNIST configuration: 1×28×28 images, width 64.</summary>
    public static DcganDiscriminator Mnist() => new(channels: 1, size: 28, width: 64);

    [Conv2d("width", Kernel = 5, Stride = 2, Padding = 2), LeakyReLU(0.2), Dropout(0.3)]
    partial Conv2d Conv1 { get; }

    [Conv2d("2 * width", Kernel = 5, Stride = 2, Padding = 2), LeakyReLU(0.2), Dropout(0.3)]
    partial Conv2d Conv2 { get; }

    [Flatten, Linear(1)]
    partial Linear Logit { get; }

    /// <summary>Scores images: one logit per image.</summary>
    [return: Shape("B", 1)]
    public partial Tensor Forward([Shape("B", "channels", "size", "size")] Tensor image);
}
