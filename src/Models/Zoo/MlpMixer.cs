using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Zoo;

/// <summary>
/// One layer of MLP-Mixer (Tolstikhin et al. 2021): an MLP across the tokens (on the transposed sequence, so its
/// weights are <c>[hidden, tokens]</c> as in PyTorch), then one across the channels, each pre-normalised and residual.
/// </summary>
[Model]
public sealed partial class MixerBlock
{
    /// <summary>A layer for <paramref name="tokens"/> patches of <paramref name="channels"/> channels.</summary>
    public partial MixerBlock(int tokens, int channels, int tokenHidden, int channelHidden);

    [LayerNorm, Transpose(1, 2)]
    partial LayerNorm TokenNorm { get; }

    [Linear("tokenHidden"), GELU]
    partial Linear TokenFc1 { get; }

    [Linear("tokens"), Transpose(1, 2), Residual(From = "x")]
    partial Linear TokenFc2 { get; }

    [LayerNorm]
    partial LayerNorm ChannelNorm { get; }

    [Linear("channelHidden"), GELU]
    partial Linear ChannelFc1 { get; }

    [Linear("channels"), Residual(From = nameof(TokenFc2))]
    partial Linear ChannelFc2 { get; }

    /// <summary>Mixes a sequence of patch embeddings.</summary>
    [return: Shape("B", "tokens", "channels")]
    public partial Tensor Forward([Shape("B", "tokens", "channels")] Tensor x);
}

/// <summary>
/// MLP-Mixer for 32 × 32 images: 4 × 4 patches embedded by a strided convolution into 64 tokens, <c>depth</c> mixer
/// layers, a final LayerNorm, the mean over tokens and a linear classifier.
/// </summary>
[Model]
public sealed partial class MlpMixer
{
    private const int Patch = 4;
    private const int Tokens = 64;

    /// <summary>A mixer of <paramref name="depth"/> layers of <paramref name="channels"/> channels.</summary>
    public partial MlpMixer(int channels, int depth, int tokenHidden, int channelHidden, int classes);

    [Conv2d("channels", Kernel = "Patch", Stride = "Patch"), Flatten(StartDim = 2), Transpose(1, 2)]
    partial Conv2d Stem { get; }

    [Nested("Tokens", "channels", "tokenHidden", "channelHidden", Repeat = "depth")]
    partial ModuleList<MixerBlock> Blocks { get; }

    [LayerNorm, Mean(1)]
    partial LayerNorm Norm { get; }

    [Linear("classes")]
    partial Linear Head { get; }

    /// <summary>Class logits for a batch of RGB images.</summary>
    [return: Shape("B", "classes")]
    public partial Tensor Forward([Shape("B", 3, 32, 32)] Tensor x);
}
