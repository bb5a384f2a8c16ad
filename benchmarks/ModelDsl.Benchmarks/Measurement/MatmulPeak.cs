using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Measurement;

/// <summary>Dense fp32 matmul throughput of libtorch in this process: the denominator of model FLOPs utilisation.</summary>
internal sealed class MatmulPeak : IDisposable
{
    private readonly Tensor _a;
    private readonly Tensor _b;
    private readonly List<double> _samples = [];

    public MatmulPeak(long size = 1024)
    {
        Size = size;
        var generator = new TorchSharp.torch.Generator(seed: 42);
        _a = randn([size, size], generator: generator);
        _b = randn([size, size], generator: generator);
        for (var i = 0; i < 3; i++)
            mm(_a, _b).Dispose();
    }

    public long Size { get; }

    /// <summary>Every sample so far, in GFLOP/s.</summary>
    public IReadOnlyList<double> Samples => _samples;

    public double Median => Stats.Median(_samples);

    /// <summary>Times <paramref name="repeats"/> products of two Size×Size matrices; records and returns GFLOP/s.</summary>
    public double Sample(int repeats = 4)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < repeats; i++)
            mm(_a, _b).Dispose();
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var gflops = 2.0 * Size * Size * Size * repeats / seconds / 1e9;
        _samples.Add(gflops);
        return gflops;
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    /// <summary>
    /// Seconds libtorch takes for the given matrix products at their own shapes (each timed as the median of
    /// several runs): the time a step would take if it did nothing but its matmuls.
    /// </summary>
    public static double TimeGemms(IEnumerable<Gemm> gemms, int runs = 15)
    {
        var total = 0.0;
        foreach (var g in gemms)
        {
            using var scope = NewDisposeScope();
            var generator = new TorchSharp.torch.Generator(seed: 1);
            var a = randn([g.Count, g.M, g.K], generator: generator);
            var b = randn([g.Count, g.K, g.N], generator: generator);
            Tensor? a2 = g.Count == 1 ? a[0] : null, b2 = g.Count == 1 ? b[0] : null;
            void Once()
            {
                using var product = a2 is not null ? mm(a2, b2!) : bmm(a, b);
            }

            Once();
            var times = Enumerable.Range(0, runs).Select(_ => Paired.Time(Once)).ToArray();
            total += Stats.Median(times) / 1000.0;
        }

        return total;
    }
}
