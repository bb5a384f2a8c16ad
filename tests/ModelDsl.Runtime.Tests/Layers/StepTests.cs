using System;
using ModelDsl.Runtime.Tests.Generated;
using ModelDsl.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Layers;

/// <summary>
/// The shape steps, arithmetic between branches, several outputs and <c>[Call]</c> in libtorch: each generated model
/// against the same computation written with TorchSharp's own operations, on the model's weights.
/// </summary>
public sealed class StepTests : OneThreadTests
{
    [Fact]
    public void Axis_steps_move_the_dims_as_torch_does()
    {
        using var model = new AxisSteps();
        var x = randn(2, 5, 4);
        var expected = model.Fc.call(x).transpose(1, 2).unsqueeze(2).permute(0, 3, 1, 2).squeeze(-1);

        var y = model.Forward(x);

        Assert.Equal(new long[] { 2, 5, 6 }, y.shape);
        AssertEqual(expected, y);
    }

    [Fact]
    public void SwiGlu_multiplies_the_gate_into_the_up_projection()
    {
        using var model = new SwiGlu();
        var x = randn(2, 3, 8);
        var expected = model.W2.call(nn.functional.silu(model.W1.call(x)) * model.W3.call(x));

        AssertEqual(expected, model.Forward(x));
    }

    [Fact]
    public void Split_parts_are_taps_and_outputs()
    {
        using var model = new SplitHeads();
        var x = randn(2, 3);
        var projected = model.Project.call(x);
        var small = projected[.., ..4];
        var expected = (small + projected[.., 4..8]) * projected[.., 8..];

        var (combined, smallOut) = model.Forward(x);

        AssertEqual(expected, combined);
        AssertEqual(small, smallOut);
    }

    [Fact]
    public void Add_broadcasts_a_per_sample_bias_over_positions()
    {
        using var model = new BroadcastBias();
        var x = randn(2, 4, 3);
        var context = randn(2, 2);
        var expected = model.Tokens.call(x) + model.Bias.call(context).unsqueeze(1);

        AssertEqual(expected, model.Forward(x, context));
    }

    [Fact]
    public void Upsampling_and_global_pooling_match_torch()
    {
        using var model = new Resampling();
        var x = randn(2, 1, 5, 7);
        var nearest = nn.functional.interpolate(model.Nearest.call(x), scale_factor: [2.0, 2.0]);
        var bilinear = nn.functional.interpolate(model.Bilinear.call(x), scale_factor: [3.0, 3.0], mode: InterpolationMode.Bilinear, align_corners: false);

        var (nearestOut, bilinearOut, pooled) = model.Forward(x);

        Assert.Equal(new long[] { 2, 2, 10, 14 }, nearestOut.shape);
        Assert.Equal(new long[] { 2, 2, 15, 21 }, bilinearOut.shape);
        AssertEqual(nearest, nearestOut);
        AssertEqual(bilinear, bilinearOut);
        AssertEqual(bilinear.mean([2, 3]), pooled);
    }

    [Fact]
    public void Call_runs_the_method_with_the_value_and_its_taps()
    {
        using var model = new CallStep();
        var x = randn(3, 8);

        AssertEqual(model.Fc.call(x) * nn.functional.sigmoid(x), model.Forward(x));
    }

    [Fact]
    public void Call_result_that_breaks_its_contract_is_reported_at_the_step()
    {
        using var model = new BrokenCall();

        var error = Assert.Throws<ShapeMismatchException>(() => model.Forward(randn(2, 3)));

        Assert.Equal("BrokenCall: Forward: Twice returned shape [2, 8], but its contract declares [N, D]", error.Message);
    }

    private static void AssertEqual(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(allclose(expected, actual, rtol: 0, atol: 1e-6), $"largest difference {(expected - actual).abs().max().item<float>()}");
    }
}
