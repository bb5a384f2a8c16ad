using System;

namespace ModelDsl.Samples.Cli;

/// <summary>
/// Reproducible random streams derived from (seed, stream, index) with SplitMix64, so that what a step draws is a
/// pure function of the run's seed and the step: a resumed run draws exactly what the original would have.
/// </summary>
public static class StepSeeds
{
    /// <summary>Stream of an epoch's shuffle (index: the epoch).</summary>
    public const ulong Shuffle = 0x5348_5546;

    /// <summary>Stream of a step's training batch (index: the step).</summary>
    public const ulong Batch = 0x4241_5443;

    /// <summary>Stream of evaluation batches (index: the step they are evaluated at).</summary>
    public const ulong Evaluation = 0x4556_414C;

    /// <summary>Stream of fixed sampling noise and generated text.</summary>
    public const ulong Sampling = 0x5341_4D50;

    /// <summary>A 32-bit seed for element <paramref name="index"/> of <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public static int Derive(int seed, ulong stream, long index = 0)
    {
        var x = Mix(Mix((ulong)(uint)seed ^ (stream << 32)) + (ulong)index);
        return (int)(x ^ (x >> 32));
    }

    /// <summary>A <see cref="Random"/> for element <paramref name="index"/> of <paramref name="stream"/>.</summary>
    public static Random For(int seed, ulong stream, long index = 0) => new(Derive(seed, stream, index));

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
