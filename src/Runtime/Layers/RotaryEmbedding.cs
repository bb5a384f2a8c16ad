using System;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Rotary position embedding (Su et al. 2021) in LLaMA's layout: the features of a head are taken in adjacent pairs
/// <c>(2i, 2i + 1)</c>, and the pair at position <c>t</c> is turned by the angle <c>t · θ^(−2i / d)</c>, so that the dot
/// product of a query and a key depends on their positions only through their distance.
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>The default base θ of the frequencies, as in Su et al. and LLaMA 1 and 2.</summary>
    public const double DefaultBase = 10000;

    /// <summary>
    /// Rotates <paramref name="x"/> <c>[…, T, d]</c> (queries or keys, one head per <c>d</c>) as positions
    /// <paramref name="offset"/> … <paramref name="offset"/> + T − 1.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The head size <c>d</c> is odd.</exception>
    public static Tensor Apply(Tensor x, long offset = 0, double theta = DefaultBase)
    {
        if (x.dim() < 2)
            throw new ShapeMismatchException(nameof(RotaryEmbedding), $"expects [..., T, headSize], not {ShapeMismatchException.Format(x.shape)}");
        var (time, size) = (x.shape[^2], x.shape[^1]);
        if (size % 2 != 0)
            throw new ShapeMismatchException(nameof(RotaryEmbedding), $"the head size ({size}) must be even");

        using var scope = NewDisposeScope();
        var (cos, sin) = Angles(time, size, offset, theta, x.dtype, x.device);
        // [..., T, d] → pairs [..., T, d/2, 2]: (a, b) ↦ (a·cos − b·sin, a·sin + b·cos).
        var pairs = x.unflatten(x.dim() - 1, [size / 2, 2]);
        var (even, odd) = (pairs.select(-1, 0), pairs.select(-1, 1));
        var rotated = stack([even * cos - odd * sin, even * sin + odd * cos], -1).flatten(-2);
        return scope.MoveToOuter(rotated);
    }

    // The angles are computed in float64 on the CPU (exact positions for long contexts) and then cast.
    private static (Tensor Cos, Tensor Sin) Angles(long time, long size, long offset, double theta, ScalarType dtype, Device device)
    {
        if (theta <= 1)
            throw new ArgumentOutOfRangeException(nameof(theta), theta, "the rotary base must exceed 1");
        var frequencies = exp(arange(0, size, 2, dtype: ScalarType.Float64) * (-Math.Log(theta) / size));
        var angles = outer(arange(offset, offset + time, dtype: ScalarType.Float64), frequencies);
        return (angles.cos().to(dtype, device), angles.sin().to(dtype, device));
    }
}
