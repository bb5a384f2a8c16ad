using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.SnapshotTests;

/// <summary>
/// Snapshots of the generated TorchSharp modules for representative models (docs/architecture.md, "Tests"). Every model must also
/// compile with its generated code without errors, and the generated code without warnings (users build with
/// TreatWarningsAsErrors and XML docs on). Accept changes with <c>MODELDSL_ACCEPT_SNAPSHOTS=1</c>.
/// </summary>
public sealed class GeneratedCodeTests
{
    [Fact]
    public Task Mlp() => VerifyModel(TestModels.Mlp, ["Samples.Mlp.g.cs"]);

    [Fact]
    public Task Cnn() => VerifyModel(TestModels.Cnn, ["Samples.Cnn.g.cs"]);

    [Fact]
    public Task ResidualBlock() => VerifyModel(TestModels.ResidualBlock, ["Samples.ResidualBlock.g.cs"]);

    [Fact]
    public Task MultiInput() => VerifyModel(TestModels.MultiInput, ["Samples.TwoTower.g.cs"]);

    [Fact]
    public Task NestedModel() => VerifyModel(TestModels.Nested, ["Samples.Classifier.g.cs", "Samples.Features.g.cs"]);

    [Fact]
    public Task RepeatedBlocks() => VerifyModel(TestModels.Repeated, ["Samples.Block.g.cs", "Samples.Stack.g.cs"]);

    [Fact]
    public Task HyperParameters() => VerifyModel(TestModels.HyperParameters, ["Samples.ConvNet.g.cs"]);

    [Fact]
    public Task DcganGenerator() => VerifyModel(TestModels.DcganGenerator, ["Samples.DcganGenerator.g.cs"]);

    [Fact]
    public Task NestedMultiInput() => VerifyModel(TestModels.NestedMultiInput, ["Samples.CrossMix.g.cs", "Samples.EncoderDecoder.g.cs"]);

    [Fact]
    public Task TinyGpt() => VerifyModel(TestModels.TinyGpt, ["Samples.GptBlock.g.cs", "Samples.TinyGpt.g.cs"]);

    [Fact]
    public Task GanPairing() => VerifyModel(TestModels.GanPair, ["Samples.Critic.g.cs", "Samples.DcganGenerator.g.cs", "Samples.MnistGan.g.cs"]);

    [Fact]
    public void Tiny_gpt_parameter_count_matches_nanoGPT()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.TinyGpt);
        run.AssertSuccess();

        // wte 65·128 + wpe 64·128 + 4 × (2 LayerNorms 2·256 + attention 4·128² + 4·128 + MLP 128·512 + 512 + 512·128 + 128)
        // + final LayerNorm 256; the tied head adds nothing.
        Assert.Contains("public const long ParameterCount = 809856;", run.GeneratedText("Samples.TinyGpt.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>
    /// A column's dense layer on a flattened map takes lateral maps: V is a 1×1 convolution on the channels (here a
    /// hyperparameter), flattened before U; a dense layer on a vector keeps V = Linear.
    /// </summary>
    [Fact]
    public void Column_adapter_reduces_a_flattened_map_before_the_flatten()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model, ProgressiveColumn]
            public sealed partial class Column
            {
                public partial Column(int channels, int classes);
                [Conv2d("channels", Kernel = 3, Padding = "same"), ReLU] partial Conv2d Conv { get; }
                [Flatten, Linear(32), ReLU] partial Linear Hidden { get; }
                [Linear("classes")] partial Linear Head { get; }
                public partial Tensor Forward([Shape("B", 1, 8, 8)] Tensor image);
            }
            """);
        run.AssertSuccess();

        string code = run.GeneratedText("Samples.Column.g.cs");
        Assert.Contains("layerInputs?.Add(scope.MoveToOuter(conv));\n        var hidden = conv.flatten(1);", code.Replace("\r\n", "\n"), StringComparison.Ordinal);
        Assert.Contains("new(global::TorchSharp.torch.nn.Conv2d(Channels * previousColumns, Channels, 1), global::TorchSharp.torch.nn.Linear(64 * Channels, 32, hasBias: false), flatten: true),", code, StringComparison.Ordinal);
        Assert.Contains("new(global::TorchSharp.torch.nn.Linear(32 * previousColumns, 32), global::TorchSharp.torch.nn.Linear(32, Classes, hasBias: false)),", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Dcgan_generator_parameter_count_matches_PyTorch()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.DcganGenerator);
        run.AssertSuccess();

        // Linear 100·12544 + BatchNorm1d 2·12544 + ConvT 256·128·25 + BN 2·128 + ConvT 128·64·25 + BN 2·64 + ConvT 64·1·25.
        Assert.Contains("public const long ParameterCount = 2305472;", run.GeneratedText("Samples.DcganGenerator.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Output_is_deterministic()
    {
        GeneratorRun first = GeneratorHarness.Run(TestModels.Repeated);
        GeneratorRun second = GeneratorHarness.Run(TestModels.Repeated);

        Assert.Equal(first.GeneratedText("Samples.Stack.g.cs"), second.GeneratedText("Samples.Stack.g.cs"));
        Assert.Equal(first.GeneratedText("Samples.Block.g.cs"), second.GeneratedText("Samples.Block.g.cs"));
    }

    // One generated file per model, hint names in ordinal order; the snapshot is named after the calling test.
    private static async Task VerifyModel(string source, string[] expectedHintNames, [CallerMemberName] string test = "")
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        run.AssertSuccess();
        Assert.Equal(expectedHintNames, run.GeneratedSources.Select(s => s.HintName).ToArray());
        await Snapshot.VerifyAsync(run, callerMemberName: test);
    }
}
