using System;
using System.Globalization;
using System.IO;
using ModelDsl.Runtime.Tests.Generated;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Memory;

/// <summary>
/// Generated Forward disposes its intermediates, so a training loop with one dispose scope per step keeps the
/// number of live tensors flat and the process memory steady.
/// </summary>
public sealed class MemoryTests
{
    private static LifetimeStatistics Statistics => DisposeScopeManager.Statistics.TensorStatistics;

    /// <summary>Resident set size in bytes, from /proc/self/statm (Linux).</summary>
    private static long ResidentBytes()
    {
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Fact]
    public void AdamTrainingWithAScopePerStepHasFlatMemory()
    {
        using var threads = TorchThreads.Single();
        random.manual_seed(42);
        var model = new MemoryNet();
        model.train();
        var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        using var x = randn(32, 1, 8, 8);
        using var y = randint(0, 10, 32, dtype: ScalarType.Int64);

        // Tensor counts are exact from step 50 on (Adam's state exists after the first step). RSS is compared
        // from step 100, after the runtime's own one-off growth (tiered JIT, GC budgets, allocator arenas).
        const int steps = 400, countFrom = 50, rssFrom = 100;
        long liveAtStart = 0, totalAtStart = 0, residentAtStart = 0;
        float firstLoss = 0, lastLoss = 0;
        for (var step = 1; step <= steps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                var loss = nn.functional.nll_loss(model.call(x), y);
                loss.backward();
                optimizer.step();
                lastLoss = loss.item<float>();
                if (step == 1)
                    firstLoss = lastLoss;
            }

            if (step % countFrom == 0)
            {
                Settle();
                if (step == countFrom)
                    (liveAtStart, totalAtStart) = (Statistics.ThreadTotalLiveCount, Tensor.TotalCount);
                if (step == rssFrom)
                    residentAtStart = ResidentBytes();

                // Deterministic: the tensors created on this thread and not yet disposed are the same ones.
                Assert.True(liveAtStart == Statistics.ThreadTotalLiveCount, $"step {step}: {Statistics.ThreadTotalLiveCount} live tensors, {liveAtStart} at step {countFrom}");
                // Process-wide (finalizers of other tests' tensors can only lower it).
                Assert.True(Tensor.TotalCount <= totalAtStart, $"step {step}: {Tensor.TotalCount} tensors alive, {totalAtStart} at step {countFrom}");
            }
        }

        var resident = ResidentBytes();
        Assert.True(lastLoss < firstLoss * 0.5, $"training should fit the batch: loss {firstLoss} → {lastLoss}");
        var growth = (double)(resident - residentAtStart) / residentAtStart;
        Assert.True(growth <= 0.02, $"RSS grew {growth:P2} ({residentAtStart >> 20} MiB → {resident >> 20} MiB) between step {rssFrom} and {steps}");
    }

    [Fact]
    public void EveryStepCreatesAndDisposesTheSameTensors()
    {
        using var threads = TorchThreads.Single();
        random.manual_seed(43);
        var model = new MemoryNet();
        var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        using var x = randn(16, 1, 8, 8);
        using var y = randint(0, 10, 16, dtype: ScalarType.Int64);

        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.nll_loss(model.call(x), y).backward();
            optimizer.step();
        }

        for (var i = 0; i < 3; i++)
            Step();
        var created = Statistics.CreatedInScopeCount;
        var disposed = Statistics.DisposedInScopeCount;
        var live = Statistics.ThreadTotalLiveCount;
        Step();
        var createdPerStep = Statistics.CreatedInScopeCount - created;
        Assert.True(createdPerStep > 0);
        Assert.Equal(createdPerStep, Statistics.DisposedInScopeCount - disposed);
        Assert.Equal(live, Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void ForwardLeavesOnlyItsOutputAlive()
    {
        using var threads = TorchThreads.Single();
        // No scope around the call: the generated Forward's own scope must dispose every intermediate.
        random.manual_seed(44);
        using var x = randn(4, 1, 8, 8);
        using var z = randn(2, 100);
        using var seq = randn(2, 5, 8);
        var memoryNet = new MemoryNet();
        var decoder = new ParityDcganDecoder();
        var stack = new ParityStack(8, 2);
        foreach (var train in new[] { true, false })
        {
            memoryNet.train(train);
            decoder.train(train);
            stack.train(train);
            AssertOnlyOutputSurvives(() => memoryNet.call(x));
            AssertOnlyOutputSurvives(() => decoder.call(z));
            AssertOnlyOutputSurvives(() => stack.call(seq));
            using (no_grad())
                AssertOnlyOutputSurvives(() => stack.call(seq));
        }
    }

    private static void AssertOnlyOutputSurvives(Func<Tensor> forward)
    {
        var before = Statistics.ThreadTotalLiveCount;
        using (var output = forward())
            Assert.Equal(before + 1, Statistics.ThreadTotalLiveCount);
        Assert.Equal(before, Statistics.ThreadTotalLiveCount);
    }
}
