using System;

namespace ModelDsl.Samples.Pnn;

/// <summary>Training settings of the <c>pnn</c> sample, shared by the progressive network and both baselines.</summary>
public sealed record PnnSettings
{
    /// <summary>Optimizer steps per column (and per task for the baselines).</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Steps between validation evaluations (learning curves, steps to threshold, growth).</summary>
    public int EvalEvery { get; init; } = 10;

    /// <summary>The validation accuracy whose first crossing "steps to threshold" reports.</summary>
    public double Threshold { get; init; } = 0.97;

    /// <summary>The run's seed.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Grow extra columns for a task whose validation accuracy plateaus (<see cref="ModelDsl.Progressive.PlateauGrowthPolicy"/>).</summary>
    public bool Grow { get; init; }

    /// <summary>With <see cref="Grow"/>: the validation accuracy at which a task's columns suffice.</summary>
    public double GrowTarget { get; init; } = 0.995;

    /// <summary>With <see cref="Grow"/>: evaluations without improvement that count as a plateau.</summary>
    public int GrowPatience { get; init; } = 5;

    /// <summary>With <see cref="Grow"/>: the most columns one task may get.</summary>
    public int MaxColumnsPerTask { get; init; } = 3;

    /// <summary>Throws on unusable settings.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 1, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (!(LearningRate > 0))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive");
        ArgumentOutOfRangeException.ThrowIfLessThan(EvalEvery, 1, nameof(EvalEvery));
        if (Threshold is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "must be in (0, 1]");
        if (GrowTarget is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(GrowTarget), GrowTarget, "must be in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfLessThan(GrowPatience, 1, nameof(GrowPatience));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxColumnsPerTask, 1, nameof(MaxColumnsPerTask));
    }
}
