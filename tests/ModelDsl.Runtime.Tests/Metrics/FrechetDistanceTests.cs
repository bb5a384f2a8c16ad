using System;
using ModelDsl.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

public sealed class FrechetDistanceTests
{
    [Fact]
    public void SetWithItselfIsZero()
    {
        using var g = new Generator(1);
        using var features = randn([200, 16], generator: g);
        Assert.Equal(0, FrechetDistance.Compute(features, features), 8);
    }

    [Fact]
    public void DiagonalGaussiansMatchClosedForm()
    {
        double[] mean1 = [0, 1, -2], var1 = [1, 4, 0.25];
        double[] mean2 = [1, 1, 0], var2 = [9, 1, 0.25];
        // Point sets whose sample mean and unbiased covariance are exactly these.
        using var a = ExactSample(mean1, var1);
        using var b = ExactSample(mean2, var2);

        var expected = 0.0;
        for (var i = 0; i < 3; i++)
            expected += Math.Pow(mean1[i] - mean2[i], 2) + var1[i] + var2[i] - 2 * Math.Sqrt(var1[i] * var2[i]);
        Assert.Equal(expected, FrechetDistance.Compute(a, b), 10);
    }

    [Fact]
    public void NonCommutingCovariancesMatchTwoByTwoClosedForm()
    {
        // For 2×2 PSD M, Tr √M = √(Tr M + 2√det M); here M has the eigenvalues of Σ₁Σ₂.
        using var sigma1 = tensor(new double[] { 2, 1, 1, 2 }, [2, 2]);
        using var sigma2 = tensor(new double[] { 1, 0, 0, 3 }, [2, 2]);
        using var mu1 = tensor(new double[] { 0, 0 });
        using var mu2 = tensor(new double[] { 1, 2 });
        double traceProduct = 2 * 1 + 2 * 3, determinants = 3 * 3;
        var expected = 5 + (4 + 4) - 2 * Math.Sqrt(traceProduct + 2 * Math.Sqrt(determinants));

        Assert.Equal(expected, FrechetDistance.FromStatistics(mu1, sigma1, mu2, sigma2), 10);
    }

    [Fact]
    public void RejectsMismatchedWidths()
    {
        using var a = zeros(4, 3);
        using var b = zeros(4, 2);
        Assert.Throws<ArgumentException>(() => FrechetDistance.Compute(a, b));
    }

    // 2D points μ ± a·eᵢ: mean μ, unbiased variance 2a²/(2D − 1) on axis i, zero covariances.
    private static Tensor ExactSample(double[] mean, double[] variance)
    {
        var d = mean.Length;
        var rows = new double[2 * d * d];
        for (var i = 0; i < d; i++)
        {
            var offset = Math.Sqrt(variance[i] * (2 * d - 1) / 2);
            for (var j = 0; j < d; j++)
            {
                rows[(2 * i) * d + j] = mean[j] + (i == j ? offset : 0);
                rows[(2 * i + 1) * d + j] = mean[j] - (i == j ? offset : 0);
            }
        }
        return tensor(rows, [2 * d, d]);
    }
}
