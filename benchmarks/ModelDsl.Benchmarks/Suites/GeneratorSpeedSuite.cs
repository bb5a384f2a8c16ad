using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Benchmarks.Measurement;
using ModelDsl.Generator;

namespace ModelDsl.Benchmarks.Suites;

/// <summary>What the generator-speed benchmark measured, in milliseconds.</summary>
internal sealed record GeneratorSpeed(
    int Models,
    int GeneratedFiles,
    double FirstRunMs,
    double ColdMs,
    double UnrelatedEditMs,
    double ModelCommentEditMs,
    string UnrelatedEditSteps,
    string ModelCommentEditSteps,
    int CompileErrors);

/// <summary>
/// Deliverable 5: the generator over a project of 200 <c>[Model]</c> classes (MLPs, CNNs, residual blocks,
/// hyperparameterised conv nets and transformer blocks, one file each, plus one file that is not a model): a cold
/// run (a fresh <see cref="CSharpGeneratorDriver"/> over a fresh compilation) and incremental runs after edits that
/// change no model.
/// </summary>
internal static class GeneratorSpeedSuite
{
    private const string UnrelatedPath = "App/Program.cs";

    public static GeneratorSpeed Run(int models = 200, int repeats = 7)
    {
        var parseOptions = new CSharpParseOptions(
            Enum.TryParse("CSharp14", out LanguageVersion v14) ? v14 : LanguageVersion.Preview,
            DocumentationMode.Parse);
        var sources = Sources(models).Append((Path: UnrelatedPath, Text: Unrelated(0))).ToArray();
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path, Encoding.UTF8)).ToArray();
        var references = References();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        CSharpCompilation NewCompilation() => CSharpCompilation.Create("Models200", trees, references, options);
        GeneratorDriver NewDriver(bool track) => CSharpGeneratorDriver.Create(
            [new ModelGenerator().AsSourceGenerator()],
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

        // The first run in the process also pays for loading and JIT-compiling the generator and Roslyn's binder.
        var firstCompilation = NewCompilation();
        GeneratorDriver first = NewDriver(track: false);
        var firstMs = Paired.Time(() => first = first.RunGenerators(firstCompilation));
        var generated = first.GetRunResult().GeneratedTrees.Length;

        // Cold: a fresh driver over a fresh compilation (no bound symbols, no cached steps), JIT warm.
        var cold = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var compilation = NewCompilation();
            var driver = NewDriver(track: false);
            cold.Add(Paired.Time(() => driver = driver.RunGenerators(compilation)));
        }

        var unrelated = Incremental(NewCompilation(), NewDriver(track: false), repeats, (c, i) => ReplaceText(c, UnrelatedPath, Unrelated(i + 1), parseOptions));
        var comment = Incremental(NewCompilation(), NewDriver(track: false), repeats, (c, i) => ReplaceText(c, sources[0].Path, sources[0].Text + $"\n// edit {i}\n", parseOptions));

        // Which steps re-ran: one tracked incremental run per kind of edit.
        var unrelatedSteps = TrackedReasons(NewCompilation(), NewDriver(track: true), c => ReplaceText(c, UnrelatedPath, Unrelated(1), parseOptions));
        var commentSteps = TrackedReasons(NewCompilation(), NewDriver(track: true), c => ReplaceText(c, sources[0].Path, sources[0].Text + "\n// edit\n", parseOptions));

        // The generated code must compile: the benchmark project is a valid one.
        NewDriver(track: false).RunGeneratorsAndUpdateCompilation(NewCompilation(), out var output, out var generatorDiagnostics);
        var errors = generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        foreach (var error in errors.Take(5))
            Console.Error.WriteLine($"  generator benchmark compile error: {error}");

        return new GeneratorSpeed(models, generated, firstMs, Stats.Median(cold), Stats.Median(unrelated), Stats.Median(comment), unrelatedSteps, commentSteps, errors.Length);
    }

    private static List<double> Incremental(CSharpCompilation compilation, GeneratorDriver driver, int repeats, Func<CSharpCompilation, int, CSharpCompilation> edit)
    {
        driver = driver.RunGenerators(compilation);
        // Warm the incremental path once, then time edits that each make a new compilation.
        var times = new List<double>();
        for (var i = 0; i <= repeats; i++)
        {
            compilation = edit(compilation, i);
            var ms = Paired.Time(() => driver = driver.RunGenerators(compilation));
            if (i > 0)
                times.Add(ms);
        }

        return times;
    }

    // "Parse: 200 Unchanged; Check: 200 Cached; …" for the named steps of one incremental run.
    private static string TrackedReasons(CSharpCompilation compilation, GeneratorDriver driver, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        driver = driver.RunGenerators(compilation);
        driver = driver.RunGenerators(edit(compilation));
        var result = driver.GetRunResult().Results.Single();
        var names = new[] { TrackingNames.Parse, TrackingNames.Check, TrackingNames.Diagnostics, TrackingNames.Sources };
        return string.Join("; ", names.Select(name =>
        {
            var reasons = result.TrackedSteps.TryGetValue(name, out var steps)
                ? steps.SelectMany(s => s.Outputs).GroupBy(o => o.Reason).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}")
                : ["not run"];
            return $"{name}: {string.Join(", ", reasons)}";
        }));
    }

    private static CSharpCompilation ReplaceText(CSharpCompilation compilation, string path, string text, CSharpParseOptions options)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, options, path, Encoding.UTF8));
    }

    public static ImmutableArray<MetadataReference> ReferencesForBenchmarks() => References();

    private static ImmutableArray<MetadataReference> References()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return trusted
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.Ordinal))
            .Append(typeof(TorchSharp.torch).Assembly.Location)
            .Append(typeof(ModelAttribute).Assembly.Location)
            .Append(typeof(ShapeMismatchException).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    private static string Unrelated(int version) => $$"""
        namespace App;

        public static class Program
        {
            public static int Answer() => {{version.ToString(CultureInfo.InvariantCulture)}};
        }
        """;

    private const string Usings = """
        using ModelDsl;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Project.Models;

        """;

    /// <summary>200 small models in five families, their sizes varied so that no two are the same.</summary>
    public static IEnumerable<(string Path, string Text)> Sources(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var n = (i / 5) + 1;
            var (name, text) = (i % 5) switch
            {
                0 => ($"Mlp{i}", $$"""
                    [Model]
                    public sealed partial class Mlp{{i}}
                    {
                        [Flatten, Linear({{64 + (8 * n)}}), ReLU]           partial Linear Hidden1 { get; }
                        [Linear({{32 + (4 * n)}}), ReLU, Dropout(0.1)]      partial Linear Hidden2 { get; }
                        [Linear(10), LogSoftmax]                            partial Linear Output { get; }

                        [return: Shape("B", 10)]
                        public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
                    }
                    """),
                1 => ($"Cnn{i}", $$"""
                    [Model]
                    public sealed partial class Cnn{{i}}
                    {
                        [Conv2d({{8 + n}}, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]       partial Conv2d Conv1 { get; }
                        [Conv2d({{16 + n}}, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]      partial Conv2d Conv2 { get; }
                        [Flatten, Linear({{64 + n}}), ReLU, Dropout(0.5)]                       partial Linear Fc1 { get; }
                        [Linear(10)]                                                           partial Linear Fc2 { get; }

                        [return: Shape("B", 10)]
                        public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
                    }
                    """),
                2 => ($"Residual{i}", $$"""
                    [Model]
                    public sealed partial class Residual{{i}}
                    {
                        [Conv2d({{16 + n}}, Kernel = 3, Padding = 1, Bias = false)] partial Conv2d Conv1 { get; }
                        [BatchNorm2d, ReLU]                                          partial BatchNorm2d Bn1 { get; }
                        [Conv2d({{16 + n}}, Kernel = 3, Padding = 1, Bias = false)] partial Conv2d Conv2 { get; }
                        [BatchNorm2d, Residual(From = "x"), ReLU]                    partial BatchNorm2d Bn2 { get; }

                        [return: Shape("B", {{16 + n}}, "H", "W")]
                        public partial Tensor Forward([Shape("B", {{16 + n}}, "H", "W")] Tensor x);
                    }
                    """),
                3 => ($"ConvNet{i}", $$"""
                    [Model]
                    public sealed partial class ConvNet{{i}}
                    {
                        public partial ConvNet{{i}}(int channels, int hidden, int classes, double dropout);

                        [Conv2d("channels", Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]           partial Conv2d Features1 { get; }
                        [Conv2d("{{n % 3 + 2}} * channels", Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)] partial Conv2d Features2 { get; }
                        [Flatten, Linear("hidden"), ReLU, Dropout("dropout")]                       partial Linear Hidden { get; }
                        [Linear("classes")]                                                         partial Linear Logits { get; }

                        [return: Shape("B", "classes")]
                        public partial Tensor Forward([Shape("B", 3, {{8 * ((n % 4) + 2)}}, {{8 * ((n % 4) + 2)}})] Tensor x);
                    }
                    """),
                _ => ($"Block{i}", $$"""
                    [Model]
                    public sealed partial class Block{{i}}
                    {
                        public partial Block{{i}}(int embed, double dropout);

                        [LayerNorm]                                             partial LayerNorm Norm { get; }
                        [Linear("{{(n % 3) + 2}} * embed"), GELU, Dropout("dropout")] partial Linear Up { get; }
                        [Linear("embed"), Residual(From = "x")]                 partial Linear Down { get; }

                        [return: Shape("B", "T", "embed")]
                        public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
                    }
                    """),
            };
            yield return ($"Models/{name}.cs", Usings + text);
        }
    }
}
