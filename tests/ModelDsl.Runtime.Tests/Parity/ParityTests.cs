using System.Linq;
using ModelDsl.Runtime.Tests.Generated;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Parity;

/// <summary>
/// A generated model and the same network written by hand, given the same weights, give the same outputs,
/// gradients and BatchNorm statistics in train and eval mode; state-dict keys are PyTorch's; the generated
/// parameter count is right.
/// </summary>
public sealed class ParityTests
{
    private static readonly string[] BatchNormBuffers = ["running_mean", "running_var", "num_batches_tracked"];

    private static string[] Expand(string prefix, params string[] names) => names.Select(n => prefix + "." + n).ToArray();

    [Fact]
    public void Mlp()
    {
        random.manual_seed(1);
        var generated = new ParityMlp();
        var hand = new HandMlp();

        string[] keys = ["hidden.weight", "hidden.bias", "output.weight", "output.bias"];
        Assert.Equal(keys, ParityAssert.Keys(generated));
        Assert.Equal(keys, ParityAssert.Keys(hand));
        ParityAssert.CopyWeights(generated, hand);

        ParityAssert.SameOutputsAndGradients(
            generated, x => generated.call(x[0]), hand, x => hand.call(x[0]),
            () => [randn(8, 1, 28, 28)]);

        const long formula = (784 * 256 + 256) + (256 * 10 + 10);
        Assert.Equal(formula, ParityMlp.ParameterCount);
        Assert.Equal(formula, ParityAssert.CountParameters(generated));
        Assert.Equal(formula, ParityAssert.CountParameters(hand));
    }

    [Fact]
    public void Cnn()
    {
        random.manual_seed(2);
        var generated = new ParityCnn();
        var hand = new HandCnn();

        // TorchSharp's state_dict lists every parameter (in registration order), then every buffer.
        string[] keys =
        [
            "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias",
            "conv2.weight", "conv2.bias", "bn2.weight", "bn2.bias",
            "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
            .. Expand("bn1", BatchNormBuffers), .. Expand("bn2", BatchNormBuffers),
        ];
        Assert.Equal(keys, ParityAssert.Keys(generated));
        Assert.Equal(keys, ParityAssert.Keys(hand));
        ParityAssert.CopyWeights(generated, hand);

        ParityAssert.SameOutputsAndGradients(
            generated, x => generated.call(x[0]), hand, x => hand.call(x[0]),
            () => [randn(6, 1, 28, 28)]);

        const long formula = (1 * 8 * 3 * 3 + 8) + 2 * 8 + (8 * 16 * 3 * 3 + 16) + 2 * 16 + (16 * 7 * 7 * 32 + 32) + (32 * 10 + 10);
        Assert.Equal(formula, ParityCnn.ParameterCount);
        Assert.Equal(formula, ParityAssert.CountParameters(generated));
    }

    [Fact]
    public void ResidualBlockWithLayerNormAndGelu()
    {
        const int embed = 12, hidden = 20;
        random.manual_seed(3);
        var generated = new ParityBlock(embed, hidden, dropout: 0.0);
        var hand = new HandBlock(embed, hidden, dropout: 0.0);

        string[] keys = ["norm.weight", "norm.bias", "up.weight", "up.bias", "down.weight", "down.bias"];
        Assert.Equal(keys, ParityAssert.Keys(generated));
        Assert.Equal(keys, ParityAssert.Keys(hand));
        ParityAssert.CopyWeights(generated, hand);

        // LayerNorm starts as the identity (weight 1, bias 0); perturb it so its parameters matter.
        using (no_grad())
            foreach (var p in generated.parameters())
                p.add_(randn_like(p) * 0.1);
        ParityAssert.CopyWeights(generated, hand);

        ParityAssert.SameOutputsAndGradients(
            generated, x => generated.call(x[0]), hand, x => hand.call(x[0]),
            () => [randn(3, 5, embed)]);

        const long formula = 2 * embed + (embed * hidden + hidden) + (hidden * embed + embed);
        Assert.Equal(formula, generated.ParameterCount);
        Assert.Equal(formula, ParityAssert.CountParameters(generated));
    }

    [Fact]
    public void ResidualBlockWithDropoutDrawsTheSameMasks()
    {
        // Dropout sits after GELU in both; with the same seed they drop the same units in train mode.
        const int embed = 12, hidden = 20;
        random.manual_seed(7);
        var generated = new ParityBlock(embed, hidden, dropout: 0.3);
        var hand = new HandBlock(embed, hidden, dropout: 0.3);
        ParityAssert.CopyWeights(generated, hand);
        ParityAssert.SameOutputsAndGradients(
            generated, x => generated.call(x[0]), hand, x => hand.call(x[0]),
            () => [randn(3, 5, embed)]);

        // And dropout is really active in train mode: two draws differ.
        generated.train();
        using var scope = NewDisposeScope();
        var input = randn(3, 5, embed);
        Assert.False(generated.call(input).allclose(generated.call(input)));
    }

