using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Tests.Infrastructure;

namespace ModelDsl.Generator.Tests.Fuzz;

/// <summary>One fuzz input: a seed with one of its files replaced by a mutated text.</summary>
internal sealed record FuzzCase(int Index, int CaseSeed, Seed Seed, int FileIndex, string Text, IReadOnlyList<string> Operations)
{
    public string Path => Seed.Files[FileIndex].Path;

    public string OriginalText => Seed.Files[FileIndex].Text;

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"case #{Index} (case seed {CaseSeed}, seed {Seed.Name}, file {Path}): {string.Join("; ", Operations)}");
}

/// <summary>What one generator run over a fuzz case gave.</summary>
/// <param name="Crash">The generator threw (result exception, CS8785, AD0001) or reported an internal error (MDL0999); null if not.</param>
/// <param name="CrashSignature">A short key grouping crashes of the same defect.</param>
/// <param name="ModelDslDiagnostics">The diagnostics the generator reported (IDs starting with MDL).</param>
/// <param name="GeneratedCodeErrors">Errors of the output compilation located in generated trees.</param>
internal sealed record FuzzOutcome(
    string? Crash,
    string? CrashSignature,
    ImmutableArray<Diagnostic> ModelDslDiagnostics,
    ImmutableArray<Diagnostic> GeneratedCodeErrors,
    int GeneratedSources,
    TimeSpan Elapsed,
    TimeSpan AnalysisTime = default)
{
    /// <summary>Generated code that does not compile while the generator said nothing: the user sees only CS errors in .g.cs files.</summary>
    public bool SilentBrokenOutput => !GeneratedCodeErrors.IsEmpty && ModelDslDiagnostics.IsEmpty;

    public bool Failed => Crash is not null || SilentBrokenOutput;

    /// <summary>A key grouping failures of the same kind.</summary>
    public string Signature => Crash is not null
        ? "crash: " + CrashSignature
        : "errors in generated code without an MDL diagnostic: " + string.Join(", ", GeneratedCodeErrors.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal));
}

/// <summary>
/// Runs the project's generator over fuzz cases quickly: the metadata references and the parse options are the
/// harness's, every compilation derives from one empty compilation (so the reference manager and the referenced
/// assembly symbols are shared), each case gets a fresh driver without step tracking, nothing is emitted, and only
/// the generated trees' diagnostics are computed.
/// </summary>
internal static class FuzzRunner
{
    private static readonly Lazy<CSharpCompilation> LazyEmpty = new(() =>
    {
        var empty = CSharpCompilation.Create("ModelDslFuzz", syntaxTrees: null, GeneratorHarness.References, GeneratorHarness.CompilationOptions);
        // Bind the references once, up front, so that every derived compilation reuses them.
        _ = empty.GetTypeByMetadataName("TorchSharp.torch");
        return empty;
    });

    public static CSharpCompilation EmptyCompilation => LazyEmpty.Value;

    /// <summary>The syntax trees of a case: the seed's parsed files, the mutated one replaced.</summary>
    public static SyntaxTree[] Trees(FuzzCase c)
    {
        var trees = c.Seed.Trees.ToArray();
        trees[c.FileIndex] = GeneratorHarness.Parse(c.Text, c.Path);
        return trees;
    }

    public static FuzzOutcome Run(FuzzCase c) => Run(Trees(c));

    /// <summary>
    /// Runs the generator over <paramref name="trees"/>. The generated trees are analysed only when the generator
    /// reported no MDL diagnostic, unless <paramref name="analyzeAll"/>.
    /// </summary>
    public static FuzzOutcome Run(IReadOnlyList<SyntaxTree> trees, bool analyzeAll = false)
    {
        var stopwatch = Stopwatch.StartNew();
        CSharpCompilation compilation = EmptyCompilation.AddSyntaxTrees(trees);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ModelGenerator().AsSourceGenerator()],
            additionalTexts: null,
            parseOptions: GeneratorHarness.ParseOptions,
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();

        var crashes = new List<string>();
        string? signature = null;
        foreach (GeneratorRunResult generator in result.Results)
        {
            if (generator.Exception is { } e)
            {
                crashes.Add($"{generator.Generator.GetGeneratorType().Name} threw: {e}");
                signature ??= $"{e.GetType().Name} at {TopFrame(e)}: {Normalize(e.Message)}";
            }
        }

        var all = generatorDiagnostics.Concat(result.Diagnostics).Distinct().ToList();
        foreach (Diagnostic d in all.Where(d => d.Id is "CS8785" or "AD0001" or "MDL0999"))
        {
            crashes.Add(GeneratorRun.Describe(d));
            signature ??= d.Id + ": " + Normalize(d.GetMessage(CultureInfo.InvariantCulture));
        }

        var mdl = all.Where(d => d.Id.StartsWith("MDL", StringComparison.Ordinal)).ToImmutableArray();

