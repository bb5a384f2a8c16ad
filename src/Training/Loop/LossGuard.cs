using System;
using TorchSharp;

namespace ModelDsl.Training;

/// <summary>Stops a run at the first non-finite loss, with the step, instead of training on garbage.</summary>
public static class LossGuard
{
    /// <summary>Reads a scalar loss tensor and returns its value.</summary>
    /// <exception cref="NonFiniteLossException">The loss is NaN or infinite.</exception>
    /// <exception cref="ArgumentException">The tensor is not a single value.</exception>
    public static double Check(torch.Tensor loss, long step)
    {
        if (loss.numel() != 1)
            throw new ArgumentException($"A loss must be a single value; got shape [{string.Join(", ", loss.shape)}].", nameof(loss));
        return Check(loss.ToDouble(), step);
    }

    /// <summary>Returns <paramref name="loss"/> when finite.</summary>
    /// <exception cref="NonFiniteLossException">The loss is NaN or infinite.</exception>
    public static double Check(double loss, long step) =>
        double.IsFinite(loss) ? loss : throw new NonFiniteLossException(step, loss);
}
