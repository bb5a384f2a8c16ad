namespace ModelDsl.Samples.Harness;

/// <summary>
/// Random streams derived from (seed, stream, index) with SplitMix64, so that what a step draws is a function of
/// the run's seed and the step alone, and a resumed run draws what the uninterrupted one would have.
/// </summary>
public static class StepSeeds
{
    public const ulong Shuffle = 0x5348_5546;     // index: the epoch
    public const ulong Batch = 0x4241_5443;       // index: the step
    public const ulong Evaluation = 0x4556_414C;  // index: the evaluation batch
    public const ulong Sampling = 0x5341_4D50;    // fixed sampling noise, generated text

    public static int Derive(int seed, ulong stream, long index = 0)
    {
        var x = Mix(Mix((ulong)(uint)seed ^ (stream << 32)) + (ulong)index);
        return (int)(x ^ (x >> 32));
    }

    public static Random For(int seed, ulong stream, long index = 0) => new(Derive(seed, stream, index));

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
