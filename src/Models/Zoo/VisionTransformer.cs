using ModelDsl;
using ModelDsl.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Zoo;

/// <summary>
/// One encoder layer of torchvision's Vision Transformer: pre-LayerNorm self-attention and a GELU MLP, each added back
/// to its input.
/// </summary>
/// <remarks>
/// State-dict keys: torchvision's fused <c>self_attention.in_proj_weight</c> is cut into <c>self_attention.query</c>,
/// <c>key</c> and <c>value</c>, its <c>out_proj</c> is <c>out</c>, and <c>mlp.0</c>, <c>mlp.3</c> are <c>mlp_in</c>,
/// <c>mlp_out</c>.
/// </remarks>
[Model]
public sealed partial class VitBlock
{
    /// <summary>A layer of width <paramref name="embed"/>, <paramref name="heads"/> heads and an MLP of <paramref name="mlp"/>.</summary>
    public partial VitBlock(int embed, int heads, int mlp, double dropout);

    [LayerNorm(Eps = 1e-6)]
    partial LayerNorm Ln_1 { get; }

    [Attention(Heads = "heads", Dropout = "dropout"), Residual(From = "x")]
    partial Attention SelfAttention { get; }

    [LayerNorm(Eps = 1e-6)]
    partial LayerNorm Ln_2 { get; }

    [Linear("mlp"), GELU, Dropout("dropout")]
    partial Linear MlpIn { get; }

    [Linear("embed"), Dropout("dropout"), Residual(From = nameof(SelfAttention))]
    partial Linear MlpOut { get; }

    /// <summary>Applies the layer to a sequence of tokens.</summary>
    [return: Shape("B", "T", "embed")]
    public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
}

/// <summary>
/// The Vision Transformer of Dosovitskiy et al. (2021) as torchvision builds it, for 32 × 32 images in 8 × 8 patches:
/// a strided convolution embeds the 16 patches, a learned class token goes in front, a learned position table is
/// added, <c>depth</c> encoder layers and a final LayerNorm follow, and the class token's output is classified.
/// </summary>
/// <remarks>
/// State-dict keys: torchvision's <c>encoder.pos_embedding</c>, <c>encoder.layers.encoder_layer_N</c>,
/// <c>encoder.ln</c> and <c>heads.head</c> are <c>pos_embedding</c>, <c>layers.N</c>, <c>ln</c> and <c>head</c>.
/// </remarks>
[Model]
public sealed partial class VisionTransformer
{
    private const int Patch = 8;

    /// <summary>A ViT of <paramref name="depth"/> layers of width <paramref name="embed"/>.</summary>
    public partial VisionTransformer(int embed, int depth, int heads, int mlp, int classes, double dropout);

    [Conv2d("embed", Kernel = "Patch", Stride = "Patch"), Flatten(StartDim = 2), Transpose(1, 2)]
    partial Conv2d ConvProj { get; }

    [ClassToken]
    public partial Parameter ClassToken { get; }

    [Learned, Dropout("dropout")]
    public partial Parameter PosEmbedding { get; }

    [Nested("embed", "heads", "mlp", "dropout", Repeat = "depth")]
    partial ModuleList<VitBlock> Layers { get; }

    [LayerNorm(Eps = 1e-6), Select(1, 0)]
    partial LayerNorm Ln { get; }

    [Linear("classes")]
    partial Linear Head { get; }

    /// <summary>Class logits for a batch of 32 × 32 RGB images.</summary>
    [return: Shape("B", "classes")]
    public partial Tensor Forward([Shape("B", 3, 32, 32)] Tensor x);
}
