using System;

namespace ModelDsl.Training;

/// <summary>Training produced a NaN or infinite loss: continuing would only spread it through the weights.</summary>
public sealed class NonFiniteLossException : Exception
{
    /// <summary>Reports loss <paramref name="value"/> at <paramref name="step"/>.</summary>
    public NonFiniteLossException(long step, double value)
        : base(FormattableString.Invariant($"The loss is {Describe(value)} at step {step:N0}: training diverged. ") +
            "Try a lower learning rate, gradient clipping, or check the inputs for NaN/Inf; resume from the last checkpoint.")
    {
        Step = step;
        Value = value;
    }

    /// <summary>The step whose loss was not finite.</summary>
    public long Step { get; }

    /// <summary>The loss: NaN, +∞ or −∞.</summary>
    public double Value { get; }

    private static string Describe(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";
}
