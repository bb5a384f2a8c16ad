using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Running;
using ModelDsl.Benchmarks.Bdn;
using ModelDsl.Benchmarks.Measurement;
using ModelDsl.Benchmarks.Suites;

namespace ModelDsl.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/ModelDsl.Benchmarks [-- command]</c>:
/// <list type="bullet">
/// <item><c>--table</c> (default): every comparison side by side in one run, printed as markdown (a few minutes);</item>
/// <item><c>--memory</c>: resident memory over 2,000 GPT and 500 DCGAN training steps (minutes);</item>
/// <item><c>--onnx</c>: inference of the exported GPT and DCGAN generator, ONNX Runtime against TorchSharp (a minute or two);</item>
/// <item><c>--all</c>: the table, the ONNX comparison, then the memory run: every figure in one command;</item>
/// <item><c>--generator-against DLL</c>: this generator against another build of it, cold over 200 models, interleaved;</item>
/// <item><c>--bdn [BenchmarkDotNet arguments]</c>: the rigorous BenchmarkDotNet runs, e.g. <c>--bdn --filter *Gpt*</c>.</item>
/// </list>
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;
        var threadsAt = Array.IndexOf(args, "--threads");
        int? threads = null;
        if (threadsAt >= 0 && threadsAt + 1 < args.Length)
        {
            threads = int.Parse(args[threadsAt + 1], CultureInfo.InvariantCulture);
            args = args[..threadsAt].Concat(args[(threadsAt + 2)..]).ToArray();
        }

        var (before, after) = Machine.ConfigureTorch(threads);
        var command = args.FirstOrDefault() ?? "--table";
        if (command == "--bdn")
        {
            // In process: each benchmark's GlobalSetup sets the same thread count again.
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..], BdnConfig.Create());
            return 0;
        }

        Console.Error.WriteLine($"torch.set_num_threads({Machine.TorchThreads}): get_num_threads() {before} → {after}; load average {Machine.LoadAverage():F1} on {Environment.ProcessorCount} cores");
        if (!Machine.IsOptimized())
            Console.Error.WriteLine("warning: this is not an optimised build; run with -c Release.");

        switch (command)
        {
            case "--table":
                return TableCommand.Run(args.Contains("--quick"));
            case "--memory":
                return MemoryCommand.Run();
            case "--onnx":
                return OnnxCommand.Run(args.Contains("--quick"));
            case "--all":
                // Every figure in one run: the table, the ONNX comparison, then resident memory over the long training runs.
                var table = TableCommand.Run(args.Contains("--quick"));
                var onnx = OnnxCommand.Run(args.Contains("--quick"));
                var memory = MemoryCommand.Run();
                return table != 0 ? table : onnx != 0 ? onnx : memory;
            case "--generator-against" when args.Length > 1:
                var paired = Suites.GeneratorComparisonSuite.Run(args[1]);
                var (low, high) = paired.MedianRatioInterval;
                Console.WriteLine($"Generator on 200 models, cold: this build {paired.MedianA:F1} ms, {args[1]} {paired.MedianB:F1} ms (medians of {paired.A.Length} interleaved rounds)");
                Console.WriteLine($"Ratio this/baseline: {paired.MedianRatio:F3} [{low:F3}, {high:F3}] (median per-round ratio, 95% interval)");
                return 0;
            case "--help" or "-h":
                Console.WriteLine("usage: ModelDsl.Benchmarks [--table [--quick] | --onnx [--quick] | --memory | --all [--quick] | --generator-against GENERATOR.dll | --bdn <BenchmarkDotNet args>] [--threads N (default 2)]");
                return 0;
            default:
                Console.Error.WriteLine($"unknown command '{command}'; try --help");
                return 2;
        }
    }
}

