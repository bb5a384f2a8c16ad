using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace ModelDsl.Package.Tests;

/// <summary>
/// The whole DSL from one package reference: fresh console projects reference the packed ModelDsl from a local
/// feed; the generator runs from the package, a correct model trains its forward pass, a wrong one fails to build.
/// </summary>
public sealed class ConsumerProjectTests(PackageFeed feed) : IClassFixture<PackageFeed>
{
    private const string Usings = """
        using System;
        using ModelDsl;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        """;

    [Fact]
    public void Pack_produces_one_package_with_runtime_generator_and_build_files()
    {
        Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        Assert.Equal([Path.GetFileName(feed.PackagePath)], Directory.GetFiles(feed.FeedFolder, "*.nupkg").Select(Path.GetFileName));

        using var package = ZipFile.OpenRead(feed.PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net10.0/ModelDsl.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/ModelDsl.Runtime.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/ModelDsl.Generator.dll", entries);
        Assert.Contains("buildTransitive/ModelDsl.targets", entries);
        Assert.Contains("buildTransitive/TorchSharpDebian12.targets", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));

        // TorchSharp itself, not a backend, so the application chooses TorchSharp-cpu or a CUDA build; PyBridge for safetensors.
        using var nuspecStream = package.GetEntry("ModelDsl.nuspec")!.Open();
        var nuspec = XDocument.Load(nuspecStream);
        var dependencies = nuspec.Descendants(nuspec.Root!.Name.Namespace + "dependency")
            .Select(d => (Id: (string)d.Attribute("id")!, Version: (string)d.Attribute("version")!))
            .ToArray();
        Assert.Equal([("TorchSharp", PackageFeed.TorchSharpVersion), ("TorchSharp.PyBridge", "1.4.4")], dependencies.Order());
    }

    [Fact]
    public void Fresh_console_project_builds_a_model_from_the_package_and_runs_it()
    {
        Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        var folder = feed.CreateConsumer("Consumer", Usings + """
            using var model = new Mlp(hidden: 64);
            using var x = randn(3, 1, 28, 28);
            using var y = model.forward(x);
            Console.WriteLine($"output [{string.Join(", ", y.shape)}]");
            Console.WriteLine($"parameters {model.ParameterCount}");
            Console.WriteLine($"keys {string.Join(" ", model.state_dict().Keys)}");
            try
            {
                model.forward(randn(3, 1, 32, 32));
            }
            catch (ShapeMismatchException e)
            {
                Console.WriteLine($"caught {e.Message}");
            }

            [Model]
            public sealed partial class Mlp
            {
                public partial Mlp(int hidden);

                [Flatten, Linear("hidden"), ReLU] partial Linear Hidden { get; }
                [Linear(10)]                      partial Linear Output { get; }

                [return: Shape("B", 10)]
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """);

        var run = DotnetCli.Run(folder, "run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("output [3, 10]", run.Output);
        Assert.Contains("parameters 50890", run.Output); // 784·64 + 64 + 64·10 + 10
        Assert.Contains("keys hidden.weight hidden.bias output.weight output.bias", run.Output);
        Assert.Contains("caught ", run.Output);
        Assert.Contains("[B, 1, 28, 28]", run.Output);
    }

    [Fact]
    public void Fresh_console_project_with_a_shape_error_fails_to_build_with_the_diagnostic()
    {
        Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        var program = Usings + """
            using var model = new Cnn();

            [Model]
            public sealed partial class Cnn
            {
                [Conv2d(16, Kernel = 3), ReLU] partial Conv2d Conv { get; }
                [Flatten, Linear(784, 10)]     partial Linear Output { get; }

                [return: Shape("B", 10)]
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """;
        var outputLine = 1 + program.Split('\n').ToList().FindIndex(line => line.Contains("partial Linear Output", StringComparison.Ordinal));
        var folder = feed.CreateConsumer("ShapeError", program);

        var build = DotnetCli.Run(folder, "build");

        Assert.True(build.ExitCode != 0, build.ToString());
        var errors = build.Output.Split('\n').Where(line => line.Contains(": error ", StringComparison.Ordinal)).Distinct().ToArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, line => Assert.Contains("error MDL", line));
        Assert.Contains(errors, line => line.Contains($"Program.cs({outputLine},", StringComparison.Ordinal)
            && line.Contains("MDL0101", StringComparison.Ordinal) && line.Contains("[B, 784]", StringComparison.Ordinal) && line.Contains("[B, 10816]", StringComparison.Ordinal));
    }
}
