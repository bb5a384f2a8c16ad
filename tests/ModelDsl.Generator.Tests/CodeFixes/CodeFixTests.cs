using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using ModelDsl.CodeFixes;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.CodeFixes;

/// <summary>
/// Each repair the IDE offers, applied in a workspace as an IDE would: a broken model, the generator's diagnostic, the
/// code fix, and a fixed model that builds without a diagnostic and has the declared shapes.
/// </summary>
public sealed class CodeFixTests
{
    [Fact]
    public async Task Sets_the_input_size_a_Linear_receives()
    {
        var fixedSource = await FixAsync("MDL0101", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(784, 10)] partial Linear Output { get; }

                [return: Shape("B", 10)]
                public partial Tensor Forward([Shape("B", 780)] Tensor x);
            }
            """);

        Assert.Contains("[Linear(780, 10)] partial Linear Output", fixedSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sets_the_output_padding_that_gives_the_declared_shape()
    {
        var fixedSource = await FixAsync("MDL0102", """
            [Model]
            public sealed partial class Decoder
            {
                [Linear(3136), Reshape(64, 7, 7)]                                partial Linear Project { get; }
                [ConvTranspose2d(1, Kernel = 3, Stride = 2, Padding = 1), Tanh] partial ConvTranspose2d Up { get; }

                [return: Shape("B", 1, 14, 14)]
                public partial Tensor Forward([Shape("B", 100)] Tensor z);
            }
            """);

        Assert.Contains("[ConvTranspose2d(1, Kernel = 3, Stride = 2, Padding = 1, OutputPadding = 1), Tanh]", fixedSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sets_the_padding_of_a_convolution_that_gives_the_declared_shape()
    {
        var fixedSource = await FixAsync("MDL0102", """
            [Model]
            public sealed partial class Encoder
            {
                [Conv2d(16, Kernel = 3), ReLU] partial Conv2d Conv { get; }

                [return: Shape("B", 16, 28, 28)]
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """);

        Assert.Contains("[Conv2d(16, Kernel = 3, Padding = 1), ReLU]", fixedSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixes_the_reshape_dim_that_breaks_the_element_count()
    {
        var fixedSource = await FixAsync("MDL0104", """
            [Model]
            public sealed partial class Generator
            {
                [Linear(12544), Reshape(256, 7, 8)] partial Linear Project { get; }

                [return: Shape("B", 256, 7, 7)]
                public partial Tensor Forward([Shape("B", 100)] Tensor z);
            }
            """);

        Assert.Contains("Reshape(256, 7, 7)", fixedSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sets_a_head_count_that_divides_the_width()
    {
        var fixedSource = await FixAsync("MDL0112", """
            [Model]
            public sealed partial class Block
            {
                [CausalSelfAttention(Heads = 3)] partial ModelDsl.Layers.CausalSelfAttention Attn { get; }

                [return: Shape("B", "T", 130)]
                public partial Tensor Forward([Shape("B", "T", 130)] Tensor x);
            }
            """);

        Assert.Contains("[CausalSelfAttention(Heads = 2)]", fixedSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adds_the_missing_using_for_a_layer_type()
    {
        var fixedSource = await FixAsync("MDL0039", """
            using ModelDsl;
            using TorchSharp.Modules;
            using static TorchSharp.torch;

            namespace Samples;

            [Model]
            public sealed partial class Block
            {
                [LayerNorm]                                             partial LayerNorm Ln { get; }
                [CausalSelfAttention(Heads = 4), Residual(From = "x")] partial CausalSelfAttention Attn { get; }

                [return: Shape("B", "T", 64)]
                public partial Tensor Forward([Shape("B", "T", 64)] Tensor x);
            }
            """, addUsings: false);

        Assert.Contains("using ModelDsl.Layers;", fixedSource, StringComparison.Ordinal);
    }

    // Applies the one fix offered for the one diagnostic `id`, then checks that the fixed source builds cleanly.
    private static async Task<string> FixAsync(string id, string source, bool addUsings = true)
    {
        var text = addUsings ? TestModels.Usings + source : source;
        var diagnostic = Assert.Single(GeneratorHarness.Run(text).GeneratorDiagnostics, d => d.Id == id);

        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Models", "Models", LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.CompilationOptions, parseOptions: GeneratorHarness.ParseOptions, metadataReferences: GeneratorHarness.References));
        var document = workspace.AddDocument(project.Id, $"{GeneratorHarness.DefaultSourcePrefix}0.cs", SourceText.From(text));

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        var provider = new ShapeErrorCodeFixProvider();
        Assert.Contains(id, provider.FixableDiagnosticIds);
        await provider.RegisterCodeFixesAsync(context);
        var action = Assert.Single(actions);

        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        var fixedSource = (await changed.GetTextAsync()).ToString();

        GeneratorRun run = GeneratorHarness.Run(fixedSource);
        Assert.True(run.GeneratorDiagnostics.IsEmpty, "The fixed model still reports: " + string.Join("; ", run.GeneratorDiagnostics.Select(GeneratorRun.Describe)));
        run.AssertSuccess();
        return fixedSource;
    }
}
