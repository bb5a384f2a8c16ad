using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Benchmarks.Measurement;
using ModelDsl.Benchmarks.Training;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Suites;

/// <summary>Resident memory of one long training run, sampled at a few steps.</summary>
internal sealed record MemoryRun(string Model, IReadOnlyList<(int Step, double MiB)> Samples, int BaselineStep, double LimitPercent)
{
    public double GrowthPercent
    {
        get
        {
            var baseline = Samples.Single(s => s.Step == BaselineStep).MiB;
            return (Samples[^1].MiB - baseline) / baseline * 100.0;
        }
    }

    public bool Passed => GrowthPercent <= LimitPercent;
}

/// <summary>
/// Deliverable 3: resident set size (<c>/proc/self/statm</c>) over 2,000 GPT and 500 DCGAN training steps of the
/// generated models; growth after warm-up must stay within 2%.
/// </summary>
internal static class MemorySuite
{
    public const double LimitPercent = 2.0;

    public static MemoryRun Gpt(Action<string> log, int steps = 2000)
    {
        manual_seed(1337);
        var config = GptConfig.NanoGptCpu;
        var model = config.CreateGenerated();
        model.InitializeLikeNanoGpt();
        using var trainer = new GptTrainer("generated", model, config);
        return Track("GPT (generated)", trainer.Step, steps, [200, 500, 1000, 2000], baseline: 200, log);
    }

    public static MemoryRun Dcgan(Action<string> log, int steps = 500)
    {
        manual_seed(1337);
        using var trainer = new DcganTrainer("generated", DcganConfig.CreateGenerated());
        return Track("DCGAN (generated)", trainer.Step, steps, [50, 100, 200, 500], baseline: 50, log);
    }

    private static MemoryRun Track(string model, Action step, int steps, int[] at, int baseline, Action<string> log)
    {
        var samples = new List<(int, double)>();
        log($"  {model}: RSS before training {ResidentMemory.MiB():F1} MiB");
        for (var i = 1; i <= steps; i++)
        {
            step();
            if (at.Contains(i))
            {
                var mib = ResidentMemory.MiB();
                samples.Add((i, mib));
                log($"  {model}: step {i,5}: RSS {mib:F1} MiB (managed heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB)");
            }
        }

        return new MemoryRun(model, samples, baseline, LimitPercent);
    }
}
