using BenchmarkDotNet.Attributes;
using ModelDsl.Benchmarks.HandWritten;
using ModelDsl.Benchmarks.Measurement;
using ModelDsl.Benchmarks.Training;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Bdn;

/// <summary>
/// One training step of a generated model against the same model written by hand (the baseline, so BenchmarkDotNet's
/// Ratio column is generated/hand-written). Subclasses build the pair from the same weights.
/// </summary>
[BenchmarkCategory("Training")]
public abstract class PairedTrainingStep
{
    private ITrainingStep _generated = null!;
    private ITrainingStep _handWritten = null!;

    [GlobalSetup]
    public void Setup()
    {
        Machine.ConfigureTorch();
        manual_seed(1337);
        (_generated, _handWritten) = CreatePair();
    }

    [Benchmark(Baseline = true)]
    public void HandWritten() => _handWritten.Step();

    [Benchmark]
    public void Generated() => _generated.Step();

    [GlobalCleanup]
    public void Cleanup()
    {
        _generated.Dispose();
        _handWritten.Dispose();
    }

    private protected abstract (ITrainingStep Generated, ITrainingStep HandWritten) CreatePair();
}

/// <summary>One GPT training step (nanoGPT CPU config, batch 12).</summary>
public class GptTrainingStep : PairedTrainingStep
{
    private protected override (ITrainingStep Generated, ITrainingStep HandWritten) CreatePair()
    {
        var config = GptConfig.NanoGptCpu;
        var generated = config.CreateGenerated();
        generated.InitializeLikeNanoGpt();
        var hand = config.CreateHandWritten();
        Parameters.Copy(generated, hand, HandWrittenGpt.GeneratedName);
        return (new GptTrainer("generated", generated, config), new GptTrainer("hand-written", hand, config));
    }
}

/// <summary>One DCGAN training step (MNIST config, batch 64, G + D).</summary>
public class DcganTrainingStep : PairedTrainingStep
{
    private protected override (ITrainingStep Generated, ITrainingStep HandWritten) CreatePair()
    {
        var generated = DcganConfig.CreateGenerated();
        var hand = DcganConfig.CreateHandWritten();
        Parameters.Copy(generated.Generator, hand.Generator);
        Parameters.Copy(generated.Discriminator, hand.Discriminator);
        return (new DcganTrainer("generated", generated), new DcganTrainer("hand-written", hand));
    }
}

/// <summary>The denominator of MFU: one 1024×1024 fp32 matmul (2.15 GFLOP).</summary>
[BenchmarkCategory("Training")]
public class Matmul1024
{
    private MatmulPeak _peak = null!;

    [GlobalSetup]
    public void Setup()
    {
        Machine.ConfigureTorch();
        _peak = new MatmulPeak();
    }

    [Benchmark]
    public double Mm() => _peak.Sample(repeats: 1);

    [GlobalCleanup]
    public void Cleanup() => _peak.Dispose();
}
