using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Benchmarks.Measurement;
using ModelDsl.Generator;

namespace ModelDsl.Benchmarks.Suites;

/// <summary>
/// This build's generator against another build of it (a <c>ModelDsl.Generator.dll</c> from an earlier commit), cold
/// runs over the 200-model project, interleaved in one process so both see the same machine. The other build loads in
/// an isolated load context and shares this process's Roslyn.
/// </summary>
internal static class GeneratorComparisonSuite
{
    public static PairedTimings Run(string baselinePath, int models = 200)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.Parse);
        var trees = GeneratorSpeedSuite.Sources(models).Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path, Encoding.UTF8)).ToArray();
        var references = GeneratorSpeedSuite.ReferencesForBenchmarks();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        IIncrementalGenerator baseline = LoadBaseline(baselinePath);

        double Cold(IIncrementalGenerator generator)
        {
            var compilation = CSharpCompilation.Create("Models200", trees, references, options);
            GeneratorDriver driver = CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: parseOptions);
            return Paired.Time(() => driver = driver.RunGenerators(compilation));
        }

        // Both must do the same work: the same files out of the same project.
        var current = Generated(new ModelGenerator(), trees, references, options, parseOptions);
        var previous = Generated(baseline, trees, references, options, parseOptions);
        if (current != previous)
            Console.Error.WriteLine($"note: this build generates {current} files, the baseline {previous}");

        return Paired.Run(() => Cold(new ModelGenerator()), () => Cold(baseline), warmup: 3, rounds: 40, budget: TimeSpan.FromMinutes(3));
    }

    private static int Generated(IIncrementalGenerator generator, SyntaxTree[] trees, System.Collections.Immutable.ImmutableArray<MetadataReference> references, CSharpCompilationOptions options, CSharpParseOptions parseOptions)
    {
        var compilation = CSharpCompilation.Create("Models200", trees, references, options);
        return CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: parseOptions).RunGenerators(compilation).GetRunResult().GeneratedTrees.Length;
    }

    private static IIncrementalGenerator LoadBaseline(string path)
    {
        var context = new IsolatedGenerator(Path.GetFullPath(path));
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(path));
        var type = assembly.GetType("ModelDsl.Generator.ModelGenerator", throwOnError: true)!;
        return (IIncrementalGenerator)Activator.CreateInstance(type)!;
    }

    // Loads the other generator on its own; Roslyn and the framework come from this process, as in a compiler.
    private sealed class IsolatedGenerator(string path) : AssemblyLoadContext("baseline-generator")
    {
        private readonly string _directory = Path.GetDirectoryName(path)!;

        protected override Assembly? Load(AssemblyName name)
        {
            var candidate = Path.Combine(_directory, name.Name + ".dll");
            return name.Name!.StartsWith("ModelDsl", StringComparison.Ordinal) && File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
