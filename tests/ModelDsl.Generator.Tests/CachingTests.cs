using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// Incremental caching (docs/architecture.md, "parse → check → emit"): the driver runs twice with step tracking on; what did not change must come
/// from the cache, what changed must be regenerated, and no pipeline model may hold a Roslyn object.
/// </summary>
public sealed class CachingTests
{
    private const string Unrelated = """
        namespace Other;

        public sealed class Unrelated
        {
            public int Value { get; set; }
        }
        """;

    // A valid model, a nested pair, a model with a shape error, an unrelated class and a [Gan] pairing: every step
    // of the pipeline and both kinds of output.
    private static readonly string[] Sources =
    [
        TestModels.Mlp,
        TestModels.Nested,
        TestModels.Usings + """
            [Model]
            public sealed partial class Broken
            {
                [Linear(784, 10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 780)] Tensor x);
            }
            """,
        Unrelated,
        TestModels.GanPair,
    ];

    [Fact]
    public void Every_tracking_name_is_exercised_by_these_sources()
    {
        ImmutableArray<string> names = GeneratorHarness.DiscoverTrackingNames();
        Assert.Contains(TrackingNames.Parse, names);
        Assert.Contains(TrackingNames.Check, names);
        Assert.Contains(TrackingNames.Diagnostics, names);
        Assert.Contains(TrackingNames.Sources, names);

        GeneratorRun run = GeneratorHarness.Run(Sources);
        var ran = GeneratorHarness.GetTrackedSteps(run.RunResult, names).Keys.ToHashSet(StringComparer.Ordinal);
        Assert.All(names, n => Assert.Contains(n, ran));
    }

    [Fact]
    public void No_op_recompile_is_cached_at_every_step()
    {
        (GeneratorRun first, GeneratorRun second) = GeneratorHarness.RunTwice(Sources);

        Assert.Equal(
            ["Samples.Broken.g.cs", "Samples.Classifier.g.cs", "Samples.Critic.g.cs", "Samples.DcganGenerator.g.cs", "Samples.Features.g.cs", "Samples.Mlp.g.cs", "Samples.MnistGan.g.cs"],
            first.GeneratedSources.Select(s => s.HintName));
        Assert.Contains(first.GeneratorDiagnostics, d => d.Id == "MDL0101");
        GeneratorHarness.AssertCachedOnSecondRun(first, second);
    }

    [Fact]
    public void Editing_an_unrelated_file_regenerates_nothing()
    {
        (GeneratorRun first, GeneratorRun second) = GeneratorHarness.RunTwice(
            Sources,
            GeneratorHarness.ReplaceSource("Source3.cs", Unrelated.Replace("int Value", "long Value", StringComparison.Ordinal)));

        GeneratorHarness.AssertCachedOnSecondRun(first, second);
        AssertSameOutput(first, second);
    }

    [Fact]
    public void Adding_an_unrelated_file_regenerates_nothing()
    {
        (GeneratorRun first, GeneratorRun second) = GeneratorHarness.RunTwice(
            Sources,
            GeneratorHarness.AddSource("Extra.cs", "namespace Other; internal static class Extra { public const int Answer = 42; }"));

        GeneratorHarness.AssertCachedOnSecondRun(first, second);
        AssertSameOutput(first, second);
    }

