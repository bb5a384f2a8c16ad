using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Zoo;

/// <summary>
/// torchvision's ResNet <c>BasicBlock</c> that keeps its shape: two 3×3 convolutions with batch norm, the input added
/// back before the last ReLU (He et al. 2016).
/// </summary>
[Model]
public sealed partial class BasicBlock
{
    /// <summary>A block of <paramref name="channels"/> channels in and out.</summary>
    public partial BasicBlock(int channels);

    [Conv2d("channels", Kernel = 3, Padding = 1, Bias = false)]
    partial Conv2d Conv1 { get; }

    [BatchNorm2d, ReLU]
    partial BatchNorm2d Bn1 { get; }

    [Conv2d("channels", Kernel = 3, Padding = 1, Bias = false)]
    partial Conv2d Conv2 { get; }

    [BatchNorm2d, Residual(From = "x"), ReLU]
    partial BatchNorm2d Bn2 { get; }

    /// <summary>Applies the block to a feature map.</summary>
    [return: Shape("B", "channels", "H", "W")]
    public partial Tensor Forward([Shape("B", "channels", "H", "W")] Tensor x);
}

/// <summary>
/// torchvision's <c>BasicBlock</c> with its downsampling shortcut: the first 3×3 convolution has stride 2, and the
/// input reaches the sum through a 1×1, stride-2 convolution and batch norm. At an odd size the stride skips the last
/// row and column, as PyTorch defines it: 31 × 31 becomes 16 × 16, like 32 × 32.
/// </summary>
/// <remarks>
/// State-dict keys: torchvision's <c>downsample.0</c> and <c>downsample.1</c> are <c>downsample_conv</c> and
/// <c>downsample_norm</c> here.
/// </remarks>
[Model]
public sealed partial class DownsampleBlock
{
    /// <summary>A block from <paramref name="inChannels"/> to <paramref name="channels"/> channels at half the resolution.</summary>
    public partial DownsampleBlock(int inChannels, int channels);

    [Conv2d("channels", Kernel = 3, Stride = 2, Padding = 1, Bias = false)]
    partial Conv2d Conv1 { get; }

    [BatchNorm2d, ReLU]
    partial BatchNorm2d Bn1 { get; }

    [Conv2d("channels", Kernel = 3, Padding = 1, Bias = false)]
    partial Conv2d Conv2 { get; }

    [BatchNorm2d]
    partial BatchNorm2d Bn2 { get; }

    [Input("x"), Conv2d("channels", Kernel = 1, Stride = 2, Bias = false)]
    partial Conv2d DownsampleConv { get; }

    [BatchNorm2d, Residual(From = nameof(Bn2)), ReLU]
    partial BatchNorm2d DownsampleNorm { get; }

    /// <summary>Applies the block: <c>[B, inChannels, H, W] → [B, channels, ⌈H/2⌉, ⌈W/2⌉]</c>.</summary>
    [return: Shape("B", "channels", "(H - 1) / 2 + 1", "(W - 1) / 2 + 1")]
    public partial Tensor Forward([Shape("B", "inChannels", "H", "W")] Tensor x);
}
