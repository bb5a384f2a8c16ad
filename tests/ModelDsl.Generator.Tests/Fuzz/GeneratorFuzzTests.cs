using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using DiffPlex.Renderer;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ModelDsl.Generator.Tests.Fuzz;

/// <summary>
/// "The generator cannot be crashed": a seeded fuzz test. It mutates valid DSL programs (the showcase models of
/// <c>src/Models</c> and small programs using every attribute) with <see cref="SourceMutator"/> and checks, for
/// every case, that (1) the generator never throws and never reports an internal error (no CS8785, AD0001,
/// exception in the run result or MDL0999), and (2) whenever the generated code does not compile, the generator
/// also reported an MDL diagnostic (errors in the user's own mutated code are expected). All failures are
/// collected, grouped by kind and reported together, with the shortest mutated sources and a minimized one.
/// </summary>
/// <remarks>
/// Deterministic: case <c>i</c> is built from <c>new Random(caseSeed)</c>, where the case seeds come from
/// <c>new Random(<see cref="MasterSeed"/>)</c>. <c>MODELDSL_FUZZ_CASES</c> and <c>MODELDSL_FUZZ_SEED</c> override the
/// case count and the master seed for longer or different local runs; <c>MODELDSL_FUZZ_ONLY=i,j</c> runs only the cases
/// numbered i and j (and prints them), <c>MODELDSL_FUZZ_WORKERS</c> sets the thread count and
/// <c>MODELDSL_FUZZ_TRACE=file</c> logs each case as it starts (to find a case that kills the process).
/// </remarks>
public sealed class GeneratorFuzzTests(ITestOutputHelper output)
{
    /// <summary>The fixed master seed.</summary>
    public const int MasterSeed = 20_240_917;

    /// <summary>The number of cases per run.</summary>
    public const int DefaultCases = 2_000;

