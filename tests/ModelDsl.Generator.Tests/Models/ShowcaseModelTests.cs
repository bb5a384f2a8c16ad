using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Models;

/// <summary>
/// The showcase models exactly as they are in src/Models, read from disk and compiled with the generator: each group
/// compiles without errors (its hand-written partials included), its generated code has no warnings, and the generated
/// code matches the snapshots under Models/Snapshots (accept with <c>MODELDSL_ACCEPT_SNAPSHOTS=1</c>).
/// </summary>
public sealed class ShowcaseModelTests
{
    [Fact]
    public Task Dcgan() => VerifyGroup(
        ["Dcgan/DcganGenerator.cs", "Dcgan/DcganDiscriminator.cs", "Dcgan/Dcgan.cs"],
        ["ModelDsl.Models.Dcgan.Dcgan.g.cs", "ModelDsl.Models.Dcgan.DcganDiscriminator.g.cs", "ModelDsl.Models.Dcgan.DcganGenerator.g.cs"]);

    [Fact]
    public Task CompactDcgan() => VerifyGroup(
        ["Dcgan/CompactDcganGenerator.cs", "Dcgan/CompactDcganDiscriminator.cs", "Dcgan/CompactDcgan.cs"],
        ["ModelDsl.Models.Dcgan.CompactDcgan.g.cs", "ModelDsl.Models.Dcgan.CompactDcganDiscriminator.g.cs", "ModelDsl.Models.Dcgan.CompactDcganGenerator.g.cs"]);

    [Fact]
    public Task DeepDcgan() => VerifyGroup(
        ["Dcgan/DeepDcganGenerator.cs", "Dcgan/ClassifyingDcganDiscriminator.cs", "Dcgan/DeepDcgan.cs"],
        ["ModelDsl.Models.Dcgan.ClassifyingDcganDiscriminator.g.cs", "ModelDsl.Models.Dcgan.DeepDcgan.g.cs", "ModelDsl.Models.Dcgan.DeepDcganGenerator.g.cs"]);

    [Fact]
    public Task ConditionalDcgan() => VerifyGroup(
        ["Dcgan/ConditionalDcganGenerator.cs", "Dcgan/ConditionalDcganDiscriminator.cs", "Dcgan/ConditionalDcgan.cs"],
        ["ModelDsl.Models.Dcgan.ConditionalDcgan.g.cs", "ModelDsl.Models.Dcgan.ConditionalDcganDiscriminator.g.cs", "ModelDsl.Models.Dcgan.ConditionalDcganGenerator.g.cs"]);

    [Fact]
    public Task Gpt() => VerifyGroup(
        ["Transformers/GptBlock.cs", "Transformers/Gpt.cs", "Transformers/Gpt.Generation.cs"],
        ["ModelDsl.Models.Transformers.Gpt.g.cs", "ModelDsl.Models.Transformers.GptBlock.g.cs"]);

    [Fact]
    public Task Transformer() => VerifyGroup(
        ["Transformers/EncoderLayer.cs", "Transformers/DecoderLayer.cs", "Transformers/Transformer.cs", "Transformers/Transformer.Decoding.cs"],
        ["ModelDsl.Models.Transformers.DecoderLayer.g.cs", "ModelDsl.Models.Transformers.EncoderLayer.g.cs", "ModelDsl.Models.Transformers.Transformer.g.cs"]);

    [Fact]
    public Task Progressive() => VerifyGroup(
        ["Progressive/MlpColumn.cs", "Progressive/ConvColumn.cs"],
        ["ModelDsl.Models.Progressive.ConvColumn.g.cs", "ModelDsl.Models.Progressive.MlpColumn.g.cs"]);

    [Fact]
    public Task Classifier() => VerifyGroup(
        ["Classifier/MnistClassifier.cs"],
        ["ModelDsl.Models.Classifier.MnistClassifier.g.cs", "ModelDsl.Models.Classifier.MnistFeatures.g.cs"]);

    /// <summary>The whole of src/Models in one compilation, as the project builds it: no diagnostics at all, no errors.</summary>
    [Fact]
    public void All_models_compile_together_without_diagnostics()
    {
        var files = Directory.EnumerateFiles(ModelsDirectory(), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count >= 30, $"expected the 30 model sources, found {files.Count}");

        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(files.Select(p => (p, File.ReadAllText(p)))));

        run.AssertSuccess();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(36, run.GeneratedSources.Length);
    }

    /// <summary>The parameter counts the generator computes for the constant-shaped models (references in the runtime tests).</summary>
    [Fact]
    public void Constant_parameter_counts_are_compile_time_constants()
    {
        GeneratorRun run = Compile(["Classifier/MnistClassifier.cs"]);
        run.AssertSuccess();
        Assert.Contains("public const long ParameterCount = 421642;", run.GeneratedText("ModelDsl.Models.Classifier.MnistClassifier.g.cs"), StringComparison.Ordinal);
        Assert.Contains("public const long ParameterCount = 420352;", run.GeneratedText("ModelDsl.Models.Classifier.MnistFeatures.g.cs"), StringComparison.Ordinal);
    }

    internal static async Task VerifyGroup(string[] relativePaths, string[] expectedHintNames, [CallerMemberName] string test = "", [CallerFilePath] string callerFile = "")
    {
        GeneratorRun run = Compile(relativePaths);
        run.AssertSuccess();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.OutputErrors);
        Assert.Equal(expectedHintNames, run.GeneratedSources.Select(s => s.HintName).ToArray());
        await Snapshot.VerifyAsync(run, callerMemberName: test, callerFilePath: callerFile);
    }

    /// <summary>A compilation of the given files of src/Models (paths relative to it), with the generator run over it.</summary>
    internal static GeneratorRun Compile(IEnumerable<string> relativePaths)
    {
        string root = ModelsDirectory();
        var sources = relativePaths
            .Select(r => Path.Combine(root, r.Replace('/', Path.DirectorySeparatorChar)))
            .Select(p => (Path: p, Source: File.ReadAllText(p)))
            .ToList();
        return GeneratorHarness.Run(GeneratorHarness.CreateCompilation(sources));
    }

    /// <summary>src/Models, found from this source file's path (tests/ModelDsl.Generator.Tests/Models/ → ../../../src/Models).</summary>
    internal static string ModelsDirectory([CallerFilePath] string thisFile = "")
    {
        string directory = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "src", "Models"));
        Assert.True(Directory.Exists(directory), $"src/Models not found at {directory}");
        return directory;
    }
}
