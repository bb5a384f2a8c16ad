using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Zoo;

/// <summary>
/// Two 3×3 convolutions that keep the resolution, each followed by group normalisation and a ReLU: the unit of
/// <see cref="UNet"/>.
/// </summary>
[Model]
public sealed partial class DoubleConv
{
    /// <summary>A unit from <paramref name="inChannels"/> to <paramref name="channels"/> channels, normalised in <paramref name="groups"/> groups.</summary>
    public partial DoubleConv(int inChannels, int channels, int groups);

    [Conv2d("channels", Padding = 1, Bias = false)]
    partial Conv2d Conv1 { get; }

    [GroupNorm("groups"), ReLU]
    partial GroupNorm Norm1 { get; }

    [Conv2d("channels", Padding = 1, Bias = false)]
    partial Conv2d Conv2 { get; }

    [GroupNorm("groups"), ReLU]
    partial GroupNorm Norm2 { get; }

    /// <summary>Applies the unit to a feature map.</summary>
    [return: Shape("B", "channels", "H", "W")]
    public partial Tensor Forward([Shape("B", "inChannels", "H", "W")] Tensor x);
}

/// <summary>
/// The U-Net of Ronneberger et al. (2015) at two levels, with group normalisation as in diffusion models' U-Nets: the
/// encoder halves the resolution twice with max pooling while doubling the width, the decoder doubles it back with
/// 2×2 transposed convolutions, each time concatenating the encoder's map of that size (the skip connection), and a
/// 1×1 convolution gives per-pixel class scores. Heights and widths must be multiples of 4, which Forward checks.
/// </summary>
[Model]
public sealed partial class UNet
{
    /// <summary>A U-Net from <paramref name="inChannels"/> channels to <paramref name="classes"/> scores per pixel, <paramref name="width"/> channels at the top.</summary>
    public partial UNet(int inChannels, int classes, int width, int groups);

    [Nested("inChannels", "width", "groups")]
    partial DoubleConv Enc1 { get; }

    [MaxPool2d(2), Nested("width", "2 * width", "groups")]
    partial DoubleConv Enc2 { get; }

    [MaxPool2d(2), Nested("2 * width", "4 * width", "groups")]
    partial DoubleConv Bottleneck { get; }

    [ConvTranspose2d("2 * width", Kernel = 2, Stride = 2)]
    partial ConvTranspose2d Up2 { get; }

    [Input(nameof(Enc2)), Concat(nameof(Up2)), Nested("4 * width", "2 * width", "groups")]
    partial DoubleConv Dec2 { get; }

    [ConvTranspose2d("width", Kernel = 2, Stride = 2)]
    partial ConvTranspose2d Up1 { get; }

    [Input(nameof(Enc1)), Concat(nameof(Up1)), Nested("2 * width", "width", "groups")]
    partial DoubleConv Dec1 { get; }

    [Conv2d("classes", Kernel = 1)]
    partial Conv2d Head { get; }

    /// <summary>Per-pixel class scores for a batch of images.</summary>
    [return: Shape("B", "classes", "H", "W")]
    public partial Tensor Forward([Shape("B", "inChannels", "H", "W")] Tensor x);
}
