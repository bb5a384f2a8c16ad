using System;
using System.Globalization;
using TorchSharp;

namespace ModelDsl.Training;

/// <summary>
/// nanoGPT's <c>get_lr</c>: linear warmup to <see cref="MaxLearningRate"/> over <see cref="WarmupSteps"/>, cosine
/// decay to <see cref="MinLearningRate"/> at <see cref="DecaySteps"/>, then constant. A pure function of the step.
/// </summary>
public sealed record LearningRateSchedule
{
    /// <summary>Creates a schedule; <paramref name="decaySteps"/> counts from step 0 and must be past the warmup.</summary>
    public LearningRateSchedule(double maxLearningRate, double minLearningRate, long warmupSteps, long decaySteps)
    {
        if (!(maxLearningRate > 0) || !(minLearningRate >= 0) || minLearningRate > maxLearningRate)
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), string.Create(CultureInfo.InvariantCulture,
                $"Need 0 <= min <= max and max > 0; got min {minLearningRate}, max {maxLearningRate}."));
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (decaySteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, $"The decay must end after the warmup ({warmupSteps} steps).");
        MaxLearningRate = maxLearningRate;
        MinLearningRate = minLearningRate;
        WarmupSteps = warmupSteps;
        DecaySteps = decaySteps;
    }

    /// <summary>The peak rate, reached at the end of the warmup.</summary>
    public double MaxLearningRate { get; }

    /// <summary>The floor, reached at <see cref="DecaySteps"/> and kept after.</summary>
    public double MinLearningRate { get; }

    /// <summary>Steps of linear warmup.</summary>
    public long WarmupSteps { get; }

    /// <summary>The step where the cosine decay ends (nanoGPT's <c>lr_decay_iters</c>).</summary>
    public long DecaySteps { get; }

    /// <summary>The learning rate for 0-based <paramref name="step"/>.</summary>
    public double At(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        // (step + 1) / (warmup + 1): the first step already moves, as in current nanoGPT.
        if (step < WarmupSteps)
            return MaxLearningRate * (step + 1) / (WarmupSteps + 1);
        if (step > DecaySteps)
            return MinLearningRate;
        var ratio = (double)(step - WarmupSteps) / (DecaySteps - WarmupSteps);
        var coefficient = 0.5 * (1.0 + Math.Cos(Math.PI * ratio));
        return MinLearningRate + coefficient * (MaxLearningRate - MinLearningRate);
    }

    /// <summary>Sets every parameter group of <paramref name="optimizer"/> to the rate for <paramref name="step"/> and returns it.</summary>
    public double Apply(torch.optim.Optimizer optimizer, long step)
    {
        var rate = At(step);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = rate;
        return rate;
    }
}
