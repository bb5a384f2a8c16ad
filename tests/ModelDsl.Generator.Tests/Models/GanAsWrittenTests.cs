using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Models;

/// <summary>
/// The source document's GAN "as written" (TensorFlow's DCGAN tutorial generator with its first transposed convolution
/// at stride 1, so it only doubles 7×7 once) must not compile against a 28×28 discriminator: MDL0114 at the pairing.
/// The real pairing in src/Models/Dcgan compiles cleanly.
/// </summary>
public sealed class GanAsWrittenTests
{
    private const string Marker = "/*@*/";

    /// <summary>
    /// Generator as written: Dense 7·7·128 (no bias) → BatchNorm → LeakyReLU → reshape 7×7×128 →
    /// ConvTranspose 64 5×5 stride 1 'same' → BatchNorm → LeakyReLU → ConvTranspose 1 5×5 stride 2 'same' → tanh,
    /// i.e. [B, 1, 14, 14]; LeakyReLU(0.3) is Keras' default slope. The discriminator is the DCGAN one for 28×28×1.
    /// </summary>
    private const string AsWrittenSource = """
        using ModelDsl;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Document;

        [Model]
        public sealed partial class AsWritten
        {
            [Linear(7 * 7 * 128, Bias = false)]
            partial Linear Dense { get; }

            [BatchNorm1d, LeakyReLU(0.3), Reshape(128, 7, 7)]
            partial BatchNorm1d Norm0 { get; }

            [ConvTranspose2d(64, Kernel = 5, Stride = 1, Padding = "same", Bias = false)]
            partial ConvTranspose2d Up1 { get; }

            [BatchNorm2d, LeakyReLU(0.3)]
            partial BatchNorm2d Norm1 { get; }

            [ConvTranspose2d(1, Kernel = 5, Stride = 2, Padding = "same", Bias = false), Tanh]
            partial ConvTranspose2d Up2 { get; }

            [return: Shape("B", 1, 14, 14)]
            public partial Tensor Forward([Shape("B", 100)] Tensor z);
        }

        [Model]
        public sealed partial class Discriminator28
        {
            [Conv2d(64, Kernel = 5, Stride = 2, Padding = 2), LeakyReLU(0.3), Dropout(0.3)]
            partial Conv2d Conv1 { get; }

            [Conv2d(128, Kernel = 5, Stride = 2, Padding = 2), LeakyReLU(0.3), Dropout(0.3)]
            partial Conv2d Conv2 { get; }

            [Flatten, Linear(1)]
            partial Linear Logit { get; }

            [return: Shape("B", 1)]
            public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
        }

        [/*@*/Gan(typeof(AsWritten), typeof(Discriminator28))]
        public sealed partial class AsWrittenGan
        {
        }
        """;