/// <summary>The whole table in one run: training overhead and MFU, generation, generator speed.</summary>
internal static class TableCommand
{
    public static int Run(bool quick)
    {
        var clock = Stopwatch.StartNew();
        void Log(string line) => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");
        var scale = quick ? 0.25 : 1.0;

        Console.WriteLine("# ModelDsl benchmarks");
        Console.WriteLine();
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();

        using var peak = new MatmulPeak();
        Log("training steps: GPT");
        var gpt = TrainingSuite.Gpt(peak, TimeSpan.FromSeconds(45 * scale), Log);
        Log("training steps: DCGAN");
        var dcgan = TrainingSuite.Dcgan(peak, TimeSpan.FromSeconds(60 * scale), Log);
        Log("GEMM ceiling");
        var (gemmSeconds, gemmFlops) = TrainingSuite.GptGemmCeiling();
        var gemmPeak = Stats.Median(Enumerable.Range(0, 10).Select(_ => peak.Sample()).ToArray());

        Console.WriteLine("## Training step: generated vs hand-written TorchSharp, and model FLOPs utilisation");
        Console.WriteLine();
        var training = new Table("Model", "Generated ms", "Hand-written ms", "Ratio (medians)", "Paired ratio [95% CI]", "Rounds", "GFLOP/step", "Matmul GFLOP/s", "MFU generated", "MFU hand-written");
        foreach (var r in new[] { gpt, dcgan })
        {
            var (low, high) = r.Steps.MedianRatioInterval;
            training.Add(r.Model, F(r.Steps.MedianA), F(r.Steps.MedianB), $"{r.Steps.MedianA / r.Steps.MedianB:F3}", $"{r.Steps.MedianRatio:F3} [{low:F3}, {high:F3}]",
                r.Steps.A.Length, $"{r.FlopsPerStep / 1e9:F2}", $"{r.PeakGflops:F0}", $"{r.MfuGenerated:P1}", $"{r.MfuHandWritten:P1}");
        }

        Console.WriteLine(training);
        Console.WriteLine($"Same models: GPT {gpt.Parity}. DCGAN {dcgan.Parity}.");
        Console.WriteLine();

        Console.WriteLine("### Where the GPT step's time goes (medians of 30 interleaved steps)");
        Console.WriteLine();
        var phases = new Table("Part of the step", "Generated ms", "Hand-written ms");
        var (pa, pb) = (gpt.GeneratedPhases!.Value, gpt.HandWrittenPhases!.Value);
        phases.Add("forward + cross-entropy", F(pa.Forward), F(pb.Forward));
        phases.Add("backward", F(pa.Backward), F(pb.Backward));
        phases.Add("AdamW step + zero_grad", F(pa.Optimizer), F(pb.Optimizer));
        phases.Add("total", F(pa.Forward + pa.Backward + pa.Optimizer), F(pb.Forward + pb.Backward + pb.Optimizer));
        phases.Add("the step's matmuls alone, at their shapes", F(gemmSeconds * 1000), F(gemmSeconds * 1000));
        Console.WriteLine(phases);
        Console.WriteLine($"The step's {gemmFlops / 1e9:F2} GFLOP of matrix products run at {gemmFlops / gemmSeconds / 1e9:F0} GFLOP/s at the model's own shapes "
            + $"({gemmFlops / gemmSeconds / 1e9 / gemmPeak:P0} of the {gemmPeak:F0} GFLOP/s 1024² peak measured just after): even a step that did nothing but its matmuls "
            + $"would reach MFU {Flops.GptPerStep(Training.GptConfig.NanoGptCpu, out _) / gemmSeconds / 1e9 / gemmPeak:P0}.");
        Console.WriteLine();

        Log("generation");
        var rounds = quick ? 1 : 3;
        var generation = new[] { GenerationSuite.NanoGptWindow(rounds), GenerationSuite.LongWindow(rounds) };
        Console.WriteLine("## Generation: 500 tokens, greedy (temperature 0), batch 1");
        Console.WriteLine();
        var gen = new Table("Model", "Generate (recompute) tok/s", "GenerateCached tok/s", "Speed-up", "Identical tokens");
        foreach (var g in generation)
            gen.Add(g.Setting, $"{g.TokensPerSecondRecompute:F0}", $"{g.TokensPerSecondCached:F0}", $"{g.TokensPerSecondCached / g.TokensPerSecondRecompute:F2}×", g.Identical ? "yes (asserted)" : $"NO, from token {g.FirstDifference}");
        Console.WriteLine(gen);

        Log("generator speed");
        var speed = GeneratorSpeedSuite.Run(repeats: quick ? 3 : 7);
        Console.WriteLine($"## Generator speed: {speed.Models} [Model] classes, {speed.GeneratedFiles} generated files, {speed.CompileErrors} compile errors");
        Console.WriteLine();
        var gs = new Table("Run", "Wall ms", "Steps (tracked run)");
        gs.Add("first run in the process (includes JIT of generator and Roslyn)", F(speed.FirstRunMs), "");
        gs.Add("cold: fresh driver, fresh compilation (median)", F(speed.ColdMs), "");
        gs.Add("incremental: edit in a file with no model (median)", F(speed.UnrelatedEditMs), speed.UnrelatedEditSteps);
        gs.Add("incremental: comment added to one model file (median)", F(speed.ModelCommentEditMs), speed.ModelCommentEditSteps);
        Console.WriteLine(gs);

        Log("done");
        Console.WriteLine($"Measured in {clock.Elapsed.TotalSeconds:F0} s; load average at the end {Machine.LoadAverage():F1} on {Environment.ProcessorCount} cores. Resident memory: run with --memory.");
        if (Machine.LoadAverage() > Environment.ProcessorCount)
        {
            Console.WriteLine();
            Console.WriteLine($"Note: the machine was busy (load average above its {Environment.ProcessorCount} cores): absolute times, tokens/s and the matmul peak are depressed and noisy. "
                + "The generated/hand-written ratios stay meaningful (interleaved rounds), and MFU is measured against a peak sampled in the same rounds.");
        }
        var failed = speed.CompileErrors > 0 || generation.Any(g => !g.Identical);
        return failed ? 1 : 0;
    }

