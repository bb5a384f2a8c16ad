using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The conditional DCGAN generator: the class label is embedded (a learned vector of <c>classes</c> numbers per
/// class) and joined to the noise, then the layers of <c>CompactDcganGenerator</c> draw a
/// <c>channels × size × size</c> image of that class in [-1, 1].
/// </summary>
[Model]
public sealed partial class ConditionalDcganGenerator
{
    /// <summary>Creates a generator of <paramref name="classes"/> classes for <paramref name="channels"/>×<paramref name="size"/>×<paramref name="size"/> images (size a multiple of 4).</summary>
    public partial ConditionalDcganGenerator(int noise, int classes, int channels, int size, int width);

    /// <summary>The MNIST configuration: 100-d noise and ten digits to 1×28×28, width 64.</summary>
    public static ConditionalDcganGenerator Mnist() => new(noise: 100, classes: 10, channels: 1, size: 28, width: 64);

    [Input("labels"), Embedding("classes", "classes")]
    partial Embedding Label { get; }

    [Concat("z"), Reshape("classes + noise", 1, 1), ConvTranspose2d("4 * width", Kernel = "size / 4", Bias = false)]
    partial ConvTranspose2d Project { get; }

    [BatchNorm2d, ReLU]
    partial BatchNorm2d Norm0 { get; }

    [ConvTranspose2d("2 * width", Kernel = 4, Stride = 2, Padding = 1, Bias = false)]
    partial ConvTranspose2d Up1 { get; }

    [BatchNorm2d, ReLU]
    partial BatchNorm2d Norm1 { get; }

    [ConvTranspose2d("channels", Kernel = 4, Stride = 2, Padding = 1), Tanh]
    partial ConvTranspose2d Up2 { get; }

    /// <summary>Generates images of the given classes (int64 labels in [0, classes)) from noise.</summary>
    [return: Shape("B", "channels", "size", "size")]
    public partial Tensor Forward([Shape("B", "noise")] Tensor z, [Shape("B")] Tensor labels);
}
