using System.Collections.Generic;
using System.Linq;
using ModelDsl.Inference;
using ModelDsl.Models.Classifier;
using ModelDsl.Models.Dcgan;
using ModelDsl.Models.Progressive;
using ModelDsl.Models.Transformers;
using ModelDsl.Models.Zoo;
using ModelDsl.Runtime.Tests.Models;
using Xunit;
using Xunit.Abstractions;
using static ModelDsl.Runtime.Tests.Onnx.OnnxTestKit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Onnx;

/// <summary>
/// The showcase and zoo models exported to ONNX and run by ONNX Runtime: one file each, outputs equal to TorchSharp's
/// evaluation-mode outputs within 1e-5 at two batch sizes and, for sequence models, two lengths (image blocks with
/// symbolic sides: two sizes).
/// </summary>
public sealed class OnnxShowcaseTests(ITestOutputHelper output) : OneThreadTests
{
    private static Tensor Values(params long[] shape) => randn(shape);

    // True at the end of some rows (never a whole row), as a batch of padded sequences has it.
    private static Tensor Padding(long batch, long length)
    {
        var padding = zeros(new[] { batch, length }, dtype: ScalarType.Bool);
        for (var b = 1; b < batch; b += 2)
            padding[b, TensorIndex.Slice(length - b)] = tensor(true);
        return padding;
    }

    private static readonly OnnxParityCase[] Cases =
    {
        new("Gpt", () => new Gpt(vocab: 11, blockSize: 16, layers: 2, heads: 2, embed: 16, dropout: 0.1),
            (b, t) => new[] { randint(0, 11, new[] { b, t }) }, new (long, long)[] { (1, 5), (3, 16) }),
        new("DcganGenerator", () => new DcganGenerator(noise: 16, channels: 1, size: 28, width: 8),
            (b, _) => new[] { Values(b, 16) }, new (long, long)[] { (2, 0), (5, 0) }),
        new("DcganDiscriminator", () => new DcganDiscriminator(channels: 1, size: 28, width: 8),
            (b, _) => new[] { Values(b, 1, 28, 28) }, new (long, long)[] { (1, 0), (4, 0) }),
        new("CompactDcganGenerator", () => new CompactDcganGenerator(noise: 16, channels: 1, size: 28, width: 8),
            (b, _) => new[] { Values(b, 16) }, new (long, long)[] { (2, 0), (5, 0) }),
        new("CompactDcganDiscriminator", () => new CompactDcganDiscriminator(channels: 1, size: 28, width: 8),
            (b, _) => new[] { Values(b, 1, 28, 28) }, new (long, long)[] { (1, 0), (4, 0) }),
        new("DeepDcganGenerator", () => new DeepDcganGenerator(noise: 16, channels: 1, size: 28, width: 8),
            (b, _) => new[] { Values(b, 16) }, new (long, long)[] { (2, 0), (5, 0) }),
        new("ClassifyingDcganDiscriminator", () => new ClassifyingDcganDiscriminator(classes: 10, channels: 1, size: 28, width: 8),
            (b, _) => new[] { Values(b, 1, 28, 28) }, new (long, long)[] { (1, 0), (4, 0) }),
        new("ConditionalDcganGenerator", () => new ConditionalDcganGenerator(noise: 16, classes: 10, channels: 1, size: 28, width: 8),
            (b, _) => new[] { Values(b, 16), randint(0, 10, new[] { b }) }, new (long, long)[] { (2, 0), (5, 0) }),
        new("ConditionalDcganDiscriminator", () => new ConditionalDcganDiscriminator(classes: 10, channels: 1, size: 28, width: 8),
            (b, _) => new[] { Values(b, 1, 28, 28), randint(0, 10, new[] { b }) }, new (long, long)[] { (1, 0), (4, 0) }),
        new("Transformer", () => new Transformer(vocab: 13, layers: 2, heads: 2, embed: 16, hidden: 32, dropout: 0.1, shareEmbeddings: true),
            (b, t) => new[] { randint(0, 13, new[] { b, t + 2 }), randint(0, 13, new[] { b, t }), Padding(b, t + 2), Padding(b, t) },
            new (long, long)[] { (1, 4), (3, 7) }),
        new("MnistClassifier", () => new MnistClassifier(), (b, _) => new[] { Values(b, 1, 28, 28) }, new (long, long)[] { (1, 0), (3, 0) }),
        new("MlpColumn", () => new MlpColumn(hidden: 32, classes: 2), (b, _) => new[] { Values(b, 1, 28, 28) }, new (long, long)[] { (1, 0), (3, 0) }),
        new("ConvColumn", () => new ConvColumn(classes: 2), (b, _) => new[] { Values(b, 1, 28, 28) }, new (long, long)[] { (1, 0), (3, 0) }),
        new("BasicBlock", () => new BasicBlock(channels: 4), (b, side) => new[] { Values(b, 4, side, side + 1) }, new (long, long)[] { (1, 5), (3, 8) }),
        new("DownsampleBlock", () => new DownsampleBlock(inChannels: 3, channels: 6), (b, side) => new[] { Values(b, 3, side, side) }, new (long, long)[] { (1, 7), (3, 8) }),
        new("MlpMixer", () => new MlpMixer(channels: 16, depth: 2, tokenHidden: 8, channelHidden: 32, classes: 10),
            (b, _) => new[] { Values(b, 3, 32, 32) }, new (long, long)[] { (1, 0), (2, 0) }),
        new("ResNet18", () => new ResNet18(classes: 10), (b, side) => new[] { Values(b, 3, side, side) }, new (long, long)[] { (1, 32), (2, 40) }),
        new("VisionTransformer", () => new VisionTransformer(embed: 16, depth: 2, heads: 2, mlp: 32, classes: 10, dropout: 0.1),
            (b, _) => new[] { Values(b, 3, 32, 32) }, new (long, long)[] { (1, 0), (3, 0) }),
        new("DoubleConv", () => new DoubleConv(inChannels: 3, channels: 8, groups: 4), (b, side) => new[] { Values(b, 3, side, side + 1) }, new (long, long)[] { (1, 5), (3, 8) }),
        new("UNet", () => new UNet(inChannels: 1, classes: 3, width: 4, groups: 2), (b, side) => new[] { Values(b, 1, side, side + 4) }, new (long, long)[] { (1, 8), (2, 12) }),
        new("LlamaBlock", () => new LlamaBlock(dim: 16, heads: 2, hidden: 32), (b, t) => new[] { Values(b, t, 16) }, new (long, long)[] { (1, 3), (3, 7) }),
        new("Llama", () => new Llama(vocab: 20, dim: 16, layers: 2, heads: 2, hidden: 32),
            (b, t) => new[] { randint(0, 20, new[] { b, t }) }, new (long, long)[] { (1, 5), (3, 9) }),
        new("CharRnn", () => new CharRnn(vocab: 12, hidden: 8, layers: 2, dropout: 0.2),
            (b, t) => new[] { randint(0, 12, new[] { b, t }), Values(2, b, 8), Values(2, b, 8) }, new (long, long)[] { (1, 3), (3, 7) }),
    };

