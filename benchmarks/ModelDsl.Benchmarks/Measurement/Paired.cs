using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace ModelDsl.Benchmarks.Measurement;

/// <summary>Timings of two alternatives measured side by side in one process.</summary>
/// <param name="A">Milliseconds per run of the first alternative.</param>
/// <param name="B">Milliseconds per run of the second alternative, measured in the same rounds.</param>
internal sealed record PairedTimings(double[] A, double[] B)
{
    public double MedianA => Stats.Median(A);

    public double MedianB => Stats.Median(B);

    /// <summary>Per-round ratios A/B: each compares two runs made moments apart, so slow drifts of the machine cancel.</summary>
    public double[] Ratios => A.Zip(B, (a, b) => a / b).ToArray();

    public double MedianRatio => Stats.Median(Ratios);

    /// <summary>A 95% confidence interval of the median per-round ratio (order-statistic interval, binomial normal approximation).</summary>
    public (double Low, double High) MedianRatioInterval
    {
        get
        {
            var sorted = Ratios.OrderBy(r => r).ToArray();
            var n = sorted.Length;
            var half = 1.96 * Math.Sqrt(n) / 2;
            var low = Math.Max(0, (int)Math.Floor((n / 2.0) - half));
            var high = Math.Min(n - 1, (int)Math.Ceiling((n / 2.0) + half));
            return (sorted[low], sorted[high]);
        }
    }
}

/// <summary>
/// Runs two alternatives interleaved, A B B A A B …, so that both see the same machine state (other processes,
/// frequency, caches) and neither always runs first.
/// </summary>
internal static class Paired
{
    /// <param name="a">One run of the first alternative.</param>
    /// <param name="b">One run of the second alternative.</param>
    /// <param name="warmup">Untimed runs of each before measuring.</param>
    /// <param name="rounds">Timed runs of each (at most).</param>
    /// <param name="budget">Stop after this much wall time once at least <paramref name="minRounds"/> rounds are in.</param>
    /// <param name="afterRound">Called after every round (untimed), e.g. to sample the matmul peak in the same time window.</param>
    public static PairedTimings Run(Action a, Action b, int warmup, int rounds, TimeSpan budget, int minRounds = 10, Action<int>? afterRound = null)
    {
        for (var i = 0; i < warmup; i++)
        {
            a();
            b();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var timesA = new List<double>(rounds);
        var timesB = new List<double>(rounds);
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                timesA.Add(Time(a));
                timesB.Add(Time(b));
            }
            else
            {
                timesB.Add(Time(b));
                timesA.Add(Time(a));
            }

            afterRound?.Invoke(round);
            if (round + 1 >= minRounds && clock.Elapsed > budget)
                break;
        }

        return new PairedTimings(timesA.ToArray(), timesB.ToArray());
    }

    /// <summary>Milliseconds one call of <paramref name="action"/> takes.</summary>
    public static double Time(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