    [Fact]
    public void DcganDecoder()
    {
        random.manual_seed(4);
        var generated = new ParityDcganDecoder();
        var hand = new HandDcganDecoder();

        string[] keys =
        [
            "project.weight", "norm0.weight", "norm0.bias",
            "up1.weight", "norm1.weight", "norm1.bias",
            "up2.weight", "norm2.weight", "norm2.bias",
            "up3.weight", "up3.bias",
            .. Expand("norm0", BatchNormBuffers), .. Expand("norm1", BatchNormBuffers), .. Expand("norm2", BatchNormBuffers),
        ];
        Assert.Equal(keys, ParityAssert.Keys(generated));
        Assert.Equal(keys, ParityAssert.Keys(hand));
        ParityAssert.CopyWeights(generated, hand);

        ParityAssert.SameOutputsAndGradients(
            generated, x => generated.call(x[0]), hand, x => hand.call(x[0]),
            () => [randn(4, 100)]);

        const long formula = 100 * 7 * 7 * 256 + 2 * 7 * 7 * 256
            + 256 * 128 * 5 * 5 + 2 * 128
            + 128 * 64 * 5 * 5 + 2 * 64
            + 64 * 1 * 5 * 5 + 1;
        Assert.Equal(2_305_473, formula);
        Assert.Equal(formula, ParityDcganDecoder.ParameterCount);
        Assert.Equal(formula, ParityAssert.CountParameters(generated));
    }

    private static readonly string[] EncoderDecoderKeys =
        ["encoder.weight", "encoder.bias", "cross.memory_proj.weight", "cross.memory_proj.bias", "cross.mixed.weight", "cross.mixed.bias"];

    private const int StackEmbed = 8, StackLayers = 3;

    private static readonly string[] StackKeys = Enumerable.Range(0, StackLayers)
        .SelectMany(i => Expand($"blocks.{i}", "norm.weight", "norm.bias", "up.weight", "up.bias", "down.weight", "down.bias"))
        .Concat(["final_norm.weight", "final_norm.bias"])
        .ToArray();

    private static string[] ParameterNames(nn.Module module) => module.named_parameters().Select(p => p.name).ToArray();

    [Fact]
    public void MultiInputWithNestedTwoInputModel()
    {
        random.manual_seed(5);
        var generated = new ParityEncoderDecoder();
        var hand = new HandEncoderDecoder();

        Assert.Equal(EncoderDecoderKeys, ParityAssert.Keys(generated));
        Assert.Equal(EncoderDecoderKeys, ParameterNames(generated));
        Assert.Equal(EncoderDecoderKeys, ParityAssert.Keys(hand));
        ParityAssert.CopyWeights(generated, hand);

        // Source and target of different lengths: the output is [B, T + S, 32].
        ParityAssert.SameOutputsAndGradients(
            generated, x => generated.call(x[0], x[1]), hand, x => hand.call(x[0], x[1]),
            () => [randn(2, 5, 16), randn(2, 3, 32)]);
        using (var output = generated.call(randn(2, 5, 16), randn(2, 3, 32)))
            Assert.Equal(new long[] { 2, 3 + 5, 32 }, output.shape);

        const long formula = (16 * 32 + 32) + (32 * 32 + 32) + 2 * 32;
        Assert.Equal(formula, ParityEncoderDecoder.ParameterCount);
        Assert.Equal(formula, ParityAssert.CountParameters(generated));
    }

    [Fact]
    public void RepeatedNestedBlocks()
    {
        const int embed = StackEmbed, layers = StackLayers;
        random.manual_seed(6);
        var generated = new ParityStack(embed, layers);
        var hand = new HandStack(embed, layers);

        Assert.Equal(StackKeys, ParityAssert.Keys(generated));
        Assert.Equal(StackKeys, ParameterNames(generated));
        Assert.Equal(StackKeys, ParityAssert.Keys(hand));
        ParityAssert.CopyWeights(generated, hand);

        ParityAssert.SameOutputsAndGradients(
            generated, x => generated.call(x[0]), hand, x => hand.call(x[0]),
            () => [randn(2, 4, embed)]);

        const long perBlock = 2 * embed + (embed * 4 * embed + 4 * embed) + (4 * embed * embed + embed);
        const long formula = layers * perBlock + 2 * embed;
        Assert.Equal(formula, generated.ParameterCount);
        Assert.Equal(formula, ParityAssert.CountParameters(generated));
    }

    // A nested [Model] must not be registered twice: TorchSharp's register_module calls the child's
    // RegisterComponents(), which would add its private fields again under their field names
    // (blocks.0._norm.weight, cross._memoryProj.weight, ...).
    [Fact]
    public void NestedModelsHaveExactlyPyTorchStateDictKeys()
    {
        Assert.Equal(
            ["encoder", "cross", "cross.memory_proj", "cross.mixed"],
            new ParityEncoderDecoder().named_modules().Select(m => m.name).Where(n => n.Length > 0).ToArray());
        Assert.Equal(EncoderDecoderKeys, ParityAssert.Keys(new ParityEncoderDecoder()));
        Assert.Equal(StackKeys, ParityAssert.Keys(new ParityStack(StackEmbed, StackLayers)));

        // A generated model used inside a hand-written module (registered by RegisterComponents) keeps its keys too.
        Assert.Equal(["inner.hidden.weight", "inner.hidden.bias", "inner.output.weight", "inner.output.bias"], ParityAssert.Keys(new HandWrapper()));

        // A checkpoint of the hand-written network loads strictly into the generated one.
        var (missing, unexpected) = new ParityStack(StackEmbed, StackLayers).load_state_dict(new HandStack(StackEmbed, StackLayers).state_dict(), strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);
    }

    private sealed class HandWrapper : nn.Module<Tensor, Tensor>
    {
        private readonly ParityMlp inner = new();

        public HandWrapper() : base(nameof(HandWrapper)) => RegisterComponents();

        public override Tensor forward(Tensor x) => inner.call(x);
    }
}
