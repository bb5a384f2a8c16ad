using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The layers of <c>CompactDcganDiscriminator</c> with one logit per class in place of the single "real" logit: the
/// discriminator of the semi-supervised GAN (Salimans et al. 2016, §5). It learns the classes of the real images, and
/// its score that an image is real is the log-sum-exp of the class logits (a softmax over the classes and "generated",
/// whose logit is fixed at 0), so a generated image passes only by looking like one of the classes. The generator it
/// trains stays unconditional.
/// </summary>
[Model]
public sealed partial class ClassifyingDcganDiscriminator
{
    /// <summary>Creates a discriminator of <paramref name="classes"/> classes for <paramref name="channels"/>×<paramref name="size"/>×<paramref name="size"/> images (size a multiple of 4).</summary>
    public partial ClassifyingDcganDiscriminator(int classes, int channels, int size, int width);

    /// <summary>The MNIST configuration: ten digits, 1×28×28 images, width 64.</summary>
    public static ClassifyingDcganDiscriminator Mnist() => new(classes: 10, channels: 1, size: 28, width: 64);

    [Conv2d("width", Kernel = 4, Stride = 2, Padding = 1), LeakyReLU(0.2)]
    partial Conv2d Conv1 { get; }

    [Conv2d("2 * width", Kernel = 4, Stride = 2, Padding = 1, Bias = false)]
    partial Conv2d Conv2 { get; }

    [BatchNorm2d, LeakyReLU(0.2)]
    partial BatchNorm2d Norm2 { get; }

    [Conv2d("classes", Kernel = "size / 4"), Flatten]
    partial Conv2d Logits { get; }

    /// <summary>Class logits per image; their log-sum-exp is the logit that the image is real.</summary>
    [return: Shape("B", "classes")]
    public partial Tensor Forward([Shape("B", "channels", "size", "size")] Tensor image);
}
