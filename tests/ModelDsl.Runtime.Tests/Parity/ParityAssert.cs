using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Parity;

/// <summary>
/// Compares a generated model with the same network written by hand: state-dict keys, outputs, parameter
/// gradients and buffers, in train and eval mode.
/// </summary>
internal static class ParityAssert
{
    public const double Tolerance = 1e-6;

    /// <summary>The state-dict keys in order.</summary>
    public static string[] Keys(nn.Module module) => module.state_dict().Keys.ToArray();

    /// <summary>Copies every parameter and buffer of <paramref name="from"/> into <paramref name="to"/>, strictly.</summary>
    public static void CopyWeights(nn.Module from, nn.Module to)
    {
        var (missing, unexpected) = to.load_state_dict(from.state_dict(), strict: true);
        Assert.Empty(missing);
        Assert.Empty(unexpected);
        AssertCopied(from, to);
    }

    private static void AssertCopied(nn.Module from, nn.Module to)
    {
        var target = to.state_dict();
        foreach (var (name, tensor) in from.state_dict())
        {
            Assert.True(target.TryGetValue(name, out var copy), $"{name} is missing after loading");
            Assert.True(tensor.equal(copy).all().item<bool>(), $"{name} was not copied");
        }
    }

    /// <summary>Sum of numel over the trainable parameters.</summary>
    public static long CountParameters(nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>
    /// Runs both models in train mode, then in eval mode, on the inputs <paramref name="inputs"/> returns, and
    /// asserts equal outputs, gradients (via a fixed random upstream gradient) and buffers.
    /// </summary>
    public static void SameOutputsAndGradients(
        nn.Module generated, Func<Tensor[], Tensor> runGenerated,
        nn.Module hand, Func<Tensor[], Tensor> runHand,
        Func<Tensor[]> inputs, long seed = 1234)
    {
        using var threads = Memory.TorchThreads.Single();
        foreach (var train in new[] { true, false })
        {
            generated.train(train);
            hand.train(train);
            generated.zero_grad();
            hand.zero_grad();
            using var scope = NewDisposeScope();

            random.manual_seed(seed);
            var x = inputs();
            // Same random stream for both forwards, so dropout draws the same masks when the ops match.
            random.manual_seed(seed + 2);
            var a = runGenerated(x);
            random.manual_seed(seed + 2);
            var b = runHand(x);
            var mode = train ? "train" : "eval";
            Assert.Equal(b.shape, a.shape);
            AssertClose(b, a, $"{mode} output");

            random.manual_seed(seed + 1);
            var upstream = randn_like(a);
            (a * upstream).sum().backward();
            (b * upstream).sum().backward();

            var handParameters = hand.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            var checkedCount = 0;
            foreach (var (name, parameter) in generated.named_parameters())
            {
                Assert.True(handParameters.ContainsKey(name), $"hand-written model has no parameter {name}");
                var ga = parameter.grad;
                var gb = handParameters[name].grad;
                Assert.True(ga is not null, $"{mode}: generated {name} has no gradient");
                Assert.True(gb is not null, $"{mode}: hand-written {name} has no gradient");
                AssertClose(gb!, ga!, $"{mode} gradient of {name}");
                // (In train mode a bias followed by BatchNorm legitimately gets a gradient of about zero.)
                if (!train)
                    Assert.True(ga!.abs().sum().item<float>() > 0, $"{mode}: gradient of {name} is all zero");
                checkedCount++;
            }

            Assert.Equal(handParameters.Count, checkedCount);

            // Train mode updates BatchNorm running statistics: they must move identically.
            var handState = hand.state_dict();
            foreach (var (name, buffer) in generated.named_buffers())
                AssertClose(handState[name], buffer, $"{mode} buffer {name}");
        }
    }

    public static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        if (expected.allclose(actual, rtol: 0, atol: Tolerance))
            return;
        var diff = (expected.to_type(ScalarType.Float64) - actual.to_type(ScalarType.Float64)).abs().max().item<double>();
        Assert.Fail($"{what}: max |difference| {diff:G3} > {Tolerance:G3}");
    }
}
