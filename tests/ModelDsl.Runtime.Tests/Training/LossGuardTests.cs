using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

public sealed class LossGuardTests
{
    [Fact]
    public void FiniteLossPassesThrough()
    {
        using var loss = tensor(1.5f);
        Assert.Equal(1.5, LossGuard.Check(loss, step: 10));
    }

    [Fact]
    public void NaNLossStopsWithTheStep()
    {
        using var loss = tensor(float.NaN);
        var e = Assert.Throws<NonFiniteLossException>(() => LossGuard.Check(loss, step: 1234));
        Assert.Equal(1234, e.Step);
        Assert.True(double.IsNaN(e.Value));
        Assert.StartsWith("The loss is NaN at step 1,234: training diverged.", e.Message);
    }

    [Fact]
    public void InfiniteLossStops()
    {
        using var loss = tensor(new[] { double.NegativeInfinity });
        var e = Assert.Throws<NonFiniteLossException>(() => LossGuard.Check(loss, step: 7));
        Assert.StartsWith("The loss is -Infinity at step 7", e.Message);
    }
}
