using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Benchmarks.HandWritten;
using ModelDsl.Benchmarks.Measurement;
using ModelDsl.Benchmarks.Training;
using ModelDsl.Models.Transformers;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Suites;

/// <summary>What one side-by-side comparison of training steps measured.</summary>
internal sealed record TrainingComparison(
    string Model,
    PairedTimings Steps,
    double FlopsPerStep,
    double PeakGflops,
    string Parity,
    StepPhases? GeneratedPhases = null,
    StepPhases? HandWrittenPhases = null)
{
    public double MfuGenerated => FlopsPerStep / (Steps.MedianA / 1000.0) / (PeakGflops * 1e9);

    public double MfuHandWritten => FlopsPerStep / (Steps.MedianB / 1000.0) / (PeakGflops * 1e9);
}

/// <summary>
/// Deliverables 1 and 2: a training step of the generated model against the same model written by hand, run
/// interleaved (A B B A …) in one process, with the matmul peak sampled in the same time window for the MFU.
/// </summary>
internal static class TrainingSuite
{
    public static TrainingComparison Gpt(MatmulPeak peak, TimeSpan budget, Action<string> log)
    {
        var config = GptConfig.NanoGptCpu;
        manual_seed(1337);
        var generated = config.CreateGenerated();
        generated.InitializeLikeNanoGpt();
        var hand = config.CreateHandWritten();
        Parameters.Copy(generated, hand, HandWrittenGpt.GeneratedName);
        using var a = new GptTrainer("generated", generated, config);
        using var b = new GptTrainer("hand-written", hand, config);

        var (countA, countB) = (a.ParameterCount, b.ParameterCount);
        var (lossA, lossB) = (a.Loss(), b.Loss());
        var parity = $"params {countA:N0} (ParameterCount {generated.ParameterCount:N0}) vs {countB:N0}; same weights → loss {lossA:F6} vs {lossB:F6}";
        if (countA != countB || countA != generated.ParameterCount || Math.Abs(lossA - lossB) > 1e-4)
            throw new InvalidOperationException("The generated and hand-written GPT are not the same model: " + parity);
        log($"  GPT parity: {parity}");

        var flops = Flops.GptPerStep(config, out _);
        var before = peak.Samples.Count;
        var steps = Paired.Run(a.Step, b.Step, warmup: 10, rounds: 400, budget, minRounds: 30, afterRound: r =>
        {
            if (r % 5 == 0)
                peak.Sample();
        });
        var peakNow = Stats.Median(peak.Samples.Skip(before).ToArray());
        log($"  GPT: {steps.A.Length} rounds, generated {steps.MedianA:F2} ms, hand-written {steps.MedianB:F2} ms, matmul {peakNow:F0} GFLOP/s");

        // Where the time goes: forward (+ loss), backward, optimiser — interleaved as well.
        var phasesA = new List<StepPhases>();
        var phasesB = new List<StepPhases>();
        for (var i = 0; i < 30; i++)
        {
            if (i % 2 == 0)
            {
                phasesA.Add(a.StepTimed());
                phasesB.Add(b.StepTimed());
            }
            else
            {
                phasesB.Add(b.StepTimed());
                phasesA.Add(a.StepTimed());
            }
        }

        return new TrainingComparison("GPT (nanoGPT CPU config)", steps, flops, peakNow, parity, MedianPhases(phasesA), MedianPhases(phasesB));
    }

    public static TrainingComparison Dcgan(MatmulPeak peak, TimeSpan budget, Action<string> log)
    {
        manual_seed(1337);
        var generated = DcganConfig.CreateGenerated();
        var hand = DcganConfig.CreateHandWritten();
        Parameters.Copy(generated.Generator, hand.Generator);
        Parameters.Copy(generated.Discriminator, hand.Discriminator);
        var parity = DcganParity(generated, hand);
        log($"  DCGAN parity: {parity}");

        using var a = new DcganTrainer("generated", generated);
        using var b = new DcganTrainer("hand-written", hand);
        var flops = Flops.DcganPerStep(out _, out _);
        var before = peak.Samples.Count;
        var steps = Paired.Run(a.Step, b.Step, warmup: 3, rounds: 200, budget, minRounds: 12, afterRound: _ => peak.Sample());
        var peakNow = Stats.Median(peak.Samples.Skip(before).ToArray());
        log($"  DCGAN: {steps.A.Length} rounds, generated {steps.MedianA:F1} ms, hand-written {steps.MedianB:F1} ms, matmul {peakNow:F0} GFLOP/s");
        return new TrainingComparison("DCGAN (MNIST, G + D step)", steps, flops, peakNow, parity);
    }

    // Same weights → same generator output (train mode: batch statistics) and same discriminator logits (eval: no dropout).
    private static string DcganParity(
        (nn.Module<Tensor, Tensor> Generator, nn.Module<Tensor, Tensor> Discriminator) a,
        (nn.Module<Tensor, Tensor> Generator, nn.Module<Tensor, Tensor> Discriminator) b)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var noise = randn(DcganConfig.Batch, DcganConfig.Noise);
        var (imagesA, imagesB) = (a.Generator.call(noise), b.Generator.call(noise));
        a.Discriminator.eval();
        b.Discriminator.eval();
        var (logitsA, logitsB) = (a.Discriminator.call(imagesA), b.Discriminator.call(imagesA));
        a.Discriminator.train();
        b.Discriminator.train();
        var imageDiff = (imagesA - imagesB).abs().max().item<float>();
        var logitDiff = (logitsA - logitsB).abs().max().item<float>();
        var (countA, countB) = (Parameters.Count(a.Generator) + Parameters.Count(a.Discriminator), Parameters.Count(b.Generator) + Parameters.Count(b.Discriminator));
        var text = $"params {countA:N0} vs {countB:N0}; same weights → max |ΔG(z)| {imageDiff:G2}, max |ΔD(x)| {logitDiff:G2}";
        if (countA != countB || imageDiff > 1e-5 || logitDiff > 1e-4)
            throw new InvalidOperationException("The generated and hand-written DCGAN are not the same model: " + text);
        return text;
    }

    private static StepPhases MedianPhases(IReadOnlyCollection<StepPhases> phases) => new(
        Stats.Median(phases.Select(p => p.Forward).ToArray()),
        Stats.Median(phases.Select(p => p.Backward).ToArray()),
        Stats.Median(phases.Select(p => p.Optimizer).ToArray()));

    /// <summary>
    /// The ceiling the matmuls alone set: the GPT step's matrix products timed at their own shapes, as GFLOP/s and as
    /// a fraction of the 1024² peak.
    /// </summary>
    public static (double Seconds, double Flops) GptGemmCeiling()
    {
        var gemms = Flops.GptGemms(GptConfig.NanoGptCpu);
        return (MatmulPeak.TimeGemms(gemms), Flops.Sum(gemms));
    }
}