    /// <summary>The parity check of the model named <paramref name="name"/>.</summary>
    internal static OnnxParityCase Case(string name) => Cases.Single(c => c.Name == name);

    /// <summary>Each model's name and constructor.</summary>
    internal static IEnumerable<(string Name, System.Func<TorchSharp.torch.nn.Module> Create)> Models() => Cases.Select(c => (c.Name, c.Create));

    public static TheoryData<string> Names() => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Model_matches_TorchSharp_from_one_exported_file(string name)
    {
        // Each size as (batch, size) = difference: the parity table of the docs comes from these lines.
        var results = Case(name).RunPerSize();
        output.WriteLine($"{name}: largest difference " + string.Join(", ", results.Select(r => $"({r.Batch}, {r.Size}) = {r.Difference:G3}")));
    }

    /// <summary>Greedy decoding through ONNX Runtime picks the same tokens as <c>Gpt.Generate</c> with temperature 0.</summary>
    [Fact]
    public void Greedy_generation_with_ONNX_Runtime_gives_the_tokens_of_Generate()
    {
        manual_seed(3);
        using var gpt = new Gpt(vocab: 17, blockSize: 8, layers: 2, heads: 2, embed: 16, dropout: 0.0);
        gpt.eval();
        using var exported = Export(gpt.ExportOnnx);
        var prompt = new long[] { 1, 4, 9 };

        using var scope = NewDisposeScope();
        // 20 new tokens: the context slides past the block size of 8, as Generate's does.
        var expected = gpt.Generate(tensor(prompt).unsqueeze(0), maxNewTokens: 20, temperature: 0).squeeze(0).data<long>().ToArray();
        var generator = new OnnxLanguageModel(exported.Model);
        var actual = generator.Generate(prompt, maxNewTokens: 20);

        Assert.Equal(8, generator.BlockSize);
        Assert.Equal(expected, actual);
        output.WriteLine("tokens: " + string.Join(" ", actual));
    }
}