    [Fact]
    public void Gan_as_written_does_not_compile_MDL0114_at_the_pairing()
    {
        int markerIndex = AsWrittenSource.IndexOf(Marker, StringComparison.Ordinal);
        string source = AsWrittenSource.Replace(Marker, "", StringComparison.Ordinal);
        (int expectedLine, int expectedColumn) = LineAndColumn(source, markerIndex);

        GeneratorRun run = GeneratorHarness.Run(source);
        run.AssertNoGeneratorFailure();

        // Each model on its own is fine; only the pairing is wrong.
        Assert.All(run.GeneratorDiagnostics.Where(d => d.Id != "MDL0114"), d => Assert.True(d.Severity < DiagnosticSeverity.Warning, GeneratorRun.Describe(d)));
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics, x => x.Id == "MDL0114");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);

        FileLinePositionSpan span = d.Location.GetLineSpan();
        Assert.Equal("Source0.cs", span.Path);
        Assert.Equal((expectedLine, expectedColumn), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.StartsWith("Gan(typeof(AsWritten), typeof(Discriminator28))", source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length), StringComparison.Ordinal);

        string message = d.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("[B, 1, 14, 14]", message, StringComparison.Ordinal);
        Assert.Contains("28, 28", message, StringComparison.Ordinal);
        Assert.Contains("AsWritten", message, StringComparison.Ordinal);
        Assert.Contains("Discriminator28", message, StringComparison.Ordinal);

        // "Does not compile": the build sees an error.
        Assert.Contains(run.GeneratorDiagnostics.Concat(run.OutputDiagnostics), x => x.Severity == DiagnosticSeverity.Error);
    }

    /// <summary>The same generator with the tutorial's extra stride-2 layer restored (7 → 7 → 14 → 28) pairs cleanly.</summary>
    [Fact]
    public void Gan_with_the_missing_upsampling_restored_compiles()
    {
        string source = AsWrittenSource
            .Replace(Marker, "", StringComparison.Ordinal)
            .Replace("""
                    [ConvTranspose2d(1, Kernel = 5, Stride = 2, Padding = "same", Bias = false), Tanh]
                    partial ConvTranspose2d Up2 { get; }

                    [return: Shape("B", 1, 14, 14)]
                """, """
                    [ConvTranspose2d(32, Kernel = 5, Stride = 2, Padding = "same", Bias = false)]
                    partial ConvTranspose2d Up2 { get; }

                    [BatchNorm2d, LeakyReLU(0.3)]
                    partial BatchNorm2d Norm2 { get; }

                    [ConvTranspose2d(1, Kernel = 5, Stride = 2, Padding = "same", Bias = false), Tanh]
                    partial ConvTranspose2d Up3 { get; }

                    [return: Shape("B", 1, 28, 28)]
                """, StringComparison.Ordinal);
        Assert.Contains("Up3", source, StringComparison.Ordinal);

        GeneratorRun run = GeneratorHarness.Run(source);

        run.AssertSuccess();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("Document.AsWrittenGan.g.cs", run.GeneratedSources.Select(s => s.HintName));
    }

    /// <summary>The real pairing, src/Models/Dcgan, compiles without any diagnostic and emits the pair class.</summary>
    [Fact]
    public void Real_dcgan_pairing_compiles_without_diagnostics()
    {
        GeneratorRun run = ShowcaseModelTests.Compile(["Dcgan/DcganGenerator.cs", "Dcgan/DcganDiscriminator.cs", "Dcgan/Dcgan.cs"]);

        run.AssertSuccess();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Contains("public const string SampleShape = \"[B, channels, size, size]\";", run.GeneratedText("ModelDsl.Models.Dcgan.Dcgan.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>The conditional pairing, src/Models/Dcgan: both models take the labels, so it compiles without any diagnostic.</summary>
    [Fact]
    public void Real_conditional_dcgan_pairing_checks_images_and_labels()
    {
        GeneratorRun run = ShowcaseModelTests.Compile(["Dcgan/ConditionalDcganGenerator.cs", "Dcgan/ConditionalDcganDiscriminator.cs", "Dcgan/ConditionalDcgan.cs"]);

        run.AssertSuccess();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Contains("public const string SampleShape = \"[B, channels, size, size]\";", run.GeneratedText("ModelDsl.Models.Dcgan.ConditionalDcgan.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>A discriminator that ignores the generator's labels is refused by the conditional pairing (MDL0126).</summary>
    [Fact]
    public void Conditional_generator_with_an_unconditional_discriminator_is_refused()
    {
        string pair = """
            using ModelDsl;
            namespace ModelDsl.Models.Dcgan;
            [Gan(typeof(ConditionalDcganGenerator), typeof(DcganDiscriminator))]
            public sealed partial class Mismatched { }
            """;
        string folder = Path.Combine(ShowcaseModelTests.ModelsDirectory(), "Dcgan");
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(
            new[] { "ConditionalDcganGenerator.cs", "DcganDiscriminator.cs" }.Select(f => (Path.Combine(folder, f), File.ReadAllText(Path.Combine(folder, f))))
                .Append(("Mismatched.cs", pair))));

        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MDL0126", d.Id);
        Assert.Contains("takes the conditions 'labels' [B] but discriminator 'DcganDiscriminator' takes none", d.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static (int Line, int Column) LineAndColumn(string text, int index)
    {
        string before = text[..index];
        int line = before.Count(c => c == '\n') + 1;
        int column = index - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }
}
