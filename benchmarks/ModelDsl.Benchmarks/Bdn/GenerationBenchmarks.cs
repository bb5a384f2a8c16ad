using BenchmarkDotNet.Attributes;
using ModelDsl.Benchmarks.Measurement;
using ModelDsl.Models.Transformers;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Bdn;

/// <summary>Greedy sampling of 500 tokens: recomputing the context each token against the key/value cache.</summary>
[BenchmarkCategory("Generation")]
public class Generation
{
    private Gpt _model = null!;
    private Tensor _prompt = null!;

    /// <summary>64: nanoGPT's CPU window (the cache restarts each token once 500 tokens outgrow it); 512: everything fits.</summary>
    [Params(64, 512)]
    public int BlockSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Machine.ConfigureTorch();
        manual_seed(2024);
        _model = new Gpt(65, BlockSize, 4, 4, 128, 0.0);
        _prompt = randint(65, [1, BlockSize == 64 ? 1 : 12], dtype: ScalarType.Int64);
    }

    [Benchmark(Baseline = true)]
    public void Generate()
    {
        using var tokens = _model.Generate(_prompt, 500, temperature: 0);
    }

    [Benchmark]
    public void GenerateCached()
    {
        using var tokens = _model.GenerateCached(_prompt, 500, temperature: 0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _prompt.Dispose();
        _model.Dispose();
    }
}
