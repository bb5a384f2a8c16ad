using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Benchmarks.Measurement;

/// <summary>Order statistics of a sample (robust to the noise of a shared machine).</summary>
internal static class Stats
{
    /// <summary>The <paramref name="q"/>-quantile (0..1) with linear interpolation between order statistics.</summary>
    public static double Quantile(IReadOnlyCollection<double> values, double q)
    {
        if (values.Count == 0)
            throw new ArgumentException("no values", nameof(values));
        var sorted = values.OrderBy(v => v).ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    public static double Median(IReadOnlyCollection<double> values) => Quantile(values, 0.5);
}
