namespace ModelDsl.Generator.Tests;

/// <summary>
/// Representative DSL sources shared by the snapshot, caching and diagnostic tests. Each compiles on its own
/// (with the generated code) and declares its models in the namespace <c>Samples</c>.
/// </summary>
internal static class TestModels
{
    /// <summary>The usings every model source starts with.</summary>
    public const string Usings = """
        using ModelDsl;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Samples;

        """;

    /// <summary>A two-layer perceptron on MNIST images: Flatten, Linear, ReLU, Linear.</summary>
    public const string Mlp = Usings + """
        [Model]
        public sealed partial class Mlp
        {
            [Flatten, Linear(256), ReLU] partial Linear Hidden { get; }
            [Linear(10)]                 partial Linear Output { get; }

            [return: Shape("B", 10)]
            public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
        }
        """;

    /// <summary>A LeNet-style CNN: two Conv2d + MaxPool2d stages, Flatten, two Linear layers.</summary>
    public const string Cnn = Usings + """
        [Model]
        public sealed partial class Cnn
        {
            [Conv2d(32, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)] partial Conv2d Conv1 { get; }
            [Conv2d(64, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)] partial Conv2d Conv2 { get; }
            [Flatten, Linear(128), ReLU, Dropout(0.5)]                partial Linear Fc1 { get; }
            [Linear(10), LogSoftmax]                                  partial Linear Fc2 { get; }

            [return: Shape("B", 10)]
            public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
        }
        """;

    /// <summary>A ResNet basic block over symbolic spatial dims: conv-bn-relu-conv-bn, the input added back, relu.</summary>
    public const string ResidualBlock = Usings + """
        [Model]
        public sealed partial class ResidualBlock
        {
            [Conv2d(16, Kernel = 3, Padding = 1, Bias = false)] partial Conv2d Conv1 { get; }
            [BatchNorm2d, ReLU]                                  partial BatchNorm2d Bn1 { get; }
            [Conv2d(16, Kernel = 3, Padding = 1, Bias = false)] partial Conv2d Conv2 { get; }
            [BatchNorm2d, Residual(From = "x"), ReLU]            partial BatchNorm2d Bn2 { get; }

            [return: Shape("B", 16, "H", "W")]
            public partial Tensor Forward([Shape("B", 16, "H", "W")] Tensor x);
        }
        """;

    /// <summary>Two Forward arguments: an image branch, a metadata branch read with [Input], joined by [Concat].</summary>
    public const string MultiInput = Usings + """
        [Model]
        public sealed partial class TwoTower
        {
            [Flatten, Linear(64), ReLU]    partial Linear ImageBranch { get; }
            [Input("meta"), Linear(16), Tanh] partial Linear MetaBranch { get; }
            [Concat("ImageBranch"), Linear(10)] partial Linear Head { get; }

            [return: Shape("B", 10)]
            public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image, [Shape("B", 8)] Tensor meta);
        }
        """;

    /// <summary>A [Model] used as a layer of another, with a constructor argument.</summary>
    public const string Nested = Usings + """
        [Model]
        public sealed partial class Features
        {
            public partial Features(int hidden);

            [Flatten, Linear("hidden"), ReLU] partial Linear Hidden { get; }

            public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
        }

        [Model]
        public sealed partial class Classifier
        {
            [Nested(128)]            public partial Features Backbone { get; }
            [Linear(10), LogSoftmax] partial Linear Head { get; }

            [return: Shape("B", 10)]
            public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
        }
        """;

    /// <summary>A transformer-style block repeated <c>layers</c> times in a ModuleList.</summary>
    public const string Repeated = Usings + """
        [Model]
        public sealed partial class Block
        {
            public partial Block(int embed, int hidden, double dropout);

            [LayerNorm]                                  partial LayerNorm Norm { get; }
            [Linear("hidden"), GELU, Dropout("dropout")] partial Linear Up { get; }
            [Linear("embed"), Residual(From = "x")]      partial Linear Down { get; }

            [return: Shape("B", "T", "embed")]
            public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
        }

        [Model]
        public sealed partial class Stack
        {
            public partial Stack(int embed, int layers);

            [Nested("embed", "4 * embed", 0.1, Repeat = "layers")] public partial ModuleList<Block> Blocks { get; }
            [LayerNorm]                                            partial LayerNorm FinalNorm { get; }

            [return: Shape("B", "T", "embed")]
            public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
        }
        """;

    /// <summary>Every size a constructor parameter or an expression of them: checked symbolically, guarded at construction.</summary>
    public const string HyperParameters = Usings + """
        [Model]
        public sealed partial class ConvNet
        {
            public partial ConvNet(int channels, int hidden, int classes, double dropout);

            [Conv2d("channels", Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]     partial Conv2d Features1 { get; }
            [Conv2d("2 * channels", Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)] partial Conv2d Features2 { get; }
            [Flatten, Linear("hidden"), ReLU, Dropout("dropout")]                 partial Linear Hidden { get; }
            [Linear("classes")]                                                   partial Linear Logits { get; }

            [return: Shape("B", "classes")]
            public partial Tensor Forward([Shape("B", 3, 32, 32)] Tensor x);
        }
        """;

