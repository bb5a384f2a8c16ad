using System;
using ModelDsl.Models.Transformers;
using ModelDsl.Runtime.Tests.Generated;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.ShapeChecks;

/// <summary>
/// Forward-time element-type and device checks: an argument of the right shape but the wrong kind of tensor gets a
/// <see cref="TensorArgumentException"/> that names the model, the argument, what was expected and how to fix it,
/// instead of an error from inside libtorch.
/// </summary>
public sealed class ArgumentTypeTests
{
    [Fact]
    public void IntegerValuesAreRejectedWithTheParameterType()
    {
        using var model = new FlatClassifier();
        using var x = zeros(2, 784, dtype: ScalarType.Int64);

        var e = Assert.Throws<TensorArgumentException>(() => model.Forward(x));

        Assert.Equal(("FlatClassifier", "x", "a Float32 tensor", "an Int64 tensor"), (e.Model, e.Argument, e.Expected, e.Actual));
        Assert.Contains("x.to(ScalarType.Float32)", e.Message);
    }

    [Fact]
    public void DoublePrecisionIntoASinglePrecisionModelIsRejected()
    {
        using var model = new FlatClassifier();
        using var x = zeros(2, 784, dtype: ScalarType.Float64);

        var e = Assert.Throws<TensorArgumentException>(() => model.Forward(x));

        Assert.Equal("FlatClassifier.Forward: argument 'x' must be a Float32 tensor like the model's parameters, but it is a Float64 tensor. " +
            "Convert it with x.to(ScalarType.Float32), or the model with model.to(ScalarType.Float64).", e.Message);
    }

    [Fact]
    public void AModelConvertedToDoubleAcceptsDoubleInputs()
    {
        using var model = new FlatClassifier();
        model.to(ScalarType.Float64);
        using var x = zeros(2, 784, dtype: ScalarType.Float64);

        using var y = model.Forward(x);

        Assert.Equal(ScalarType.Float64, y.dtype);
    }

    [Fact]
    public void FloatTokensAreRejectedByAnEmbeddingInput()
    {
        using var model = new Gpt(vocab: 11, blockSize: 8, layers: 1, heads: 2, embed: 8, dropout: 0);
        using var idx = zeros(2, 5);

        var e = Assert.Throws<TensorArgumentException>(() => model.Forward(idx));

        Assert.Equal(("Gpt", "idx", "a tensor of token indices (Int64 or Int32)", "a Float32 tensor"), (e.Model, e.Argument, e.Expected, e.Actual));
        using var indices = zeros(2, 5, dtype: ScalarType.Int32);
        using var logits = model.Forward(indices);
        Assert.Equal([2L, 5, 11], logits.shape);
    }

    [Fact]
    public void APaddingMaskMustBeBoolean()
    {
        using var model = new PaddedCrossAttention();
        using var target = randn(2, 3, 8);
        using var source = randn(2, 4, 8);
        using var padding = zeros(2, 4, dtype: ScalarType.Int64);

        var e = Assert.Throws<TensorArgumentException>(() => model.Forward(target, source, padding));

        Assert.Equal(("padding", "a Bool mask (true at padded positions)"), (e.Argument, e.Expected));
        Assert.Contains("padding == 0", e.Message);
        using var mask = zeros(2, 4, dtype: ScalarType.Bool);
        using var y = model.Forward(target, source, mask);
        Assert.Equal([2L, 3, 8], y.shape);
    }

    [Fact]
    public void AnArgumentOnAnotherDeviceIsRejected()
    {
        using var model = new FlatClassifier();
        // The meta device holds shapes without data: a tensor that is not on the model's device, on any machine.
        using var x = empty(2, 784, device: new Device(DeviceType.META));

        var e = Assert.Throws<TensorArgumentException>(() => model.Forward(x));

        Assert.Equal(("on cpu like the model's parameters", "on meta"), (e.Expected, e.Actual));
    }
}
