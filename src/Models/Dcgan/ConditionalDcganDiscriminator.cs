using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The conditional DCGAN discriminator: the class label is embedded as one extra <c>size × size</c> image plane and
/// joined to the image's channels, so every convolution sees which class the image claims to be; then the
/// <c>DcganDiscriminator</c> stack gives one logit (positive means "a real image of this class").
/// </summary>
[Model]
public sealed partial class ConditionalDcganDiscriminator
{
    /// <summary>Creates a discriminator of <paramref name="classes"/> classes for <paramref name="channels"/>×<paramref name="size"/>×<paramref name="size"/> images.</summary>
    public partial ConditionalDcganDiscriminator(int classes, int channels, int size, int width);

    /// <summary>The MNIST configuration: ten digits, 1×28×28 images, width 64.</summary>
    public static ConditionalDcganDiscriminator Mnist() => new(classes: 10, channels: 1, size: 28, width: 64);

    [Input("labels"), Embedding("classes", "size * size"), Reshape(1, "size", "size")]
    partial Embedding Label { get; }

    [Input("image"), Concat(nameof(Label), Dim = 1), Conv2d("width", Kernel = 5, Stride = 2, Padding = 2), LeakyReLU(0.2), Dropout(0.3)]
    partial Conv2d Conv1 { get; }

    [Conv2d("2 * width", Kernel = 5, Stride = 2, Padding = 2), LeakyReLU(0.2), Dropout(0.3)]
    partial Conv2d Conv2 { get; }

    [Flatten, Linear(1)]
    partial Linear Logit { get; }

    /// <summary>Scores images against the classes they claim (int64 labels in [0, classes)): one logit per image.</summary>
    [return: Shape("B", 1)]
    public partial Tensor Forward([Shape("B", "channels", "size", "size")] Tensor image, [Shape("B")] Tensor labels);
}
