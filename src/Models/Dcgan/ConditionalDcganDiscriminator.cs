using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The conditional DCGAN discriminator: the class label is embedded as one extra <c>size × size</c> image plane and
/// joined to the image's channels, so every convolution sees which class the image claims to be; then the layers of
/// <c>CompactDcganDiscriminator</c> give one logit (positive means "a real image of this class").
/// </summary>
[Model]
public sealed partial class ConditionalDcganDiscriminator
{
    /// <summary>Creates a discriminator of <paramref name="classes"/> classes for <paramref name="channels"/>×<paramref name="size"/>×<paramref name="size"/> images (size a multiple of 4).</summary>
    public partial ConditionalDcganDiscriminator(int classes, int channels, int size, int width);

    /// <summary>The MNIST configuration: ten digits, 1×28×28 images, width 64.</summary>
    public static ConditionalDcganDiscriminator Mnist() => new(classes: 10, channels: 1, size: 28, width: 64);

    [Input("labels"), Embedding("classes", "size * size"), Reshape(1, "size", "size")]
    partial Embedding Label { get; }

    [Input("image"), Concat(nameof(Label), Dim = 1), Conv2d("width", Kernel = 4, Stride = 2, Padding = 1), LeakyReLU(0.2)]
    partial Conv2d Conv1 { get; }

    [Conv2d("2 * width", Kernel = 4, Stride = 2, Padding = 1, Bias = false)]
    partial Conv2d Conv2 { get; }

    [BatchNorm2d, LeakyReLU(0.2)]
    partial BatchNorm2d Norm2 { get; }

    [Conv2d(1, Kernel = "size / 4"), Flatten]
    partial Conv2d Logit { get; }

    /// <summary>Scores images against the classes they claim (int64 labels in [0, classes)): one logit per image.</summary>
    [return: Shape("B", 1)]
    public partial Tensor Forward([Shape("B", "channels", "size", "size")] Tensor image, [Shape("B")] Tensor labels);
}
