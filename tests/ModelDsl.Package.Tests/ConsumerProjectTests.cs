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
        Assert.Contains("buildTransitive/TorchSharpDebian12Patch.cs", entries);
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
    public void Fresh_console_project_edits_its_copy_of_the_TorchSharp_library_after_each_copy_and_only_then()
    {
        Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        var folder = feed.CreateConsumer("NativeCopy", Usings + """
            using var x = ones(2);
            Console.WriteLine($"sum {x.sum().item<float>()}");
            """);
        const string native = "runtimes/linux-x64/native/libLibTorchSharp.so";
        var library = Path.Combine(folder, "bin/Debug/net10.0", native);
        var package = File.ReadAllBytes(feed.PackageFile("TorchSharp", PackageFeed.TorchSharpVersion, native));
        var edited = $"TorchSharpDebian12: patched '{library}'";
        const string provided = "provides GLIBCXX_3.4.32; nothing to patch.";

        // Detailed logs show the task's low-importance messages: one of these two whenever it runs.
        var first = DotnetCli.Run(folder, "build", "-v:d");
        Assert.True(first.ExitCode == 0, first.ToString());
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere the step does nothing: the portable output still carries the Linux library, as packaged.
            Assert.DoesNotContain("TorchSharpDebian12: ", first.Output, StringComparison.Ordinal);
            Assert.Equal(package, File.ReadAllBytes(library));
            return;
        }
        var edits = first.Output.Contains(edited, StringComparison.Ordinal);
        Assert.NotEqual(edits, first.Output.Contains(provided, StringComparison.Ordinal));
        Assert.Equal(edits ? 3 : 0, DifferingBytes(package, File.ReadAllBytes(library)));
        var output = File.ReadAllBytes(library);

        // Nothing changed: the copy skips the library and the task does not run.
        var second = DotnetCli.Run(folder, "build", "-v:d");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain("TorchSharpDebian12: ", second.Output, StringComparison.Ordinal);
        Assert.Equal(output, File.ReadAllBytes(library));

        // A changed output copy: the copy restores the package's file and the task edits it again.
        File.SetLastWriteTimeUtc(library, DateTime.UtcNow);
        var third = DotnetCli.Run(folder, "build", "-v:d");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains(edits ? edited : provided, third.Output, StringComparison.Ordinal);
        Assert.Equal(output, File.ReadAllBytes(library));

        var run = DotnetCli.Run(folder, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("sum 2", run.Output, StringComparison.Ordinal);
    }

    private static int DifferingBytes(byte[] a, byte[] b) =>
        a.Length == b.Length ? Enumerable.Range(0, a.Length).Count(i => a[i] != b[i]) : throw new InvalidOperationException($"{a.Length} bytes against {b.Length}");

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
