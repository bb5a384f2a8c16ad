using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit;

namespace ModelDsl.Package.Tests;

/// <summary>
/// What each package holds and depends on: the core carries everything generated code and weights I/O need plus the
/// generator and the build fix; the training helpers and the models are packages of their own on top of it.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed class PackageContentsTests(PackageFeed feed)
{
    private static readonly string[] TrainingNamespaces = ["ModelDsl.Training", "ModelDsl.Data", "ModelDsl.Metrics", "ModelDsl.Platform"];

    [Fact]
    public void The_readme_command_packs_every_package_at_one_new_version()
    {
        feed.AssertPacked();
        Assert.Equal(
            PackageFeed.PackageIds.Select(id => $"{id}.{feed.Version}.nupkg").Order(),
            Directory.GetFiles(feed.FeedFolder).Select(Path.GetFileName).Order());
        // The base version and the pack's UTC time stamp, so that no two packs share a version.
        Assert.Matches(@"^\d+\.\d+\.\d+-dev\.\d{14}$", feed.Version);
    }

    [Fact]
    public void The_readme_nuget_config_names_the_feed_folder_beside_it()
    {
        // A relative source resolves against the nuget.config's folder, so the feed travels with the repository.
        Assert.Equal([feed.Readme.FeedFolderName], feed.Readme.ConfiguredSources);
    }

    [Fact]
    public void Core_package_holds_runtime_attributes_generator_and_build_fix()
    {
        feed.AssertPacked();
        using var package = ZipFile.OpenRead(feed.PackagePath("ModelDsl"));
        var entries = Entries(package);
        Assert.Superset(new HashSet<string>
        {
            "lib/net10.0/ModelDsl.Runtime.dll", "lib/net10.0/ModelDsl.Runtime.xml",
            "lib/net10.0/ModelDsl.Abstractions.dll", "lib/net10.0/ModelDsl.Abstractions.xml",
            "analyzers/dotnet/cs/ModelDsl.Generator.dll",
            "buildTransitive/ModelDsl.targets", "buildTransitive/TorchSharpDebian12.targets", "buildTransitive/TorchSharpDebian12Patch.cs",
            "README.md",
        }, entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generator", StringComparison.Ordinal));

        // The training helpers are not in the core.
        var namespaces = PublicNamespaces(package, "lib/net10.0/ModelDsl.Runtime.dll");
        Assert.Contains("ModelDsl.Weights", namespaces);
        Assert.Empty(namespaces.Intersect(TrainingNamespaces));

        // TorchSharp itself, not a backend, so the application chooses TorchSharp-cpu or a CUDA build; PyBridge for
        // safetensors; Protobuf for the ONNX export.
        Assert.Equal([("Google.Protobuf", "3.36.2"), ("TorchSharp", PackageFeed.TorchSharpVersion), ("TorchSharp.PyBridge", "1.4.4")],
            Dependencies(package).Select(d => (d.Id, d.Version)).Order());
    }

    [Fact]
    public void Training_package_holds_the_training_helpers_on_top_of_the_core()
    {
        feed.AssertPacked();
        using var package = ZipFile.OpenRead(feed.PackagePath("ModelDsl.Training"));
        Assert.Equal(["README.md", "lib/net10.0/ModelDsl.Training.dll", "lib/net10.0/ModelDsl.Training.xml"], PayloadEntries(package));
        Assert.Equal(TrainingNamespaces.Order(), PublicNamespaces(package, "lib/net10.0/ModelDsl.Training.dll").Order());
        AssertDependsOnTheWholeCore(package);
    }

    [Fact]
    public void Models_package_holds_the_compiled_models_on_top_of_the_core()
    {
        feed.AssertPacked();
        using var package = ZipFile.OpenRead(feed.PackagePath("ModelDsl.Models"));
        Assert.Equal(["README.md", "lib/net10.0/ModelDsl.Models.dll", "lib/net10.0/ModelDsl.Models.xml"], PayloadEntries(package));
        Assert.Superset(new HashSet<string> { "ModelDsl.Models.Dcgan", "ModelDsl.Models.Transformers", "ModelDsl.Models.Progressive", "ModelDsl.Models.Classifier" },
            PublicNamespaces(package, "lib/net10.0/ModelDsl.Models.dll").ToHashSet());
        AssertDependsOnTheWholeCore(package);
    }

    [Fact]
    public void Inference_package_runs_exported_models_without_torchsharp()
    {
        feed.AssertPacked();
        using var package = ZipFile.OpenRead(feed.PackagePath("ModelDsl.Inference"));
        Assert.Equal(["README.md", "lib/net10.0/ModelDsl.Inference.dll", "lib/net10.0/ModelDsl.Inference.xml"], PayloadEntries(package));
        // A deployment needs ONNX Runtime and nothing of TorchSharp or the generator.
        Assert.Equal([("Microsoft.ML.OnnxRuntime", "1.32.0")], Dependencies(package).Select(d => (d.Id, d.Version)));
    }

    // One dependency, on this very version of ModelDsl, with all its assets: the generator and the build fix flow
    // to the application (NuGet's default for a project reference would exclude build and analyzer assets).
    private void AssertDependsOnTheWholeCore(ZipArchive package)
    {
        var dependency = Assert.Single(Dependencies(package));
        Assert.Equal(("ModelDsl", feed.Version, "All", null), (dependency.Id, dependency.Version, dependency.Include, dependency.Exclude));
    }

    private static HashSet<string> Entries(ZipArchive package) => package.Entries.Select(e => e.FullName).ToHashSet();

    // The package's own files, without NuGet's bookkeeping (the nuspec, [Content_Types].xml, _rels/, package/).
    private static List<string> PayloadEntries(ZipArchive package) =>
        Entries(package)
            .Where(e => !e.EndsWith(".nuspec", StringComparison.Ordinal) && !e.StartsWith('[') && !e.StartsWith("_rels/", StringComparison.Ordinal) && !e.StartsWith("package/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static List<(string Id, string Version, string? Include, string? Exclude)> Dependencies(ZipArchive package)
    {
        var nuspecEntry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var nuspec = XDocument.Load(stream);
        return nuspec.Descendants(nuspec.Root!.Name.Namespace + "dependency")
            .Select(d => ((string)d.Attribute("id")!, (string)d.Attribute("version")!, (string?)d.Attribute("include"), (string?)d.Attribute("exclude")))
            .ToList();
    }

    // The namespaces of an assembly's public types, read from its metadata without loading it.
    private static List<string> PublicNamespaces(ZipArchive package, string entry)
    {
        using var bytes = new MemoryStream();
        using (var stream = package.GetEntry(entry)!.Open())
            stream.CopyTo(bytes);
        bytes.Position = 0;
        using var reader = new PEReader(bytes);
        var metadata = reader.GetMetadataReader();
        return metadata.TypeDefinitions
            .Select(metadata.GetTypeDefinition)
            .Where(t => (t.Attributes & System.Reflection.TypeAttributes.VisibilityMask) == System.Reflection.TypeAttributes.Public)
            .Select(t => metadata.GetString(t.Namespace))
            .Distinct()
            .ToList();
    }
}