    private const int MaxGroupsShown = 15;
    private const int MaxGroupsMinimized = 8;
    private const int MinimizeRunBudget = 100;
    private const int MaxMessageChars = 60_000;
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public void Seeds_are_valid_programs()
    {
        Assert.True(FuzzSeeds.All.Count >= 8, $"Expected at least 8 seeds, found {FuzzSeeds.All.Count}: {string.Join(", ", FuzzSeeds.All)}");
        Assert.Contains(FuzzSeeds.All, s => s.Name.StartsWith("src/Models/", StringComparison.Ordinal));

        foreach (Seed seed in FuzzSeeds.All)
        {
            Assert.NotEmpty(seed.MutableFiles);
            GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(seed.Files.Select(f => (f.Path, f.Text))));
            try
            {
                run.AssertSuccess();
            }
            catch (XunitException e)
            {
                throw new XunitException($"Seed {seed.Name} is not a valid program:{Environment.NewLine}{e.Message}");
            }

            Assert.NotEmpty(run.GeneratedSources);

            // The fast runner agrees with the harness on the pristine seed.
            FuzzOutcome outcome = FuzzRunner.Run(seed.Trees, analyzeAll: true);
            Assert.Null(outcome.Crash);
            Assert.Empty(outcome.ModelDslDiagnostics);
            Assert.Empty(outcome.GeneratedCodeErrors);
            Assert.Equal(run.GeneratedSources.Length, outcome.GeneratedSources);
        }
    }

    [Fact]
    public void Every_attribute_kind_appears_in_a_seed()
    {
        string all = string.Concat(FuzzSeeds.All.SelectMany(s => s.Files).Select(f => f.Text));
        string[] expected =
        [
            "[Model", "[Gan(", "ProgressiveColumn", "Linear(", "Conv2d(", "ConvTranspose2d(", "Padding = \"same\"", "MaxPool2d(", "AvgPool2d(",
            "BatchNorm1d", "BatchNorm2d", "LayerNorm", "Embedding(", "Dropout(", "Flatten", "Reshape(", "ReLU", "LeakyReLU(", "GELU", "Tanh",
            "Sigmoid", "Softmax", "LogSoftmax", "Residual", "Input(", "Concat(", "Nested(", "Repeat =", "Inputs =", "CausalSelfAttention(",
            "Attention(", "PositionalEmbedding(", "SinusoidalEncoding", "TiedTo =", "Shape(", "Conv1d(", "GroupNorm(", "RMSNorm", "LSTM(",
            "GRU(", "InitialState =", "FinalState =", "ClassToken", "Learned", "Rotary = true", "Bias = false", "Select(",
        ];
        Assert.All(expected, token => Assert.Contains(token, all, StringComparison.Ordinal));
    }

    [Fact]
    public void Mutations_are_deterministic()
    {
        var a = BuildCases(MasterSeed, 50, workers: 1);
        var b = BuildCases(MasterSeed, 50, workers: 4);

        Assert.Equal(a.Select(c => c.Text), b.Select(c => c.Text));
        Assert.Equal(a.Select(c => string.Join("|", c.Operations)), b.Select(c => string.Join("|", c.Operations)));
        Assert.All(a, c => Assert.NotEqual(c.OriginalText, c.Text));
    }

    [Fact]
    public void Generator_cannot_be_crashed()
    {
        int caseCount = EnvironmentInt("MODELDSL_FUZZ_CASES") ?? DefaultCases;
        int masterSeed = EnvironmentInt("MODELDSL_FUZZ_SEED") ?? MasterSeed;

        var total = Stopwatch.StartNew();
        TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        int workers = EnvironmentInt("MODELDSL_FUZZ_WORKERS") ?? Math.Clamp(Environment.ProcessorCount, 1, 8);
        _ = FuzzRunner.EmptyCompilation;
        IReadOnlyList<FuzzCase> cases = BuildCases(masterSeed, caseCount, workers);
        TimeSpan building = total.Elapsed;

        // MODELDSL_FUZZ_ONLY=12,345 re-runs just those cases (same numbering) and prints their sources.
        if (Environment.GetEnvironmentVariable("MODELDSL_FUZZ_ONLY") is { Length: > 0 } only)
        {
            var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToHashSet();
            cases = cases.Where(c => wanted.Contains(c.Index)).ToList();
            foreach (FuzzCase c in cases)
            {
                output.WriteLine(c.Describe());
                output.WriteLine(c.Text);
            }
        }

        (FuzzOutcome?[] outcomes, FuzzCase? hung) = FuzzRunner.RunAll(cases, workers, HangLimit);
        TimeSpan running = total.Elapsed - building;
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;

        var results = cases.Zip(outcomes, (c, o) => (Case: c, Outcome: o)).Where(r => r.Outcome is not null).Select(r => (r.Case, Outcome: r.Outcome!)).ToList();
        int withDiagnostics = results.Count(r => !r.Outcome.ModelDslDiagnostics.IsEmpty);
        int withSources = results.Count(r => r.Outcome.GeneratedSources > 0);
        int crashes = results.Count(r => r.Outcome.Crash is not null);
        int silent = results.Count(r => r.Outcome.Crash is null && r.Outcome.SilentBrokenOutput);

        var summary = new StringBuilder();
        summary.AppendLine(Invariant($"{results.Count} cases, {withDiagnostics} produced diagnostics (MDL), master seed {masterSeed}, {workers} worker(s)."));
        summary.AppendLine(Invariant($"Timing: {total.Elapsed.TotalSeconds:F1} s in all ({building.TotalSeconds:F1} s building cases, {running.TotalSeconds:F1} s running the generator); {cpu.TotalSeconds:F1} s of CPU time (the whole process, other tests included)."));
        summary.AppendLine(Invariant($"Time in cases, all workers together: {results.Sum(r => r.Outcome.Elapsed.TotalSeconds):F1} s, of which {results.Sum(r => r.Outcome.AnalysisTime.TotalSeconds):F1} s compiling generated code."));
        summary.AppendLine(Invariant($"Cases with generated sources: {withSources}; without MDL diagnostics, whose generated code was compiled: {results.Count - withDiagnostics}."));
        summary.AppendLine(Invariant($"Failures: {crashes} crash(es), {silent} case(s) of generated code with errors but no MDL diagnostic."));
        summary.AppendLine("MDL diagnostics (cases reporting each ID): " + string.Join(", ", results
            .SelectMany(r => r.Outcome.ModelDslDiagnostics.Select(d => d.Id).Distinct())
            .GroupBy(id => id, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Invariant($"{g.Key}×{g.Count()}"))));
        summary.AppendLine("Cases per seed: " + string.Join(", ", results.GroupBy(r => r.Case.Seed.Name).Select(g => Invariant($"{g.Key}×{g.Count()}"))));
        summary.AppendLine("Operators used: " + string.Join(", ", results
            .SelectMany(r => r.Case.Operations.Select(o => o.Split(':')[0]))
            .GroupBy(o => o, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .Select(g => Invariant($"{g.Key}×{g.Count()}"))));
        summary.AppendLine("Slowest cases: " + string.Join(", ", results
            .OrderByDescending(r => r.Outcome.Elapsed)
            .Take(5)
            .Select(r => Invariant($"#{r.Case.Index} {r.Outcome.Elapsed.TotalMilliseconds:F0} ms"))));
        output.WriteLine(summary.ToString());

        var failures = new StringBuilder();
        if (hung is not null)
        {
            failures.AppendLine(Invariant($"HANG: a case ran longer than {HangLimit.TotalSeconds:F0} s; the run stopped after {results.Count} of {cases.Count} cases."));
            failures.AppendLine("  " + hung.Describe());
            failures.AppendLine(Indent(hung.Text, "    | "));
        }

        // A fuzzer whose mutations stopped reaching the generator would pass for ever: most cases must be rejected.
        if (results.Count >= 100 && withDiagnostics * 2 < results.Count)
        {
            failures.AppendLine(Invariant($"Only {withDiagnostics} of {results.Count} mutated cases produced an MDL diagnostic: the mutations no longer reach the generator."));
        }

        // Crashes and broken generated code without a diagnostic both fail.
        var failed = results.Where(r => r.Outcome.Failed).ToList();
        if (failed.Count > 0)
        {
            var groups = failed
                .GroupBy(r => GroupKey(r.Case, r.Outcome), StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
            failures.AppendLine(Invariant($"{failed.Count} failing case(s) in {groups.Count} group(s):"));
            foreach (var (group, rank) in groups.Take(MaxGroupsShown).Select((g, i) => (g, i)))
            {
                AppendGroup(failures, group.Key, group.Select(r => (r.Case, r.Outcome)).ToList(), minimize: rank < MaxGroupsMinimized);
                if (failures.Length > MaxMessageChars)
                {
                    failures.AppendLine("… (message truncated)");
                    break;
                }
            }

            foreach (var group in groups.Skip(MaxGroupsShown))
            {
                var shortest = group.OrderBy(r => r.Case.Text.Length).ThenBy(r => r.Case.Index).First();
                failures.AppendLine();
                failures.AppendLine(Invariant($"=== {group.Key} — {group.Count()} case(s); shortest: {shortest.Case.Describe()}"));
                foreach (Diagnostic d in shortest.Outcome.GeneratedCodeErrors.Take(3))
                {
                    failures.AppendLine("    " + Truncate(GeneratorRun.Describe(d), 300) + "   // " + GeneratedLine(d));
                }
            }
        }

        if (failures.Length > 0)
        {
            output.WriteLine(failures.ToString());
            throw new XunitException(summary + Environment.NewLine + failures);
        }
    }

    /// <summary>
    /// Builds the cases: deterministic for a master seed (case <c>i</c> depends only on the <c>i</c>-th number the
    /// master generator draws, so the cases can be built in parallel).
    /// </summary>
    internal static IReadOnlyList<FuzzCase> BuildCases(int masterSeed, int count, int workers = 1)
    {
        var master = new Random(masterSeed);
        int[] caseSeeds = Enumerable.Range(0, count).Select(_ => master.Next()).ToArray();
        var cases = new FuzzCase[count];
        System.Threading.Tasks.Parallel.For(0, count, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = workers }, i => cases[i] = BuildCase(i, caseSeeds[i]));
        return cases;
    }

    private static FuzzCase BuildCase(int index, int caseSeed)
    {
        IReadOnlyList<Seed> seeds = FuzzSeeds.All;
        var rng = new Random(caseSeed);
        Seed seed = seeds[rng.Next(seeds.Count)];
        IReadOnlyList<int> mutable = seed.MutableFiles;
        int fileIndex = mutable[rng.Next(mutable.Count)];
        int mutations = rng.NextDouble() < 0.55 ? 1 : rng.Next(2, 4);
        var mutator = new SourceMutator(rng, seed.ClassNames);
        (string text, IReadOnlyList<string> operations) = mutator.Mutate(seed.Files[fileIndex].Text, seed.Files[fileIndex].Path, mutations);
        return new FuzzCase(index, caseSeed, seed, fileIndex, text, operations);
    }

    // Crashes reported as MDL0999 carry only the exception's message: group them by exception type and the
    // generator frame that threw, found by re-running the case with first-chance exceptions recorded.
    private static string GroupKey(FuzzCase c, FuzzOutcome outcome)
    {
        if (outcome.Crash is null || outcome.CrashSignature is null || !outcome.CrashSignature.StartsWith("MDL0999", StringComparison.Ordinal))
        {
            return outcome.Signature;
        }

        var thrown = FuzzRunner.FindInternalErrorException(c, outcome);
        return thrown is null ? "crash: " + MdlMessageKey(outcome.CrashSignature) : "crash: MDL0999 " + thrown.Value.Key;
    }

    private static string MdlMessageKey(string signature)
    {
        Match m = Regex.Match(signature, @"could not process model '[^']*': (?<type>[A-Za-z.]+)");
        return m.Success ? "MDL0999 " + m.Groups["type"].Value : signature;
    }

    private static void AppendGroup(StringBuilder sb, string key, IReadOnlyList<(FuzzCase Case, FuzzOutcome Outcome)> group, bool minimize)
    {
        sb.AppendLine();
        sb.AppendLine(Invariant($"=== {key} — {group.Count} case(s)"));
        var shortest = group.OrderBy(r => r.Case.Text.Length).ThenBy(r => r.Case.Index).ToList();
        var first = shortest[0];

        sb.AppendLine("  Cases: " + string.Join(", ", group.Take(15).Select(r => "#" + r.Case.Index.ToString(CultureInfo.InvariantCulture))) + (group.Count > 15 ? ", …" : ""));
        sb.AppendLine("  Shortest: " + first.Case.Describe());
        if (first.Outcome.Crash is { } crash)
        {
            sb.AppendLine(Indent(Truncate(crash, 3_000), "    "));
            if (first.Outcome.CrashSignature?.StartsWith("MDL0999", StringComparison.Ordinal) == true
                && FuzzRunner.FindInternalErrorException(first.Case, first.Outcome) is { } thrown)
            {
                sb.AppendLine("    Thrown at:");
                sb.AppendLine(Indent(Truncate(thrown.Stack, 2_500), "      "));
            }
        }

        foreach (Diagnostic d in first.Outcome.GeneratedCodeErrors.Take(8))
        {
            sb.AppendLine("    " + GeneratorRun.Describe(d) + "   // " + GeneratedLine(d));
        }

        sb.AppendLine("  Change to the seed file:");
        sb.AppendLine(Indent(Truncate(Diff(first.Case.OriginalText, first.Case.Text), 3_000), "    "));

        if (minimize)
        {
            string minimized = Minimize(first.Case, key);
            sb.AppendLine(Invariant($"  Minimized {first.Case.Path} (other files of seed {first.Case.Seed.Name} unchanged; blank lines dropped):"));
            sb.AppendLine(Indent(Truncate(minimized, 4_000), "    | "));
        }
        else
        {
            sb.AppendLine(Invariant($"  Mutated {first.Case.Path}:"));
            sb.AppendLine(Indent(Truncate(first.Case.Text, 4_000), "    | "));
        }

        foreach (var other in shortest.Skip(1).Take(2))
        {
            sb.AppendLine("  Also: " + other.Case.Describe());
            sb.AppendLine(Indent(Truncate(Diff(other.Case.OriginalText, other.Case.Text), 1_500), "    "));
        }
    }

    /// <summary>
    /// Deletes lines of the mutated file (halves, quarters, … single lines) while the case still fails the same way;
    /// a bounded number of generator runs.
    /// </summary>
    private static string Minimize(FuzzCase c, string key)
    {
        var lines = c.Text.Split('\n').ToList();
        int budget = MinimizeRunBudget;
        bool StillFails(List<string> candidate)
        {
            budget--;
            var trial = c with { Text = string.Join('\n', candidate) };
            FuzzOutcome outcome = FuzzRunner.Run(trial);
            return outcome.Failed && GroupKey(trial, outcome) == key;
        }

        for (int chunk = Math.Max(1, lines.Count / 2); chunk >= 1 && budget > 0; chunk /= 2)
        {
            for (int start = 0; start < lines.Count && budget > 0;)
            {
                var candidate = lines.Take(start).Concat(lines.Skip(start + chunk)).ToList();
                if (candidate.Count < lines.Count && StillFails(candidate))
                {
                    lines = candidate;
                }
                else
                {
                    start += chunk;
                }
            }

            if (chunk == 1)
            {
                break;
            }
        }

        return string.Join('\n', lines.Where(l => l.Trim().Length > 0));
    }

    private static string GeneratedLine(Diagnostic d)
    {
        if (d.Location.SourceTree is not { } tree)
        {
            return "";
        }

        var line = tree.GetText().Lines.GetLineFromPosition(d.Location.SourceSpan.Start);
        return Truncate(line.ToString().Trim(), 200);
    }

    private static string Diff(string before, string after)
    {
        string diff = UnidiffRenderer.GenerateUnidiff(before, after, "seed", "mutated", ignoreWhitespace: false, ignoreCase: false, contextLines: 1);
        return string.Join('\n', diff.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => !l.StartsWith("---", StringComparison.Ordinal) && !l.StartsWith("+++", StringComparison.Ordinal)).Select(l => Truncate(l, 400)));
    }

    private static string Indent(string text, string prefix) =>
        string.Join(Environment.NewLine, text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').Select(l => prefix + l));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s.Substring(0, max) + Invariant($"… ({s.Length} chars)");

    private static int? EnvironmentInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : null;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
