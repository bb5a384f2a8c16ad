using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Sdk;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>
/// Builds in-memory compilations of DSL source, runs an incremental generator over them with step tracking on,
/// and checks the results (no crash, no errors, caching, no Roslyn objects in the pipeline's models).
/// </summary>
public static class GeneratorHarness
{
    /// <summary>Path prefix of the syntax trees made from plain source strings: <c>Source0.cs</c>, <c>Source1.cs</c>, ….</summary>
    public const string DefaultSourcePrefix = "Source";

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>
    /// The language version the tests compile with: C# 14 if this Roslyn names it, otherwise <c>Preview</c>
    /// (Roslyn 4.14.0 stops at <c>CSharp13</c>; partial constructors are behind <c>Preview</c> there).
    /// </summary>
    public static LanguageVersion LanguageVersion { get; } =
        Enum.TryParse("CSharp14", out LanguageVersion v14) ? v14 : LanguageVersion.Preview;

    /// <summary>Parse options shared by the test sources and the generator driver (so generated trees parse alike).</summary>
    public static CSharpParseOptions ParseOptions { get; } =
        new(LanguageVersion, DocumentationMode.Diagnose, SourceCodeKind.Regular);

    /// <summary>Compilation options: a nullable-enabled library, as a user project would be.</summary>
    public static CSharpCompilationOptions CompilationOptions { get; } =
        new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            concurrentBuild: false,
            deterministic: true);

    /// <summary>
    /// Metadata references: the shared framework assemblies among the test host's trusted platform assemblies,
    /// plus <c>TorchSharp.dll</c>, <c>ModelDsl.Runtime.dll</c>, <c>ModelDsl.Abstractions.dll</c> and the non-framework assemblies TorchSharp refers to.
    /// </summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    /// <summary>Driver options: no output kinds disabled, incremental step tracking on.</summary>
    public static GeneratorDriverOptions DriverOptions { get; } =
        new(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true);

    /// <summary>The project's generator, freshly instantiated.</summary>
    public static IIncrementalGenerator CreateModelGenerator() => new ModelGenerator();

    /// <summary>Parses one source string as a syntax tree at <paramref name="path"/>.</summary>
    public static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path, Encoding.UTF8);

    /// <summary>A compilation of the given sources, named <c>Source0.cs</c>, <c>Source1.cs</c>, … in order.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(sources.Select((s, i) => (Path: $"{DefaultSourcePrefix}{i.ToString(CultureInfo.InvariantCulture)}.cs", Source: s)));

    /// <summary>A compilation of the given (path, source) pairs.</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<(string Path, string Source)> sources, string assemblyName = "ModelDslTestAssembly") =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select(s => Parse(s.Source, s.Path)),
            References,
            CompilationOptions);

    /// <summary>A driver for <paramref name="generators"/> (default: <see cref="CreateModelGenerator"/>) with step tracking on.</summary>
    public static GeneratorDriver CreateDriver(params IIncrementalGenerator[] generators)
    {
        if (generators.Length == 0)
        {
            generators = [CreateModelGenerator()];
        }

        return CSharpGeneratorDriver.Create(
            generators.Select(GeneratorExtensions.AsSourceGenerator),
            additionalTexts: null,
            parseOptions: ParseOptions,
            optionsProvider: null,
            driverOptions: DriverOptions);
    }

    /// <summary>Runs the project's generator over a compilation of <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources));

    /// <summary>Runs <paramref name="generator"/> over a compilation of <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(IIncrementalGenerator generator, params string[] sources) =>
        Run(CreateCompilation(sources), CreateDriver(generator));

    /// <summary>
    /// Runs <paramref name="driver"/> (default: a new driver for the project's generator) over
    /// <paramref name="compilation"/>. Pass the <see cref="GeneratorRun.Driver"/> of an earlier run to run incrementally.
    /// </summary>
    public static GeneratorRun Run(CSharpCompilation compilation, GeneratorDriver? driver = null)
    {
        driver ??= CreateDriver();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        return new GeneratorRun(
            compilation,
            output,
            driver,
            driver.GetRunResult(),
            generatorDiagnostics,
            output.GetDiagnostics());
    }

    /// <summary>
    /// Runs the driver twice, keeping it between runs: first over a compilation of <paramref name="sources"/>, then
    /// over <paramref name="edit"/> applied to that compilation (default: <c>Clone()</c>, a no-op edit that still
    /// invalidates everything keyed on the compilation object). Use
    /// <see cref="CSharpCompilation.ReplaceSyntaxTree"/>, <see cref="CSharpCompilation.AddSyntaxTrees(SyntaxTree[])"/>
    /// or <see cref="ReplaceSource"/> / <see cref="AddSource"/> as edits.
    /// </summary>
    public static (GeneratorRun First, GeneratorRun Second) RunTwice(
        string[] sources,
        Func<CSharpCompilation, CSharpCompilation>? edit = null,
        params IIncrementalGenerator[] generators)
    {
        CSharpCompilation compilation = CreateCompilation(sources);
        GeneratorRun first = Run(compilation, CreateDriver(generators));
        CSharpCompilation edited = edit is null ? compilation.Clone() : edit(compilation);
        GeneratorRun second = Run(edited, first.Driver);
        return (first, second);
    }

    /// <summary>An edit for <see cref="RunTwice"/>: replaces the text of the tree at <paramref name="path"/>.</summary>
    public static Func<CSharpCompilation, CSharpCompilation> ReplaceSource(string path, string newSource) =>
        compilation =>
        {
            SyntaxTree old = compilation.SyntaxTrees.SingleOrDefault(t => t.FilePath == path)
                ?? throw new ArgumentException($"No syntax tree at '{path}'. Trees: {string.Join(", ", compilation.SyntaxTrees.Select(t => t.FilePath))}", nameof(path));
            return compilation.ReplaceSyntaxTree(old, Parse(newSource, path));
        };

    /// <summary>An edit for <see cref="RunTwice"/>: adds a new tree at <paramref name="path"/>.</summary>
    public static Func<CSharpCompilation, CSharpCompilation> AddSource(string path, string source) =>
        compilation => compilation.AddSyntaxTrees(Parse(source, path));

    /// <summary>
    /// The const string fields of every type named <c>TrackingNames</c> or ending in <c>StepNames</c> in the assembly
    /// of <paramref name="generatorType"/> (default: the project's generator) — the generator's tracking names.
    /// </summary>
    public static ImmutableArray<string> DiscoverTrackingNames(Type? generatorType = null)
    {
        Assembly assembly = (generatorType ?? typeof(ModelGenerator)).Assembly;
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }

        return types
            .Where(t => t.Name == "TrackingNames" || t.Name.EndsWith("StepNames", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    /// <summary>The tracked steps of the run whose names are in <paramref name="trackingNames"/>, keyed by name.</summary>
    public static ImmutableDictionary<string, ImmutableArray<IncrementalGeneratorRunStep>> GetTrackedSteps(
        GeneratorDriverRunResult runResult,
        IEnumerable<string> trackingNames)
    {
        var wanted = new HashSet<string>(trackingNames, StringComparer.Ordinal);
        var builder = ImmutableDictionary.CreateBuilder<string, ImmutableArray<IncrementalGeneratorRunStep>>(StringComparer.Ordinal);
        foreach (GeneratorRunResult result in runResult.Results)
        {
            foreach (KeyValuePair<string, ImmutableArray<IncrementalGeneratorRunStep>> pair in result.TrackedSteps)
            {
                if (wanted.Contains(pair.Key))
                {
                    builder[pair.Key] = builder.TryGetValue(pair.Key, out ImmutableArray<IncrementalGeneratorRunStep> existing)
                        ? existing.AddRange(pair.Value)
                        : pair.Value;
                }
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// Caching check for a no-op second run (NetEscapades style): both runs track the same named steps with the same
    /// outputs; every output of the named steps and of the source outputs is <c>Cached</c> or <c>Unchanged</c> in
    /// the second run; and no output of the first run holds a Roslyn object (see <see cref="AssertNoRoslynObjects"/>).
    /// <paramref name="trackingNames"/> defaults to <see cref="DiscoverTrackingNames"/>.
    /// </summary>
    public static void AssertCachedOnSecondRun(GeneratorRun first, GeneratorRun second, IEnumerable<string>? trackingNames = null)
    {
        ImmutableArray<string> names = trackingNames?.ToImmutableArray() ?? DiscoverTrackingNames();
        if (names.IsEmpty)
        {
            throw new XunitException("No tracking names: the generator declares no TrackingNames constants, and none were passed.");
        }

        first.AssertNoGeneratorFailure();
        second.AssertNoGeneratorFailure();

        var steps1 = GetTrackedSteps(first.RunResult, names);
        var steps2 = GetTrackedSteps(second.RunResult, names);
        var failures = new List<string>();

        if (steps1.IsEmpty)
        {
            failures.Add($"None of the tracking names ran: {string.Join(", ", names)}. Tracked: {string.Join(", ", first.RunResult.Results.SelectMany(r => r.TrackedSteps.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal))}");
        }

        foreach (string name in steps1.Keys.Union(steps2.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            if (!steps1.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> a) || !steps2.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> b))
            {
                failures.Add($"Step '{name}' ran in only one of the two runs.");
                continue;
            }

            if (a.Length != b.Length)
            {
                failures.Add($"Step '{name}' ran {a.Length} time(s) in the first run and {b.Length} in the second.");
                continue;
            }

            for (int i = 0; i < a.Length; i++)
            {
                object[] outputs1 = a[i].Outputs.Select(o => o.Value).ToArray();
                object[] outputs2 = b[i].Outputs.Select(o => o.Value).ToArray();
                if (!outputs1.SequenceEqual(outputs2))
                {
                    failures.Add($"Step '{name}'[{i}]: outputs differ between runs (missing Equals on a model type?): [{string.Join(", ", outputs1)}] vs [{string.Join(", ", outputs2)}].");
                }

                foreach ((object value, IncrementalStepRunReason reason) in b[i].Outputs)
                {
                    if (reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                    {
                        failures.Add($"Step '{name}'[{i}]: output is {reason} on the second run, expected Cached or Unchanged: {value}");
                    }
                }
            }
        }

        foreach (GeneratorRunResult result in second.RunResult.Results)
        {
            foreach (KeyValuePair<string, ImmutableArray<IncrementalGeneratorRunStep>> output in result.TrackedOutputSteps)
            {
                foreach (IncrementalGeneratorRunStep step in output.Value)
                {
                    foreach ((object value, IncrementalStepRunReason reason) in step.Outputs)
                    {
                        if (reason != IncrementalStepRunReason.Cached)
                        {
                            failures.Add($"Output step '{output.Key}': {reason} on the second run, expected Cached: {value}");
                        }
                    }
                }
            }
        }

        try
        {
            AssertNoRoslynObjects(first.RunResult, names);
        }
        catch (XunitException e)
        {
            failures.Add(e.Message);
        }

        if (failures.Count > 0)
        {
            throw new XunitException("Incremental caching check failed:" + Environment.NewLine + string.Join(Environment.NewLine, failures));
        }
    }

    /// <summary>Asserts that every output of the named steps reports one of <paramref name="reasons"/>.</summary>
    public static void AssertStepReasons(GeneratorDriverRunResult runResult, string trackingName, params IncrementalStepRunReason[] reasons)
    {
        var steps = GetTrackedSteps(runResult, [trackingName]);
        if (!steps.TryGetValue(trackingName, out ImmutableArray<IncrementalGeneratorRunStep> runs))
        {
            throw new XunitException($"Step '{trackingName}' did not run.");
        }

        var bad = runs.SelectMany(s => s.Outputs).Where(o => !reasons.Contains(o.Reason)).ToList();
        if (bad.Count > 0)
        {
            throw new XunitException($"Step '{trackingName}': expected only [{string.Join(", ", reasons)}], got: {string.Join("; ", bad.Select(o => $"{o.Reason}: {o.Value}"))}");
        }
    }

    /// <summary>
    /// Walks every output of the named steps by reflection (fields, recursively, arrays element by element) and
    /// fails on anything that pins a compilation: <see cref="ISymbol"/>, <see cref="SyntaxNode"/>,
    /// <see cref="SyntaxTree"/>, <see cref="Compilation"/>, <see cref="SemanticModel"/>, <see cref="Location"/>, ….
    /// Roslyn's own steps (e.g. <c>ForAttributeWithMetadataName</c> internals) legitimately hold syntax, so only
    /// the generator's own tracking names should be passed.
    /// </summary>
    public static void AssertNoRoslynObjects(GeneratorDriverRunResult runResult, IEnumerable<string>? trackingNames = null)
    {
        ImmutableArray<string> names = trackingNames?.ToImmutableArray() ?? DiscoverTrackingNames();
        var failures = new List<string>();
        foreach (KeyValuePair<string, ImmutableArray<IncrementalGeneratorRunStep>> pair in GetTrackedSteps(runResult, names).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (IncrementalGeneratorRunStep step in pair.Value)
            {
                foreach ((object value, IncrementalStepRunReason _) in step.Outputs)
                {
                    RoslynObjectWalker.Find(value, $"{pair.Key}.output", failures);
                }
            }
        }

        if (failures.Count > 0)
        {
            throw new XunitException("Pipeline models hold Roslyn objects (they pin compilations and defeat caching):" + Environment.NewLine + string.Join(Environment.NewLine, failures.Distinct()));
        }
    }

    /// <summary>Finds a value of a banned type in an object graph; <see langword="null"/> if there is none.</summary>
    public static string? FindRoslynObject(object? value, string rootName = "value")
    {
        var failures = new List<string>();
        RoslynObjectWalker.Find(value, rootName, failures);
        return failures.Count == 0 ? null : failures[0];
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase); // simple name -> path
        string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var tpaByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string path in tpa)
        {
            tpaByName.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            // Only the shared framework: the test bin (xunit, Roslyn, the generator, this assembly) is no user's reference.
            if (string.Equals(Path.GetDirectoryName(path), frameworkDir, StringComparison.Ordinal)
                && path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }

        if (paths.Count == 0)
        {
            foreach (string path in Directory.EnumerateFiles(frameworkDir, "*.dll"))
            {
                paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }

        Assembly torchSharp = typeof(TorchSharp.torch).Assembly;
        Assembly runtime = typeof(ShapeMismatchException).Assembly;
        Assembly attributes = typeof(ModelAttribute).Assembly;
        paths[torchSharp.GetName().Name!] = torchSharp.Location;
        paths[runtime.GetName().Name!] = runtime.Location;
        paths[attributes.GetName().Name!] = attributes.Location;

        // What a user's PackageReference to TorchSharp would also bring (Google.Protobuf, SkiaSharp, …), when present.
        foreach (AssemblyName dependency in torchSharp.GetReferencedAssemblies().Concat(runtime.GetReferencedAssemblies()))
        {
            if (dependency.Name is { } name && !paths.ContainsKey(name) && tpaByName.TryGetValue(name, out string? path))
            {
                paths[name] = path;
            }
        }

        return paths.Values.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }

    private static class RoslynObjectWalker
    {
        private static readonly Type[] Banned =
        [
            typeof(ISymbol),
            typeof(SyntaxNode),
            typeof(SyntaxTree),
            typeof(SyntaxToken),
            typeof(SyntaxTrivia),
            typeof(Compilation),
            typeof(SemanticModel),
            typeof(Location),
            typeof(AttributeData),
            typeof(TypedConstant),
            typeof(IOperation),
        ];

        public static void Find(object? root, string rootName, List<string> failures)
        {
            var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
            Visit(root, rootName, 0);

            void Visit(object? node, string path, int depth)
            {
                if (node is null || depth > 64)
                {
                    return;
                }

                Type type = node.GetType();
                if (type.IsPrimitive || type.IsEnum || node is string || node is decimal || node is Type || node is Delegate || type.IsPointer)
                {
                    return;
                }

                if (!type.IsValueType && !visited.Add(node))
                {
                    return;
                }

                foreach (Type banned in Banned)
                {
                    if (banned.IsInstanceOfType(node))
                    {
                        failures.Add($"  {path}: {banned.Name} ({type.FullName})");
                        return;
                    }
                }

                if (node is Array array)
                {
                    int i = 0;
                    foreach (object? element in array)
                    {
                        Visit(element, $"{path}[{i++}]", depth + 1);
                    }

                    return;
                }

                for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
                {
                    foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                        {
                            continue;
                        }

                        Visit(field.GetValue(node), $"{path}.{field.Name}", depth + 1);
                    }
                }
            }
        }
    }
}

/// <summary>The outcome of one generator run.</summary>
/// <param name="InputCompilation">The compilation the generator saw.</param>
/// <param name="OutputCompilation">The input plus the generated trees.</param>
/// <param name="Driver">The driver after the run: pass it to <see cref="GeneratorHarness.Run(CSharpCompilation, GeneratorDriver?)"/> to run incrementally.</param>
/// <param name="RunResult">The driver's run result (generated sources, diagnostics, tracked steps).</param>
/// <param name="GeneratorDiagnostics">Diagnostics the generator reported (plus CS8785 if it threw).</param>
/// <param name="OutputDiagnostics">All diagnostics of <paramref name="OutputCompilation"/> (warnings included).</param>
public sealed record GeneratorRun(
    CSharpCompilation InputCompilation,
    Compilation OutputCompilation,
    GeneratorDriver Driver,
    GeneratorDriverRunResult RunResult,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> OutputDiagnostics)
{
    /// <summary>The errors of the output compilation.</summary>
    public ImmutableArray<Diagnostic> OutputErrors =>
        OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

    /// <summary>
    /// Diagnostics of the output compilation located in generated trees. Users build with TreatWarningsAsErrors
    /// and documentation files, so any warning here (CS1591, nullable, obsolete, …) breaks their build.
    /// </summary>
    public ImmutableArray<Diagnostic> GeneratedCodeDiagnostics
    {
        get
        {
            var inputTrees = new HashSet<SyntaxTree>(InputCompilation.SyntaxTrees);
            return OutputDiagnostics
                .Where(d => d.Location.SourceTree is { } tree && !inputTrees.Contains(tree))
                .ToImmutableArray();
        }
    }

    /// <summary>Every generated source of every generator, ordered by hint name.</summary>
    public ImmutableArray<GeneratedSourceResult> GeneratedSources =>
        RunResult.Results.SelectMany(r => r.GeneratedSources).OrderBy(s => s.HintName, StringComparer.Ordinal).ToImmutableArray();

    /// <summary>The text of the generated source with this hint name (with or without <c>.cs</c>).</summary>
    public string GeneratedText(string hintName)
    {
        foreach (GeneratedSourceResult source in GeneratedSources)
        {
            if (source.HintName == hintName || source.HintName == hintName + ".cs")
            {
                return source.SourceText.ToString();
            }
        }

        throw new XunitException($"No generated source '{hintName}'. Generated: {string.Join(", ", GeneratedSources.Select(s => s.HintName))}");
    }

    /// <summary>
    /// Fails if the generator threw (an exception in the run result, CS8785) or an analyzer crashed (AD0001).
    /// The generator must turn malformed input into diagnostics, never exceptions.
    /// </summary>
    public void AssertNoGeneratorFailure()
    {
        var problems = new List<string>();
        foreach (GeneratorRunResult result in RunResult.Results)
        {
            if (result.Exception is { } e)
            {
                problems.Add($"{result.Generator.GetGeneratorType().Name} threw: {e}");
            }
        }

        foreach (Diagnostic d in GeneratorDiagnostics.Concat(RunResult.Diagnostics).Concat(OutputDiagnostics))
        {
            if (d.Id is "CS8785" or "AD0001")
            {
                problems.Add(Describe(d));
            }
        }

        if (problems.Count > 0)
        {
            throw new XunitException("The generator failed:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Distinct()));
        }
    }

    /// <summary>
    /// <see cref="AssertNoGeneratorFailure"/>, then fails if the generator reported any diagnostic at
    /// <paramref name="minimumSeverity"/> or above, if the output compilation has errors, or if the generated code
    /// itself has warnings (all listed with the generated code).
    /// </summary>
    public void AssertSuccess(DiagnosticSeverity minimumSeverity = DiagnosticSeverity.Warning)
    {
        AssertNoGeneratorFailure();
        var generatorProblems = GeneratorDiagnostics.Where(d => d.Severity >= minimumSeverity).ToList();
        ImmutableArray<Diagnostic> errors = OutputErrors
            .Concat(GeneratedCodeDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning))
            .Distinct()
            .ToImmutableArray();
        if (generatorProblems.Count == 0 && errors.IsEmpty)
        {
            return;
        }

        var message = new StringBuilder();
        if (generatorProblems.Count > 0)
        {
            message.AppendLine("Generator diagnostics:");
            generatorProblems.ForEach(d => message.AppendLine("  " + Describe(d)));
        }

        if (!errors.IsEmpty)
        {
            message.AppendLine("Output compilation errors (and warnings in generated code):");
            foreach (Diagnostic d in errors)
            {
                message.AppendLine("  " + Describe(d));
            }

            foreach (GeneratedSourceResult source in GeneratedSources)
            {
                message.AppendLine().AppendLine($"// ---- {source.HintName} ----");
                string[] lines = source.SourceText.ToString().Split('\n');
                for (int i = 0; i < lines.Length; i++)
                {
                    message.Append((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(4)).Append("  ").AppendLine(lines[i].TrimEnd('\r'));
                }
            }
        }

        throw new XunitException(message.ToString());
    }

    /// <summary>One diagnostic as <c>ID Severity file(line,col): message</c>, lines and columns 1-based.</summary>
    public static string Describe(Diagnostic d)
    {
        string where = "(no location)";
        if (d.Location != Location.None)
        {
            FileLinePositionSpan span = d.Location.GetMappedLineSpan();
            where = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})");
        }

        return $"{d.Id} {d.Severity} {where}: {d.GetMessage(CultureInfo.InvariantCulture)}";
    }
}
