using System;
using ModelDsl.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Layers;

/// <summary>
/// <see cref="PositionalEncoding.Sinusoidal"/> against Vaswani et al. (2017) §3.5:
/// PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d)).
/// </summary>
public sealed class PositionalEncodingTests
{
    private static double Formula(long pos, long j, long dim)
    {
        var i = j / 2;
        var angle = pos / Math.Pow(10000.0, 2.0 * i / dim);
        return j % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle);
    }

    [Theory]
    [InlineData(50, 16)]
    [InlineData(64, 128)]
    [InlineData(10, 7)]
    public void MatchesTheFormula(long length, long dim)
    {
        using var table = PositionalEncoding.Sinusoidal(length, dim);
        Assert.Equal(new long[] { length, dim }, table.shape);
        Assert.Equal(ScalarType.Float32, table.dtype);
        var values = table.data<float>().ToArray();
        foreach (var pos in new long[] { 0, 1, 2, 7, length - 1 })
            for (var j = 0L; j < dim; j++)
                Assert.True(Math.Abs(values[pos * dim + j] - Formula(pos, j, dim)) < 2e-5,
                    $"PE[{pos}, {j}] = {values[pos * dim + j]}, formula {Formula(pos, j, dim)}");
    }

    [Fact]
    public void PositionZeroIsSinZeroCosZero()
    {
        using var table = PositionalEncoding.Sinusoidal(4, 8);
        Assert.Equal(new float[] { 0, 1, 0, 1, 0, 1, 0, 1 }, table[0].data<float>().ToArray());
    }

    [Fact]
    public void RespectsTheRequestedDtype()
    {
        using var table = PositionalEncoding.Sinusoidal(20, 6, dtype: ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, table.dtype);
        Assert.Equal(Formula(19, 3, 6), table[19, 3].item<double>(), 5);
    }

    [Fact]
    public void LeavesNoTensorsBehind()
    {
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        var before = statistics.ThreadTotalLiveCount;
        using (var table = PositionalEncoding.Sinusoidal(32, 16))
            Assert.Equal(before + 1, statistics.ThreadTotalLiveCount);
        Assert.Equal(before, statistics.ThreadTotalLiveCount);
    }
}
