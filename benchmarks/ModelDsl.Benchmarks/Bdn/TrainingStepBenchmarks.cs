using BenchmarkDotNet.Attributes;
using ModelDsl.Benchmarks.HandWritten;
using ModelDsl.Benchmarks.Measurement;
using ModelDsl.Benchmarks.Training;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Bdn;

/// <summary>One GPT training step (nanoGPT CPU config, batch 12): the generated model against the hand-written baseline.</summary>
[BenchmarkCategory("Training")]
public class GptTrainingStep
{
    private GptTrainer _generated = null!;
    private GptTrainer _handWritten = null!;

    [GlobalSetup]
    public void Setup()
    {
        Machine.ConfigureTorch();
        manual_seed(1337);
        var config = GptConfig.NanoGptCpu;
        var generated = config.CreateGenerated();
        GptConfig.InitLikeNanoGpt(generated, config.Layers);
        var hand = config.CreateHandWritten();
        Parameters.Copy(generated, hand, HandWrittenGpt.GeneratedName);
        _generated = new GptTrainer("generated", generated, config);
        _handWritten = new GptTrainer("hand-written", hand, config);
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
}

/// <summary>One DCGAN training step (MNIST config, batch 64, G + D): the generated models against the hand-written baseline.</summary>
[BenchmarkCategory("Training")]
public class DcganTrainingStep
{
    private DcganTrainer _generated = null!;
    private DcganTrainer _handWritten = null!;

    [GlobalSetup]
    public void Setup()
    {
        Machine.ConfigureTorch();
        manual_seed(1337);
        var generated = DcganConfig.CreateGenerated();
        var hand = DcganConfig.CreateHandWritten();
        Parameters.Copy(generated.Generator, hand.Generator);
        Parameters.Copy(generated.Discriminator, hand.Discriminator);
        _generated = new DcganTrainer("generated", generated);
        _handWritten = new DcganTrainer("hand-written", hand);
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