    [Fact]
    public void Moving_a_model_down_a_line_re_parses_but_does_not_re_emit()
    {
        // Locations shift, so the parsed model changes; the generated text does not, so nothing is re-emitted.
        (GeneratorRun first, GeneratorRun second) = GeneratorHarness.RunTwice(
            Sources,
            GeneratorHarness.ReplaceSource("Source0.cs", "// a comment that moves every line down\n" + TestModels.Mlp));

        AssertReasons(second, TrackingNames.Parse, IncrementalStepRunReason.Modified, IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
        Assert.Contains(Reasons(second, TrackingNames.Parse), r => r == IncrementalStepRunReason.Modified);
        AssertReasons(second, TrackingNames.Sources, IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Cached);
        Assert.All(OutputReasons(second), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        AssertSameOutput(first, second);
    }

    [Fact]
    public void Editing_an_attribute_argument_regenerates_that_model_only()
    {
        (GeneratorRun first, GeneratorRun second) = GeneratorHarness.RunTwice(
            Sources,
            GeneratorHarness.ReplaceSource("Source0.cs", TestModels.Mlp.Replace("Linear(256)", "Linear(128)", StringComparison.Ordinal)));

        second.AssertNoGeneratorFailure();
        Assert.Contains(Reasons(second, TrackingNames.Parse), r => r == IncrementalStepRunReason.Modified);
        Assert.Contains(Reasons(second, TrackingNames.Check), r => r == IncrementalStepRunReason.Modified);
        Assert.Contains(Reasons(second, TrackingNames.Sources), r => r == IncrementalStepRunReason.Modified);

        // Exactly one regenerated source (Mlp); every other source comes from the cache.
        var outputs = OutputReasons(second);
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.All(outputs.Where(r => r != IncrementalStepRunReason.Modified), r => Assert.Equal(IncrementalStepRunReason.Cached, r));

        Assert.Contains("global::TorchSharp.torch.nn.Linear(784, 256)", first.GeneratedText("Samples.Mlp.g.cs"), StringComparison.Ordinal);
        Assert.Contains("global::TorchSharp.torch.nn.Linear(784, 128)", second.GeneratedText("Samples.Mlp.g.cs"), StringComparison.Ordinal);
        Assert.Equal(first.GeneratedText("Samples.Classifier.g.cs"), second.GeneratedText("Samples.Classifier.g.cs"));
    }

    [Fact]
    public void Editing_a_nested_model_in_another_file_regenerates_the_model_that_uses_it()
    {
        // Classifier (Source0) embeds Features (Source1) as a layer: Features' width is part of Classifier's shapes.
        string features = TestModels.Usings + """
            [Model]
            public sealed partial class Features
            {
                [Flatten, Linear(128), ReLU] partial Linear Hidden { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """;
        string classifier = TestModels.Usings + """
            [Model]
            public sealed partial class Classifier
            {
                [Nested]     partial Features Backbone { get; }
                [Linear(10)] partial Linear Head { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """;

        (GeneratorRun first, GeneratorRun second) = GeneratorHarness.RunTwice(
            [classifier, features],
            GeneratorHarness.ReplaceSource("Source1.cs", features.Replace("Linear(128)", "Linear(64)", StringComparison.Ordinal)));

        first.AssertSuccess();
        second.AssertSuccess();
        Assert.Contains("global::TorchSharp.torch.nn.Linear(128, 10)", first.GeneratedText("Samples.Classifier.g.cs"), StringComparison.Ordinal);
        Assert.Contains("global::TorchSharp.torch.nn.Linear(64, 10)", second.GeneratedText("Samples.Classifier.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Fixing_an_error_emits_the_model_and_clears_the_diagnostic()
    {
        (GeneratorRun first, GeneratorRun second) = GeneratorHarness.RunTwice(
            Sources,
            GeneratorHarness.ReplaceSource("Source2.cs", Sources[2].Replace("Linear(784, 10)", "Linear(780, 10)", StringComparison.Ordinal)));

        // With the error, Broken gets placeholders only (no layers); fixed, it gets its module and no diagnostic.
        Assert.Contains(first.GeneratorDiagnostics, d => d.Id == "MDL0101");
        Assert.DoesNotContain("register_module", first.GeneratedText("Samples.Broken.g.cs"), StringComparison.Ordinal);
        second.AssertSuccess();
        Assert.Contains("register_module(\"output\", _output);", second.GeneratedText("Samples.Broken.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_models_hold_no_Roslyn_objects()
    {
        GeneratorRun run = GeneratorHarness.Run(
            TestModels.Mlp,
            TestModels.Cnn,
            TestModels.ResidualBlock,
            TestModels.MultiInput,
            TestModels.Nested,
            TestModels.Repeated,
            TestModels.HyperParameters,
            TestModels.DcganGenerator,
            TestModels.NestedMultiInput,
            TestModels.TinyGpt,
            TestModels.GanPair.Replace("DcganGenerator", "Generator2", StringComparison.Ordinal),
            Sources[2]);

        run.AssertNoGeneratorFailure();
        Assert.NotEmpty(run.GeneratorDiagnostics);
        Assert.NotEmpty(Reasons(run, TrackingNames.Parse));
        GeneratorHarness.AssertNoRoslynObjects(run.RunResult, GeneratorHarness.DiscoverTrackingNames());
    }

    private static ImmutableArray<IncrementalStepRunReason> Reasons(GeneratorRun run, string step) =>
        GeneratorHarness.GetTrackedSteps(run.RunResult, [step])
            .SelectMany(p => p.Value)
            .SelectMany(s => s.Outputs)
            .Select(o => o.Reason)
            .ToImmutableArray();

    private static void AssertReasons(GeneratorRun run, string step, params IncrementalStepRunReason[] allowed) =>
        GeneratorHarness.AssertStepReasons(run.RunResult, step, allowed);

    /// <summary>The reasons of every source-output step (one output per generated file or diagnostics batch).</summary>
    private static List<IncrementalStepRunReason> OutputReasons(GeneratorRun run) =>
        run.RunResult.Results
            .SelectMany(r => r.TrackedOutputSteps)
            .SelectMany(p => p.Value)
            .SelectMany(s => s.Outputs)
            .Select(o => o.Reason)
            .ToList();

    private static void AssertSameOutput(GeneratorRun first, GeneratorRun second)
    {
        Assert.Equal(
            first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
            second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
        Assert.Equal(
            first.GeneratorDiagnostics.Select(GeneratorRun.Describe).Order(StringComparer.Ordinal),
            second.GeneratorDiagnostics.Select(GeneratorRun.Describe).Order(StringComparer.Ordinal));
    }
}
