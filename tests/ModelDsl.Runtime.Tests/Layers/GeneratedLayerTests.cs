using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Runtime.Tests.Generated;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Layers;

/// <summary>The position and attention layers as generated models use them.</summary>
public sealed class GeneratedLayerTests
{
    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void PositionalEmbeddingAndSinusoidalEncodingAreAdded()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(20);
        var model = new Positioned();
        using (no_grad())
        {
            model.Norm.weight!.normal_();
            model.Norm.bias!.normal_();
        }

        var x = randn(2, 5, 8);
        var expected = nn.functional.layer_norm(
            x + model.Positions.weight![TensorIndex.Slice(0, 5)] + PositionalEncoding.Sinusoidal(5, 8),
            [8], model.Norm.weight, model.Norm.bias);
        Assert.True(MaxDifference(expected, model.call(x)) < 1e-5);
        Assert.Equal(["positions.weight", "norm.weight", "norm.bias"], model.state_dict().Keys.ToArray());
        Assert.Equal(16 * 8 + 2 * 8, Positioned.ParameterCount);
    }

    [Fact]
    public void PositionalEmbeddingAcceptsUpToItsMaximumLength()
    {
        using var scope = NewDisposeScope();
        var model = new Positioned();
        Assert.Equal(new long[] { 1, 16, 8 }, model.call(randn(1, 16, 8)).shape);

        var tooLong = randn(1, 17, 8);
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        var created = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
        var e = Assert.Throws<ShapeMismatchException>(() => model.call(tooLong));
        Assert.Equal(created, statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount);
        Assert.Equal(nameof(Positioned), e.Model);
        Assert.Contains("16", e.Message);
        Assert.Contains("T = 17", e.Message);
    }

    private static Tensor Padding(params int[] lengths)
    {
        var source = lengths.Max() + 2;
        return arange(source).unsqueeze(0) >= tensor(lengths.Select(l => (long)l).ToArray()).unsqueeze(1);
    }

    [Fact]
    public void PaddedSourcePositionsAreInvisible()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(21);
        var model = new PaddedCrossAttention();
        model.eval();
        var target = randn(2, 3, 8);
        var padding = Padding(4, 2); // S = 6
        var source = randn(2, 6, 8);
        var changed = source.clone();
        changed[0, TensorIndex.Slice(4, null)] = randn(2, 8) * 50;
        changed[1, TensorIndex.Slice(2, null)] = randn(4, 8) * 50;

        var y = model.call(target, source, padding);
        Assert.Equal(new long[] { 2, 3, 8 }, y.shape);
        Assert.Equal(0.0, MaxDifference(y, model.call(target, changed, padding)), 6);
        Assert.True(MaxDifference(y, model.call(target, changed, zeros_like(padding))) > 1e-3, "without padding the change is visible");
    }

    [Fact]
    public void GeneratedCausalAttentionIgnoresLaterTargetTokens()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(22);
        var model = new PaddedCrossAttention();
        model.eval();
        var target = randn(2, 5, 8);
        var source = randn(2, 4, 8);
        var padding = zeros(2, 4, dtype: ScalarType.Bool);
        var changed = target.clone();
        changed[TensorIndex.Colon, TensorIndex.Slice(3, null)] = randn(2, 2, 8);

        var y = model.call(target, source, padding);
        var z = model.call(changed, source, padding);
        Assert.Equal(0.0, MaxDifference(y[TensorIndex.Colon, TensorIndex.Slice(0, 3)], z[TensorIndex.Colon, TensorIndex.Slice(0, 3)]), 6);
        Assert.True(MaxDifference(y[TensorIndex.Colon, TensorIndex.Slice(3, null)], z[TensorIndex.Colon, TensorIndex.Slice(3, null)]) > 1e-3);
    }

    [Fact]
    public void KeyPaddingMaskShapeIsChecked()
    {
        using var scope = NewDisposeScope();
        var model = new PaddedCrossAttention();
        var target = randn(2, 3, 8);
        var source = randn(2, 6, 8);
        var e = Assert.Throws<ShapeMismatchException>(() => model.call(target, source, zeros(2, 5, dtype: ScalarType.Bool)));
        Assert.Equal(("padding", "[B, S]", "[2, 5]"), (e.Argument, e.Expected, e.Actual));
        e = Assert.Throws<ShapeMismatchException>(() => model.call(target, randn(3, 6, 8), zeros(3, 6, dtype: ScalarType.Bool)));
        Assert.Equal(("source", "[B, S, 8]", "[3, 6, 8]"), (e.Argument, e.Expected, e.Actual));
    }
}