        if (Environment.GetEnvironmentVariable("MODELDSL_FUZZ_DUMP") is { Length: > 0 } dump)
        {
            // Debugging aid: the inputs and the generated sources of each case, written before any further analysis.
            System.IO.Directory.CreateDirectory(dump);
            foreach (SyntaxTree tree in trees.Concat(result.GeneratedTrees))
            {
                System.IO.File.WriteAllText(System.IO.Path.Combine(dump, System.IO.Path.GetFileName(tree.FilePath)), tree.ToString());
            }
        }

        TimeSpan beforeAnalysis = stopwatch.Elapsed;
        var generatedErrors = ImmutableArray.CreateBuilder<Diagnostic>();
        if (CompilerStackOverflowHazard(trees, result.GeneratedTrees) is { } hazard)
        {
            // Analysing this output would kill the test process (Roslyn recurses until the stack overflows, as csc
            // does on the user's build): report it instead of analysing it.
            crashes.Add(hazard);
            signature ??= "the compiler overflows its stack on the output: a Forward parameter attribute names the Forward method group, and the generator implements Forward";
        }
        else if (mdl.IsEmpty || analyzeAll)
        {
            // Check (2) asks for an MDL diagnostic whenever the generated code has errors, so with one reported there is
            // nothing to check: the semantic analysis, the dearest part of a case, runs only when the generator was
            // silent. It covers the whole compilation, keeping the errors located in generated trees: a generated
            // tree's own semantic model misses errors in the body of a partial constructor's implementation (Roslyn
            // binds that body with the defining declaration, in the user's tree, and filters by location).
            var generatedTrees = new HashSet<SyntaxTree>(result.GeneratedTrees);
            foreach (Diagnostic d in output.GetDiagnostics())
            {
                if (d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))
                {
                    generatedErrors.Add(d);
                }
            }
        }

        return new FuzzOutcome(
            crashes.Count == 0 ? null : string.Join(Environment.NewLine, crashes.Distinct()),
            signature,
            mdl,
            generatedErrors.ToImmutable(),
            result.GeneratedTrees.Length,
            stopwatch.Elapsed,
            stopwatch.Elapsed - beforeAnalysis);
    }

    /// <summary>
    /// A known Roslyn defect (4.14 and the .NET 10 SDK's compiler alike): when a partial method has an implementing
    /// declaration and an attribute on a parameter of its defining declaration names the method group itself, as in
    /// <c>public partial Tensor Forward([Shape("B", Forward)] Tensor x);</c>, binding the attribute recurses until
    /// the process dies of a stack overflow. Without an implementing declaration the compiler reports CS0120 and
    /// CS8795 and survives, so a generator that implements Forward here turns a user's typo into a compiler crash.
    /// Returns a description when the case has that shape; the caller must then not analyse the output.
    /// </summary>
    public static string? CompilerStackOverflowHazard(IEnumerable<SyntaxTree> inputs, IEnumerable<SyntaxTree> generated)
    {
        var selfReferences = inputs
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            .Where(m => m.Body is null && m.ExpressionBody is null)
            .SelectMany(m => m.ParameterList.Parameters
                .SelectMany(p => p.AttributeLists)
                .SelectMany(l => l.DescendantNodes().OfType<IdentifierNameSyntax>())
                .Where(id => id.Identifier.ValueText == m.Identifier.ValueText
                    && id.Ancestors().OfType<AttributeArgumentSyntax>().Any()
                    && !id.Ancestors().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" }))
                .Select(id => (Method: QualifiedName(m), Reference: id)))
            .ToList();
        if (selfReferences.Count == 0)
        {
            return null;
        }

        var implemented = generated
            .SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            .Where(m => m.Body is not null || m.ExpressionBody is not null)
            .Select(QualifiedName)
            .ToHashSet(StringComparer.Ordinal);
        var hit = selfReferences.FirstOrDefault(r => implemented.Contains(r.Method));
        return hit.Reference is null
            ? null
            : $"Compiler stack overflow hazard (Roslyn defect): the generated code implements partial method '{hit.Method}', one of whose parameter attributes names its own method group at {hit.Reference.GetLocation().GetLineSpan()}; csc dies of a stack overflow on such a build.";

        // Namespaces, containing types and the method's name, e.g. 'Samples.Stack.Forward'.
        static string QualifiedName(MethodDeclarationSyntax m) =>
            string.Join(".", m.Ancestors().Reverse()
                .Select(a => a switch
                {
                    BaseNamespaceDeclarationSyntax ns => ns.Name.ToString(),
                    BaseTypeDeclarationSyntax type => type.Identifier.ValueText,
                    _ => null,
                })
                .OfType<string>()
                .Append(m.Identifier.ValueText));
    }

    /// <summary>
    /// Runs <paramref name="cases"/> on <paramref name="workers"/> threads. A case running longer than
    /// <paramref name="hangLimit"/> is reported as a hang and ends the run (its thread cannot be stopped).
    /// </summary>
    public static (FuzzOutcome?[] Outcomes, FuzzCase? Hung) RunAll(IReadOnlyList<FuzzCase> cases, int workers, TimeSpan hangLimit)
    {
        var outcomes = new FuzzOutcome?[cases.Count];
        // MODELDSL_FUZZ_TRACE=file logs each case as it starts: the last lines name the culprit if the process dies
        // (a stack overflow cannot be caught).
        string? tracePath = Environment.GetEnvironmentVariable("MODELDSL_FUZZ_TRACE");
        var traceLock = new object();
        var started = new long[workers];
        var current = new int[workers];
        int next = -1;
        var threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            int worker = w;
            current[worker] = -1;
            threads[w] = new Thread(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < cases.Count)
                {
                    Volatile.Write(ref current[worker], i);
                    Volatile.Write(ref started[worker], Stopwatch.GetTimestamp());
                    if (!string.IsNullOrEmpty(tracePath))
                    {
                        lock (traceLock)
                        {
                            System.IO.File.AppendAllText(tracePath, $"START {cases[i].Describe()}{Environment.NewLine}");
                        }
                    }

                    outcomes[i] = RunGuarded(cases[i]);
                    Volatile.Write(ref current[worker], -1);
                }
            })
            {
                IsBackground = true,
                Name = $"ModelDsl fuzz worker {w}",
            };
            threads[w].Start();
        }

        while (true)
        {
            if (threads.All(t => t.Join(200)))
            {
                return (outcomes, null);
            }

            for (int w = 0; w < workers; w++)
            {
                int i = Volatile.Read(ref current[w]);
                if (i >= 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref started[w])) > hangLimit)
                {
                    return (outcomes, cases[i]);
                }
            }
        }
    }

    [ThreadStatic]
    private static List<(Exception Exception, string Stack)>? t_thrown;

    private static int s_hooked;

    /// <summary>
    /// For a case that reported MDL0999 (the generator caught its own exception), re-runs it recording first-chance
    /// exceptions and returns the one the message names: a grouping key (type and throwing generator frame) and its
    /// stack (generator frames only). Null if it cannot be found.
    /// </summary>
    public static (string Key, string Stack)? FindInternalErrorException(FuzzCase c, FuzzOutcome outcome)
    {
        if (outcome.Crash is null)
        {
            return null;
        }

        if (Interlocked.Exchange(ref s_hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
            {
                if (t_thrown is { Count: < 500 } log)
                {
                    log.Add((e.Exception, Environment.StackTrace));
                }
            };
        }

        var thrown = new List<(Exception Exception, string Stack)>();
        t_thrown = thrown;
        try
        {
            Run(c);
        }
        finally
        {
            t_thrown = null;
        }

        foreach ((Exception e, string stack) in thrown)
        {
            if (!outcome.Crash.Contains(e.GetType().Name + ": " + e.Message, StringComparison.Ordinal))
            {
                continue;
            }

            var frames = stack.Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("at ModelDsl.Generator.", StringComparison.Ordinal) && !l.StartsWith("at ModelDsl.Generator.Tests.", StringComparison.Ordinal))
                .ToList();
            string top = frames.Count == 0 ? "?" : Regex.Replace(frames[0], @"^at |\(.*$", "");
            return ($"{e.GetType().Name} at {top}", $"{e.GetType().FullName}: {e.Message}\n" + string.Join("\n", frames.Take(20)));
        }

        return null;
    }

    private static FuzzOutcome RunGuarded(FuzzCase c)
    {
        try
        {
            return Run(c);
        }
        catch (Exception e)
        {
            // Roslyn itself should contain generator exceptions; anything escaping is reported like a crash.
            return new FuzzOutcome($"The driver threw: {e}", $"{e.GetType().Name} escaped the driver at {TopFrame(e)}", [], [], 0, TimeSpan.Zero);
        }
    }

    private static string TopFrame(Exception e)
    {
        string? frame = new StackTrace(e, fNeedFileInfo: false).GetFrames()
            .Select(f => f.GetMethod())
            .Where(m => m?.DeclaringType?.Namespace?.StartsWith("ModelDsl", StringComparison.Ordinal) == true)
            .Select(m => $"{m!.DeclaringType!.Name}.{m.Name}")
            .FirstOrDefault();
        return frame ?? e.TargetSite?.Name ?? "?";
    }

    // Messages quote names from the case ('Samples.Mlp.g.cs', 'Gen'): blank them so that one defect makes one group.
    private static string Normalize(string message)
    {
        message = Regex.Replace(message, "'[^']*'", "'…'");
        return message.Length <= 160 ? message : message.Substring(0, 160) + "…";
    }
}
