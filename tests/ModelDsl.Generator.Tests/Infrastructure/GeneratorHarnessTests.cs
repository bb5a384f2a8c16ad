using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Sdk;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>Self-tests of <see cref="GeneratorHarness"/>, with the tiny generators of <see cref="TestGenerators"/>.</summary>
public sealed class GeneratorHarnessTests
{
    private static readonly string[] Transform = [TestGenerators.TransformStep];

    [Fact]
    public void Compilations_see_the_runtime_attributes_and_TorchSharp()
    {
        GeneratorRun run = GeneratorHarness.Run(new TestGenerators.Good(), TestGenerators.ModelSource);

        run.AssertSuccess(DiagnosticSeverity.Error);
        Assert.Contains("Forward", run.GeneratedText("Samples.Mlp.g.cs"), StringComparison.Ordinal);
        Assert.Equal(run.GeneratedText("Samples.Mlp.g.cs"), run.GeneratedText("Samples.Mlp.g"));
    }

    [Fact]
    public void Without_the_generated_part_the_compilation_has_errors()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(TestGenerators.ModelSource);

        Assert.Contains(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void AssertSuccess_reports_generator_warnings_by_default()
    {
        GeneratorRun run = GeneratorHarness.Run(new TestGenerators.Good(), TestGenerators.ModelSource);

        var e = Assert.Throws<XunitException>(() => run.AssertSuccess());
        Assert.Contains("MDL9999 Warning Source0.cs(8,29): Model 'Mlp' seen", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssertSuccess_reports_warnings_in_generated_code_only()
    {
        GeneratorRun run = GeneratorHarness.Run(new TestGenerators.Undocumented(), "public class UndocumentedInput { }");

        Assert.Contains(run.OutputDiagnostics, d => d.Id == "CS1591" && d.Location.SourceTree!.FilePath == "Source0.cs");
        var e = Assert.Throws<XunitException>(() => run.AssertSuccess());
        Assert.Contains("CS1591 Warning Undocumented.g.cs(2,21)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Source0.cs", e.Message, StringComparison.Ordinal);
        Assert.Contains("public sealed class Undocumented", e.Message, StringComparison.Ordinal); // the generated code is listed
    }

    [Fact]
    public void CSharp14_partial_constructors_and_properties_compile()
    {
        const string source = """
            namespace Samples;

            internal sealed partial class Block // internal: DocumentationMode.Diagnose reports CS1591 on public members
            {
                public partial Block(int embed, int hidden);
                public partial Block(int embed, int hidden) => (Embed, Hidden) = (embed, hidden);

                public partial int Embed { get; }
                public partial int Embed { get => field; } // `field` keyword: C# 14 as well

                public int Hidden { get; }
            }
            """;

        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source);

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(GeneratorRun.Describe));
        Assert.True(GeneratorHarness.LanguageVersion > LanguageVersion.CSharp13);
    }

    [Fact]
    public void A_throwing_generator_fails_the_run()
    {
        GeneratorRun run = GeneratorHarness.Run(new TestGenerators.Throwing(), "class A { }");

        var e = Assert.Throws<XunitException>(run.AssertNoGeneratorFailure);
        Assert.Contains("boom", e.Message, StringComparison.Ordinal);
        Assert.Contains("CS8785", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_no_op_second_run_is_cached()
    {
        var (first, second) = GeneratorHarness.RunTwice([TestGenerators.ModelSource], edit: null, new TestGenerators.Good());

        GeneratorHarness.AssertCachedOnSecondRun(first, second, Transform);
    }

    [Fact]
    public void An_unrelated_edit_is_cached()
    {
        var (first, second) = GeneratorHarness.RunTwice(
            [TestGenerators.ModelSource, "namespace Other; public class Unrelated { }"],
            GeneratorHarness.AddSource("Added.cs", "namespace Other; public class Added { }"),
            new TestGenerators.Good());

        GeneratorHarness.AssertCachedOnSecondRun(first, second, Transform);
    }

    [Fact]
    public void A_real_edit_reruns_the_step_and_fails_the_caching_check()
    {
        var (first, second) = GeneratorHarness.RunTwice(
            [TestGenerators.ModelSource],
            GeneratorHarness.ReplaceSource("Source0.cs", TestGenerators.ModelSource.Replace("class Mlp", "class Mlp2", StringComparison.Ordinal)),
            new TestGenerators.Good());

        GeneratorHarness.AssertStepReasons(second.RunResult, TestGenerators.TransformStep, IncrementalStepRunReason.Modified);
        Assert.Throws<XunitException>(() => GeneratorHarness.AssertCachedOnSecondRun(first, second, Transform));
        Assert.Equal("Samples.Mlp2.g.cs", Assert.Single(second.GeneratedSources).HintName);
    }

    [Fact]
    public void GetTrackedSteps_returns_only_the_requested_names()
    {
        GeneratorRun run = GeneratorHarness.Run(new TestGenerators.Good(), TestGenerators.ModelSource);

        var steps = GeneratorHarness.GetTrackedSteps(run.RunResult, Transform);

        Assert.Equal(Transform, steps.Keys.ToArray());
        Assert.IsType<TestGenerators.ModelInfo>(Assert.Single(Assert.Single(steps[TestGenerators.TransformStep]).Outputs).Value);
        Assert.True(run.RunResult.Results[0].TrackedSteps.Count > 1); // Roslyn's own steps exist and are left out
    }

    [Fact]
    public void The_walker_catches_a_symbol_in_a_step_output()
    {
        GeneratorRun run = GeneratorHarness.Run(new TestGenerators.Leaky(), TestGenerators.ModelSource);

        var e = Assert.Throws<XunitException>(() => GeneratorHarness.AssertNoRoslynObjects(run.RunResult, [TestGenerators.LeakStep]));
        Assert.Contains("ISymbol", e.Message, StringComparison.Ordinal);
        Assert.Contains("Leak.output", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_walker_accepts_plain_models()
    {
        GeneratorRun run = GeneratorHarness.Run(new TestGenerators.Good(), TestGenerators.ModelSource);

        GeneratorHarness.AssertNoRoslynObjects(run.RunResult, Transform);
    }

    [Fact]
    public void The_walker_looks_through_collections_structs_and_base_classes()
    {
        SyntaxTree tree = GeneratorHarness.Parse("class A { }", "A.cs");
        Compilation compilation = GeneratorHarness.CreateCompilation("class A { }");

        Assert.Null(GeneratorHarness.FindRoslynObject(new { A = ImmutableArray<string>.Empty, B = default(ImmutableArray<int>), C = new List<string?> { "x", null } }));
        Assert.NotNull(GeneratorHarness.FindRoslynObject(ImmutableArray.Create<object>(1, tree.GetRoot())));
        Assert.NotNull(GeneratorHarness.FindRoslynObject(new Dictionary<string, object> { ["k"] = compilation }));
        Assert.NotNull(GeneratorHarness.FindRoslynObject(new Derived(tree.GetRoot().GetLocation())));
        Assert.NotNull(GeneratorHarness.FindRoslynObject(new Derived(compilation.GetSemanticModel(compilation.SyntaxTrees.First()))));
        Assert.NotNull(GeneratorHarness.FindRoslynObject(tree.GetRoot().GetFirstToken()));
    }

    [Fact]
    public void Sources_are_named_in_order()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation("class A { }", "class B { }");

        Assert.Equal(["Source0.cs", "Source1.cs"], compilation.SyntaxTrees.Select(t => t.FilePath).ToArray());
        Assert.Equal(GeneratorHarness.LanguageVersion, ((CSharpParseOptions)compilation.SyntaxTrees[0].Options).LanguageVersion);
        Assert.Equal(NullableContextOptions.Enable, compilation.Options.NullableContextOptions);
    }

    private class Base(object hidden)
    {
        private readonly object _hidden = hidden;

        public override string ToString() => _hidden.ToString() ?? "";
    }

    private sealed class Derived(object hidden) : Base(hidden);
}
