using System;
using System.Linq;
using ModelDsl.Progressive;
using Xunit;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>When a progressive network should grow a column (src/Runtime/Progressive/PlateauGrowthPolicy.cs).</summary>
public sealed class PlateauGrowthPolicyTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.01)]
    public void Rejects_a_target_outside_zero_to_one(double target)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlateauGrowthPolicy(target));
    }

    [Fact]
    public void Rejects_a_patience_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlateauGrowthPolicy(0.9, patience: 0));
    }

    [Fact]
    public void Keeps_its_settings()
    {
        var policy = new PlateauGrowthPolicy(0.95, patience: 4, minImprovement: 0.01);
        Assert.Equal(0.95, policy.Target);
        Assert.Equal(4, policy.Patience);
        Assert.Equal(0.01, policy.MinImprovement);
        Assert.Equal(3, new PlateauGrowthPolicy(1.0).Patience);
        Assert.Equal(0.002, new PlateauGrowthPolicy(1.0).MinImprovement);
    }

    [Fact]
    public void Never_grows_while_accuracy_keeps_improving()
    {
        var policy = new PlateauGrowthPolicy(0.99, patience: 2);
        Assert.All(Enumerable.Range(0, 20).Select(i => 0.5 + (0.01 * i)), a => Assert.False(policy.ShouldGrow(a)));
    }

    [Fact]
    public void Grows_after_patience_evaluations_without_improvement_below_the_target()
    {
        var policy = new PlateauGrowthPolicy(0.95, patience: 3);
        Assert.False(policy.ShouldGrow(0.80)); // best 0.80
        Assert.False(policy.ShouldGrow(0.80)); // stale 1
        Assert.False(policy.ShouldGrow(0.79)); // stale 2
        Assert.True(policy.ShouldGrow(0.80));  // stale 3: plateau below 0.95
    }

    [Fact]
    public void Gains_no_larger_than_min_improvement_count_as_a_plateau()
    {
        var policy = new PlateauGrowthPolicy(0.95, patience: 2, minImprovement: 0.01);
        Assert.False(policy.ShouldGrow(0.700));
        Assert.False(policy.ShouldGrow(0.705)); // +0.005 ≤ 0.01: stale 1
        Assert.True(policy.ShouldGrow(0.709));  // still within 0.01 of the best: stale 2
    }

    [Fact]
    public void Never_grows_once_the_target_is_reached()
    {
        var policy = new PlateauGrowthPolicy(0.9, patience: 1);
        Assert.False(policy.ShouldGrow(0.91));
        Assert.All(Enumerable.Repeat(0.5, 10), a => Assert.False(policy.ShouldGrow(a)));
    }

    [Fact]
    public void Forgets_its_history_after_asking_to_grow()
    {
        var policy = new PlateauGrowthPolicy(0.95, patience: 2);
        Assert.False(policy.ShouldGrow(0.9));
        Assert.False(policy.ShouldGrow(0.9));
        Assert.True(policy.ShouldGrow(0.9));

        // A new column starts from scratch: a lower accuracy is the new best, not a stale evaluation.
        Assert.False(policy.ShouldGrow(0.3));
        Assert.False(policy.ShouldGrow(0.3));
        Assert.True(policy.ShouldGrow(0.3));
    }

    [Fact]
    public void Reset_forgets_the_best_accuracy_and_the_stale_count()
    {
        var policy = new PlateauGrowthPolicy(0.95, patience: 2);
        Assert.False(policy.ShouldGrow(0.9));
        Assert.False(policy.ShouldGrow(0.8)); // stale 1
        policy.Reset();
        Assert.False(policy.ShouldGrow(0.5)); // new best after the reset
        Assert.False(policy.ShouldGrow(0.5)); // stale 1
        Assert.True(policy.ShouldGrow(0.5));  // stale 2
    }
}
