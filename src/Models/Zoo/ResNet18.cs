using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Zoo;

/// <summary>
/// One stage of a ResNet after the first: a <see cref="DownsampleBlock"/> that halves the resolution and widens to
/// <c>channels</c>, then <c>blocks − 1</c> <see cref="BasicBlock"/>s that keep it.
/// </summary>
/// <remarks>State-dict keys: torchvision's <c>layerN.0</c> is <c>layerN.down</c>, and <c>layerN.k</c> is <c>layerN.blocks.(k − 1)</c>.</remarks>
[Model]
public sealed partial class ResNetStage
{
    /// <summary>A stage from <paramref name="inChannels"/> to <paramref name="channels"/> channels of <paramref name="blocks"/> blocks (at least 2).</summary>
    public partial ResNetStage(int inChannels, int channels, int blocks);

    [Nested("inChannels", "channels")]
    partial DownsampleBlock Down { get; }

    [Nested("channels", Repeat = "blocks - 1")]
    partial ModuleList<BasicBlock> Blocks { get; }

    /// <summary>Applies the stage: <c>[B, inChannels, H, W] → [B, channels, ⌈H/2⌉, ⌈W/2⌉]</c>.</summary>
    [return: Shape("B", "channels", "(H - 1) / 2 + 1", "(W - 1) / 2 + 1")]
    public partial Tensor Forward([Shape("B", "inChannels", "H", "W")] Tensor x);
}

/// <summary>
/// torchvision's ResNet-18 (He et al. 2016): a 7×7, stride-2 stem with max pooling, four stages of two basic blocks
/// (64, 128, 256 and 512 channels, each later stage halving the resolution), global average pooling and a linear
/// classifier. For 1,000 classes it has torchvision's 11,689,512 parameters; any image of at least 1×1 passes.
/// </summary>
/// <remarks>
/// State-dict keys are torchvision's but for the stages after the first (<see cref="ResNetStage"/>) and the
/// downsampling shortcut (<see cref="DownsampleBlock"/>): <c>interop/pytorch/zoo.py</c> renames them.
/// </remarks>
[Model]
public sealed partial class ResNet18
{
    /// <summary>A ResNet-18 for <paramref name="classes"/> classes.</summary>
    public partial ResNet18(int classes);

    [Conv2d(64, Kernel = 7, Stride = 2, Padding = 3, Bias = false)]
    partial Conv2d Conv1 { get; }

    [BatchNorm2d, ReLU, MaxPool2d(3, Stride = 2, Padding = 1)]
    partial BatchNorm2d Bn1 { get; }

    [Nested(64, Repeat = 2)]
    partial ModuleList<BasicBlock> Layer1 { get; }

    [Nested(64, 128, 2)]
    partial ResNetStage Layer2 { get; }

    [Nested(128, 256, 2)]
    partial ResNetStage Layer3 { get; }

    [Nested(256, 512, 2)]
    partial ResNetStage Layer4 { get; }

    [AdaptiveAvgPool2d(1), Flatten, Linear("classes")]
    partial Linear Fc { get; }

    /// <summary>Class logits for a batch of RGB images of any size.</summary>
    [return: Shape("B", "classes")]
    public partial Tensor Forward([Shape("B", 3, "H", "W")] Tensor x);
}