    private static string F(double ms) => ms >= 100 ? ms.ToString("F1", CultureInfo.InvariantCulture) : ms.ToString("F2", CultureInfo.InvariantCulture);
}

/// <summary>Inference of exported models: ONNX Runtime against TorchSharp's eval forward, interleaved in one run.</summary>
internal static class OnnxCommand
{
    public static int Run(bool quick)
    {
        var clock = Stopwatch.StartNew();
        void Log(string line) => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");
        var budget = TimeSpan.FromSeconds(quick ? 5 : 20);
        Console.WriteLine("# ModelDsl benchmarks: ONNX Runtime inference");
        Console.WriteLine();
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();
        var runs = new[]
        {
            Measure(Log, "GPT batch 1", () => OnnxInferenceSuite.Gpt(1, budget)),
            Measure(Log, "GPT batch 12", () => OnnxInferenceSuite.Gpt(12, budget)),
            Measure(Log, "DCGAN generator batch 1", () => OnnxInferenceSuite.DcganGenerator(1, budget)),
            Measure(Log, "DCGAN generator batch 64", () => OnnxInferenceSuite.DcganGenerator(64, budget)),
        };
        var table = new Table("Model", "Input", "TorchSharp ms", "ONNX Runtime ms", "Ratio ORT/TorchSharp (medians)", "Paired ratio [95% CI]", "Rounds", "Largest difference");
        foreach (var r in runs)
        {
            var (low, high) = r.Timings.MedianRatioInterval;
            // Per-round ratios are TorchSharp/ORT; invert them so that below 1 means ONNX Runtime is faster.
            table.Add(r.Model, r.Input, F(r.Timings.MedianA), F(r.Timings.MedianB), $"{r.Ratio:F3}", $"{1 / r.Timings.MedianRatio:F3} [{1 / high:F3}, {1 / low:F3}]",
                r.Timings.A.Length, $"{r.LargestDifference:G2}");
        }

        Console.WriteLine(table);
        Console.WriteLine($"Both on {Machine.TorchThreads} threads; TorchSharp under no_grad in a dispose scope, ONNX Runtime through ModelDsl.Inference.OnnxModel (inputs checked, output copied to an array). Measured in {clock.Elapsed.TotalSeconds:F0} s; load average at the end {Machine.LoadAverage():F1} on {Environment.ProcessorCount} cores.");
        return 0;
    }

    private static InferenceComparison Measure(Action<string> log, string what, Func<InferenceComparison> run)
    {
        log(what);
        return run();
    }

    private static string F(double ms) => ms >= 100 ? ms.ToString("F1", CultureInfo.InvariantCulture) : ms.ToString("F2", CultureInfo.InvariantCulture);
}

/// <summary>Resident memory over long training runs of the generated models.</summary>
internal static class MemoryCommand
{
    public static int Run()
    {
        var clock = Stopwatch.StartNew();
        void Log(string line) => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");
        Console.WriteLine("# ModelDsl benchmarks: resident memory");
        Console.WriteLine();
        Console.WriteLine(Machine.Describe());
        Console.WriteLine();
        var runs = new[] { MemorySuite.Gpt(Log), MemorySuite.Dcgan(Log) };
        var table = new Table("Model", "RSS MiB at steps", "Growth", "Limit", "Result");
        foreach (var run in runs)
        {
            table.Add(run.Model, string.Join(", ", run.Samples.Select(s => $"{s.Step}: {s.MiB:F1}")),
                $"{run.GrowthPercent:+0.00;-0.00}% (step {run.BaselineStep} → {run.Samples[^1].Step})", $"≤ {run.LimitPercent:F0}%", run.Passed ? "pass" : "FAIL");
        }

        Console.WriteLine(table);
        Console.WriteLine($"Measured in {clock.Elapsed.TotalSeconds:F0} s.");
        return runs.All(r => r.Passed) ? 0 : 1;
    }
}
