using System.Collections.Immutable;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Benchmarks.Suites;
using ModelDsl.Generator;

namespace ModelDsl.Benchmarks.Bdn;

/// <summary>The generator over 200 [Model] classes: cold, and incremental after an edit to a file with no model.</summary>
[BenchmarkCategory("Generator")]
public class GeneratorRun
{
    private CSharpParseOptions _parseOptions = null!;
    private SyntaxTree[] _trees = null!;
    private ImmutableArray<MetadataReference> _references;
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation[] _edited = null!;
    private GeneratorDriver _warm = null!;
    private int _edit;

    [GlobalSetup]
    public void Setup()
    {
        _parseOptions = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.Parse);
        _trees = GeneratorSpeedSuite.Sources(200)
            .Append(("App/Program.cs", "namespace App; public static class Program { public static int Answer() => 0; }"))
            .Select(s => CSharpSyntaxTree.ParseText(s.Item2, _parseOptions, s.Item1, Encoding.UTF8))
            .ToArray();
        _references = GeneratorSpeedSuite.ReferencesForBenchmarks();
        _compilation = NewCompilation();
        var unrelated = _compilation.SyntaxTrees.Single(t => t.FilePath == "App/Program.cs");
        _edited = Enumerable.Range(1, 2)
            .Select(i => _compilation.ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText($"namespace App; public static class Program {{ public static int Answer() => {i}; }}", _parseOptions, "App/Program.cs", Encoding.UTF8)))
            .ToArray();
        _warm = NewDriver().RunGenerators(_compilation);
    }

    /// <summary>A fresh driver over a fresh compilation of the same trees.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver Cold() => NewDriver().RunGenerators(NewCompilation());

    /// <summary>The warm driver after an edit that changes no model (alternating between two versions of a file).</summary>
    [Benchmark]
    public GeneratorDriver IncrementalNoOpEdit() => _warm = _warm.RunGenerators(_edited[_edit++ % 2]);

    private CSharpCompilation NewCompilation() =>
        CSharpCompilation.Create("Models200", _trees, _references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new ModelGenerator().AsSourceGenerator()], parseOptions: _parseOptions);
}
