using System;
using System.Runtime.InteropServices;
using ModelDsl.Runtime.Tests.Generated;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.ShapeChecks;

/// <summary>
/// Forward-time checks of the arguments and construction-time checks of the hyperparameters: a
/// <see cref="ShapeMismatchException"/> that names the model, the argument and both shapes, thrown before
/// anything reaches libtorch.
/// </summary>
public sealed class ShapeCheckTests
{
    /// <summary>Tensors created on this thread so far (in a dispose scope or not).</summary>
    private static long TensorsCreated()
    {
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        return statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
    }

    /// <summary>Runs <paramref name="action"/>, which must throw exactly <see cref="ShapeMismatchException"/> without creating a tensor.</summary>
    private static ShapeMismatchException ThrowsBeforeLibtorch(Action action)
    {
        var before = TensorsCreated();
        var exception = Record.Exception(action);
        Assert.NotNull(exception);
        Assert.IsNotAssignableFrom<ExternalException>(exception);
        var mismatch = Assert.IsType<ShapeMismatchException>(exception);
        Assert.Equal(before, TensorsCreated());
        return mismatch;
    }

    private static void AssertArgumentMismatch(ShapeMismatchException e, string model, string argument, string expected, string actual)
    {
        Assert.Equal(model, e.Model);
        Assert.Equal(argument, e.Argument);
        Assert.Equal(expected, e.Expected);
        Assert.Equal(actual, e.Actual);
        Assert.Contains(model, e.Message);
        Assert.Contains($"'{argument}'", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains(actual, e.Message);
        Assert.Null(e.InnerException);
    }

    // ---- Forward time -----------------------------------------------------------------------------------

    [Fact]
    public void WrongRank()
    {
        var model = new ParityMlp();
        using var x = randn(32, 784);
        var e = ThrowsBeforeLibtorch(() => model.call(x));
        AssertArgumentMismatch(e, nameof(ParityMlp), "x", "[B, 1, 28, 28]", "[32, 784]");
        Assert.Equal("ParityMlp.Forward: argument 'x' expected shape [B, 1, 28, 28] but got [32, 784]", e.Message);
    }

    [Fact]
    public void WrongRankHigher()
    {
        var model = new FlatClassifier();
        using var x = randn(2, 1, 784);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.call(x)), nameof(FlatClassifier), "x", "[B, 784]", "[2, 1, 784]");
    }

    [Fact]
    public void ScalarInput()
    {
        var model = new FlatClassifier();
        using var x = tensor(1f);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.call(x)), nameof(FlatClassifier), "x", "[B, 784]", "[]");
    }

    [Fact]
    public void WrongStaticDim()
    {
        var model = new FlatClassifier();
        using var x = randn(32, 780);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.call(x)), nameof(FlatClassifier), "x", "[B, 784]", "[32, 780]");
    }

    [Fact]
    public void WrongStaticChannelDim()
    {
        var model = new ParityCnn();
        using var x = randn(2, 3, 28, 28);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.call(x)), nameof(ParityCnn), "x", "[B, 1, 28, 28]", "[2, 3, 28, 28]");
    }

    [Fact]
    public void ForwardAlsoChecksWhenCalledDirectly()
    {
        // Forward (the typed entry point) and forward/call (TorchSharp's) share the prologue.
        var model = new FlatClassifier();
        using var x = randn(4, 783);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.Forward(x)), nameof(FlatClassifier), "x", "[B, 784]", "[4, 783]");
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.forward(x)), nameof(FlatClassifier), "x", "[B, 784]", "[4, 783]");
    }

    [Fact]
    public void InconsistentSymbolicDimAcrossInputs()
    {
        var model = new TwoInputs();
        using var a = randn(2, 4);
        using var b = randn(3, 6);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.call(a, b)), nameof(TwoInputs), "b", "[B, 6]", "[3, 6]");
    }

    [Fact]
    public void SecondInputWithWrongStaticDim()
    {
        var model = new TwoInputs();
        using var a = randn(2, 4);
        using var b = randn(2, 4);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.call(a, b)), nameof(TwoInputs), "b", "[B, 6]", "[2, 4]");
    }

    [Fact]
    public void FirstInputIsCheckedFirst()
    {
        var model = new TwoInputs();
        using var a = randn(2, 5);
        using var b = randn(3, 6);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.call(a, b)), nameof(TwoInputs), "a", "[B, 4]", "[2, 5]");
    }

    [Fact]
    public void SymbolicDimExpressionAcrossInputs()
    {
        var model = new DoubledSequence();
        using var a = randn(2, 3, 8);
        using var wrong = randn(2, 5, 8);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.call(a, wrong)), nameof(DoubledSequence), "b", "[B, 2 * T, 8]", "[2, 5, 8]");

        using var right = randn(2, 6, 8);
        using var output = model.call(a, right);
        Assert.Equal(new long[] { 2, 9, 8 }, output.shape);
    }

    [Fact]
    public void WrongHyperparameterDependentDim()
    {
        var model = new ParityBlock(embed: 8, hidden: 16, dropout: 0.0);
        using var x = randn(2, 3, 9);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => model.call(x)), nameof(ParityBlock), "x", "[B, T, embed]", "[2, 3, 9]");
    }

    [Fact]
    public void NestedModelIsCheckedAtTheOuterModel()
    {
        var stack = new ParityStack(embed: 8, layers: 2);
        using var x = randn(2, 3, 9);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => stack.call(x)), nameof(ParityStack), "x", "[B, T, embed]", "[2, 3, 9]");

        var encoderDecoder = new ParityEncoderDecoder();
        using var source = randn(2, 5, 16);
        using var target = randn(3, 4, 32);
        AssertArgumentMismatch(ThrowsBeforeLibtorch(() => encoderDecoder.call(source, target)), nameof(ParityEncoderDecoder), "target", "[B, T, 32]", "[3, 4, 32]");
    }

    [Fact]
    public void RightShapesPass()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 1, 10 }, new ParityMlp().call(randn(1, 1, 28, 28)).shape);
        Assert.Equal(new long[] { 5, 10 }, new FlatClassifier().call(randn(5, 784)).shape);
        Assert.Equal(new long[] { 3, 8 }, new TwoInputs().call(randn(3, 4), randn(3, 6)).shape);
        Assert.Equal(new long[] { 2, 7, 8 }, new ParityBlock(8, 16, 0.0).call(randn(2, 7, 8)).shape);
        Assert.Equal(new long[] { 2, 5, 12 }, new HeadsGuarded(12, 4).call(randn(2, 5, 12)).shape);
        Assert.Equal(new long[] { 2, 5, 12 }, new AttentionHeadsGuarded(12, 3).call(randn(2, 5, 12)).shape);
        Assert.Equal(new long[] { 2, 3, 4 }, new Unflatten(12, 3).call(randn(2, 16)).shape);
    }

    // ---- Construction time ------------------------------------------------------------------------------

    private static void AssertConstructionMismatch(ShapeMismatchException e, string model, params string[] mentions)
    {
        Assert.Equal(model, e.Model);
        Assert.Null(e.Argument);
        Assert.Null(e.Expected);
        Assert.Null(e.Actual);
        Assert.StartsWith(model + ": ", e.Message);
        foreach (var mention in mentions)
            Assert.Contains(mention, e.Message);
    }

    [Fact]
    public void CausalSelfAttentionHeadsMustDivideWidth()
    {
        var e = ThrowsBeforeLibtorch(() => _ = new HeadsGuarded(embed: 10, heads: 4));
        AssertConstructionMismatch(e, nameof(HeadsGuarded), "embed = 10", "heads = 4", "Attn");
    }

    [Fact]
    public void AttentionHeadsMustDivideWidth()
    {
        var e = ThrowsBeforeLibtorch(() => _ = new AttentionHeadsGuarded(embed: 10, heads: 4));
        AssertConstructionMismatch(e, nameof(AttentionHeadsGuarded), "embed = 10", "heads = 4", "Attn");
    }

    [Fact]
    public void HeadsMustBePositive()
    {
        var e = ThrowsBeforeLibtorch(() => _ = new HeadsGuarded(embed: 8, heads: 0));
        AssertConstructionMismatch(e, nameof(HeadsGuarded), "heads = 0");
    }

    [Fact]
    public void SizeHyperparameterMustBePositive()
    {
        AssertConstructionMismatch(ThrowsBeforeLibtorch(() => _ = new ParityBlock(embed: 0, hidden: 16, dropout: 0.0)), nameof(ParityBlock), "embed", "embed = 0");
        AssertConstructionMismatch(ThrowsBeforeLibtorch(() => _ = new ParityBlock(embed: 8, hidden: -1, dropout: 0.0)), nameof(ParityBlock), "hidden", "hidden = -1");
        AssertConstructionMismatch(ThrowsBeforeLibtorch(() => _ = new ParityStack(embed: 8, layers: 0)), nameof(ParityStack), "layers", "layers = 0");
    }

    [Theory]
    [InlineData(-8)]
    [InlineData(0)]
    public void WidthUsedOnlyInTheInputShapeMustBePositive(int embed)
    {
        // embed reaches the layers only through the declared input shape [B, T, embed]; it is a multiple of 4.
        var e = ThrowsBeforeLibtorch(() => _ = new HeadsGuarded(embed, heads: 4));
        AssertConstructionMismatch(e, nameof(HeadsGuarded), "hyperparameter embed must be positive", $"embed = {embed}");
    }

    [Fact]
    public void ReshapeMustKeepTheElementCount()
    {
        var e = ThrowsBeforeLibtorch(() => _ = new Unflatten(features: 12, rows: 4));
        AssertConstructionMismatch(e, nameof(Unflatten), "features = 12", "rows = 4", "Proj");
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    public void DropoutRateHyperparameterMustBeAProbability(double rate)
    {
        // A constant rate outside [0, 1] is a compile-time error; a hyperparameter rate is checked when constructed.
        var before = TensorsCreated();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ParityBlock(embed: 8, hidden: 16, dropout: rate));
        Assert.Equal(before, TensorsCreated());
        Assert.Equal("dropout", e.ParamName);
        Assert.Equal(rate, e.ActualValue);
        Assert.Contains("Up", e.Message);
    }

    // ---- Edge cases of valid shapes ----------------------------------------------------------------------

    [Fact]
    public void EmptyBatchThroughFlatten()
    {
        var model = new ParityMlp();
        model.eval();
        using var x = randn(0, 1, 28, 28);
        using var y = model.call(x);
        Assert.Equal(new long[] { 0, 10 }, y.shape);
    }

    [Fact]
    public void EmptyBatchThroughReshape()
    {
        var model = new Unflatten(12, 3);
        using var x = randn(0, 16);
        using var y = model.call(x);
        Assert.Equal(new long[] { 0, 3, 4 }, y.shape);
    }
}
