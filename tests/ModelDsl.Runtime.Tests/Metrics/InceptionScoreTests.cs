using System;
using ModelDsl.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Metrics;

public sealed class InceptionScoreTests
{
    [Fact]
    public void ConfidentUniformPredictionsScoreTheClassCount()
    {
        using var classes = arange(100).remainder(10);
        using var logits = nn.functional.one_hot(classes, 10).to_type(ScalarType.Float32) * 1000;
        var score = InceptionScore.Compute(logits, splits: 10);
        Assert.Equal(10, score.Mean, 9);
        Assert.Equal(0, score.StandardDeviation, 9);
    }

    [Fact]
    public void IdenticalPredictionsScoreOne()
    {
        using var g = new Generator(3);
        using var row = randn([1, 10], generator: g);
        using var logits = row.expand(50, 10);
        var score = InceptionScore.Compute(logits, splits: 5);
        Assert.Equal(1, score.Mean, 9);
    }

    [Fact]
    public void NegativeInfinityLogitsAreZeroProbabilityNotNaN()
    {
        using var logits = tensor(new[] { 0f, float.NegativeInfinity, float.NegativeInfinity, 0f }, [2, 2]);
        Assert.Equal(2, InceptionScore.Compute(logits, splits: 1).Mean, 9);
    }

    [Fact]
    public void RejectsMoreSplitsThanSamples()
    {
        using var logits = zeros(3, 10);
        Assert.Throws<ArgumentException>(() => InceptionScore.Compute(logits, splits: 10));
    }
}
