using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace ModelDsl.Package.Tests;

/// <summary>
/// The ModelDsl.Models package alone (with a TorchSharp backend) from a fresh application: docs/weights.md's example
/// compiles and runs as written, a GPT trains, and the DCGAN, the Transformer and a progressive network run. The
/// core comes with the package: its weights I/O, its progressive runtime and its Debian 12 build fix.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed partial class ModelsPackageTests(PackageFeed feed)
{
    private const string Usings = """
        using System;
        using System.Linq;
        using ModelDsl.Models.Dcgan;
        using ModelDsl.Models.Progressive;
        using ModelDsl.Progressive;
        using TorchSharp;
        using static TorchSharp.torch;

        """;

    // After the example's statements; its names (gpt, fresh, entry) are not reused.
    private const string MoreModels = """

        random.manual_seed(1);
        using var tiny = new Gpt(vocab: 16, blockSize: 8, layers: 1, heads: 2, embed: 16, dropout: 0.0);
        var optimizer = optim.AdamW(tiny.parameters(), lr: 1e-2);
        using var tokens = randint(0, 16, [4, 9]);
        using var inputs = tokens.narrow(1, 0, 8);
        using var targets = tokens.narrow(1, 1, 8);
        var losses = Enumerable.Range(0, 30).Select(_ =>
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.cross_entropy(tiny.Forward(inputs).view(-1, 16), targets.reshape(-1));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }).ToList();
        Console.WriteLine(FormattableString.Invariant($"gpt loss {losses[0]:F3} {losses[^1]:F3}"));

        var gan = Dcgan.Mnist();
        using var fakes = gan.Generator.Forward(randn(2, 100));
        Console.WriteLine($"dcgan [{string.Join(", ", fakes.shape)}] -> [{string.Join(", ", gan.Discriminator.Forward(fakes).shape)}]");

        using var transformer = new Transformer(vocab: 12, layers: 1, heads: 2, embed: 16, hidden: 32, dropout: 0.0, shareEmbeddings: true);
        using var logits = transformer.Forward(randint(0, 12, [2, 7]), randint(0, 12, [2, 5]), zeros(2, 7, dtype: ScalarType.Bool), zeros(2, 5, dtype: ScalarType.Bool));
        Console.WriteLine($"transformer [{string.Join(", ", logits.shape)}]");

        using var pnn = new ProgressiveNetwork<MlpColumn>(() => new MlpColumn(hidden: 16, classes: 2));
        pnn.AddColumn();
        pnn.AddColumn();
        Console.WriteLine($"pnn {pnn.ColumnCount} columns [{string.Join(", ", pnn.forward(randn(3, 1, 28, 28)).shape)}]");
        """;

    [Fact]
    public void Fresh_console_project_trains_and_loads_the_packaged_models()
    {
        feed.AssertPacked();
        var example = WeightsExample(DotnetCli.RepositoryRoot());
        var folder = feed.CreateConsumer("Models", Usings + example + MoreModels, "ModelDsl.Models");

        // Detailed logs show the Debian 12 step's messages: the core's build files came with the models.
        var build = feed.Dotnet(folder, "build", "-v:d");
        Assert.True(build.ExitCode == 0, build.ToString());
        if (OperatingSystem.IsLinux())
            Assert.Contains("TorchSharpDebian12: ", build.Output, StringComparison.Ordinal);
        var run = feed.Dotnet(folder, "run", "--no-build");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("wte.weight [65, 128] Float32", run.Output);
        Assert.True(File.Exists(Path.Combine(folder, "gpt.safetensors")));
        var losses = run.Output.Split('\n').Single(line => line.StartsWith("gpt loss ", StringComparison.Ordinal)).Split(' ')[2..]
            .Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(losses[1] < losses[0] / 2, $"The GPT's loss on one batch should fall by half at least: {losses[0]} to {losses[1]}.");
        Assert.Contains("dcgan [2, 1, 28, 28] -> [2, 1]", run.Output);
        Assert.Contains("transformer [2, 5, 12]", run.Output);
        Assert.Contains("pnn 2 columns [3, 2]", run.Output);
    }

    // The C# example of docs/weights.md, as the page shows it.
    private static string WeightsExample(string repositoryRoot)
    {
        var page = File.ReadAllText(Path.Combine(repositoryRoot, "docs", "weights.md")).ReplaceLineEndings("\n");
        var example = CSharpBlock().Match(page);
        Assert.True(example.Success, "docs/weights.md has no ```csharp example.");
        return example.Groups[1].Value;
    }

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
