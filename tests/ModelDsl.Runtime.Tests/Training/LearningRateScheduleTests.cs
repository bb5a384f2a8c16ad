using System;
using System.Linq;
using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

public sealed class LearningRateScheduleTests
{
    // nanoGPT's shakespeare_char config: 1e-3 → 1e-4, warmup 100, decay to 5000.
    private static readonly LearningRateSchedule Schedule = new(1e-3, 1e-4, warmupSteps: 100, decaySteps: 5000);

    [Fact]
    public void WarmsUpLinearly()
    {
        Assert.Equal(1e-3 / 101, Schedule.At(0), 15);
        Assert.Equal(1e-3 * 50 / 101, Schedule.At(49), 15);
        Assert.Equal(1e-3 * 100 / 101, Schedule.At(99), 15);
    }

    [Fact]
    public void DecaysByCosineToTheMinimumAndStays()
    {
        Assert.Equal(1e-3, Schedule.At(100), 15);
        Assert.Equal((1e-3 + 1e-4) / 2, Schedule.At(2550), 15);
        Assert.Equal(1e-4 + 0.5 * (1 + Math.Cos(Math.PI / 4)) * 9e-4, Schedule.At(100 + 4900 / 4), 15);
        Assert.Equal(1e-4, Schedule.At(5000), 15);
        Assert.Equal(1e-4, Schedule.At(1_000_000), 15);
        var decay = Enumerable.Range(100, 4901).Select(s => Schedule.At(s)).ToArray();
        Assert.True(decay.Zip(decay.Skip(1)).All(p => p.First >= p.Second));
    }

    [Fact]
    public void AppliesToEveryParamGroup()
    {
        using var layer = nn.Linear(2, 2);
        using var optimizer = optim.AdamW(layer.parameters(), lr: 1);
        var rate = Schedule.Apply(optimizer, 2550);
        Assert.Equal(rate, optimizer.ParamGroups.Single().LearningRate);
    }

    [Fact]
    public void RejectsInconsistentSettings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(1e-4, 1e-3, 10, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(1e-3, 1e-4, 100, 100));
    }
}