    /// <summary>
    /// The DCGAN generator of the TensorFlow tutorial: Linear 7·7·256 (no bias) → BatchNorm1d → LeakyReLU(0.2) →
    /// Reshape(256, 7, 7) → three ConvTranspose2d up to [B, 1, 28, 28]. 2,305,472 trainable parameters (the
    /// tutorial's 2,330,944 counts the batch-norm running statistics too).
    /// </summary>
    public const string DcganGenerator = Usings + """
        [Model]
        public sealed partial class DcganGenerator
        {
            [Linear(7 * 7 * 256, Bias = false)]                                                      partial Linear Project { get; }
            [BatchNorm1d, LeakyReLU(0.2), Reshape(256, 7, 7)]                                        partial BatchNorm1d Norm0 { get; }
            [ConvTranspose2d(128, Kernel = 5, Padding = 2, Bias = false)]                            partial ConvTranspose2d Up1 { get; }
            [BatchNorm2d, LeakyReLU(0.2)]                                                            partial BatchNorm2d Norm1 { get; }
            [ConvTranspose2d(64, Kernel = 5, Stride = 2, Padding = 2, OutputPadding = 1, Bias = false)] partial ConvTranspose2d Up2 { get; }
            [BatchNorm2d, LeakyReLU(0.2)]                                                            partial BatchNorm2d Norm2 { get; }
            [ConvTranspose2d(1, Kernel = 5, Stride = 2, Padding = 2, OutputPadding = 1, Bias = false), Tanh] partial ConvTranspose2d Up3 { get; }

            [return: Shape("B", 1, 28, 28)]
            public partial Tensor Forward([Shape("B", 100)] Tensor z);
        }
        """;

    /// <summary>
    /// A nested model with two Forward arguments (cross-attention style): the flowing value and an encoder output
    /// passed with <c>Inputs</c>.
    /// </summary>
    public const string NestedMultiInput = Usings + """
        [Model]
        public sealed partial class CrossMix
        {
            public partial CrossMix(int embed);

            [Input("memory"), Linear("embed")]                     partial Linear MemoryProj { get; }
            [Input("x"), Concat("MemoryProj", Dim = 1), LayerNorm] partial LayerNorm Mixed { get; }

            [return: Shape("B", "T + S", "embed")]
            public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x, [Shape("B", "S", "embed")] Tensor memory);
        }

        [Model]
        public sealed partial class EncoderDecoder
        {
            [Linear(32), ReLU]                                      partial Linear Encoder { get; }
            [Input("target"), Nested(32, Inputs = new[] { "Encoder" })] partial CrossMix Cross { get; }

            [return: Shape("B", "T + S", 32)]
            public partial Tensor Forward([Shape("B", "S", 16)] Tensor source, [Shape("B", "T", 32)] Tensor target);
        }
        """;

    /// <summary>
    /// nanoGPT's CPU configuration (vocabulary 65, block 64, 4 layers, 4 heads, width 128): token and learned position
    /// embeddings, causal self-attention blocks with residuals, a final LayerNorm and a head tied to the token
    /// embedding. 809,856 parameters (nanoGPT reports 0.80M, leaving out the 8,192 position embeddings).
    /// </summary>
    public const string TinyGpt = Usings + """
        [Model]
        public sealed partial class GptBlock
        {
            public partial GptBlock(int embed, int heads, double dropout);

            [LayerNorm]                                                                        partial LayerNorm Ln1 { get; }
            [CausalSelfAttention(Heads = "heads", Dropout = "dropout"), Residual(From = "x")] partial ModelDsl.Layers.CausalSelfAttention Attn { get; }
            [LayerNorm]                                                                        partial LayerNorm Ln2 { get; }
            [Linear("4 * embed"), GELU]                                                        partial Linear Fc { get; }
            [Linear("embed"), Dropout("dropout"), Residual(From = nameof(Attn))]               partial Linear Proj { get; }

            [return: Shape("B", "T", "embed")]
            public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
        }

        [Model]
        public sealed partial class TinyGpt
        {
            [Embedding(65, 128)]                             public partial Embedding Wte { get; }
            [PositionalEmbedding(64), Dropout(0.1)]          partial Embedding Wpe { get; }
            [Nested(128, 4, 0.1, Repeat = 4)]                partial ModuleList<GptBlock> Blocks { get; }
            [LayerNorm]                                      partial LayerNorm LnF { get; }
            [Linear(65, Bias = false, TiedTo = nameof(Wte))] public partial Linear LmHead { get; }

            [return: Shape("B", "T", 65)]
            public partial Tensor Forward([Shape("B", "T")] Tensor idx);
        }
        """;

    /// <summary>A [Gan] pairing of <see cref="DcganGenerator"/> with a discriminator that takes its [B, 1, 28, 28] output.</summary>
    public const string GanPair = DcganGenerator + """


        [Model]
        public sealed partial class Critic
        {
            [Conv2d(64, Kernel = 5, Stride = 2, Padding = 2), LeakyReLU(0.2), Dropout(0.3)] partial Conv2d Conv1 { get; }
            [Flatten, Linear(1)]                                                            partial Linear Logit { get; }

            [return: Shape("B", 1)]
            public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
        }

        [Gan(typeof(DcganGenerator), typeof(Critic))]
        public sealed partial class MnistGan
        {
        }
        """;
}
