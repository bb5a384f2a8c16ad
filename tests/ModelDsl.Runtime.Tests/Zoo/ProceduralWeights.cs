using System.Text;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Zoo;

/// <summary>
/// Weights that interop/pytorch/zoo.py (<c>procedural_weight</c>) and this class compute bit for bit, for a model too
/// large to store (ResNet-18): integers hashed from the state-dict key and the index, times a power of two, so that no
/// rounding differs between Python and .NET.
/// </summary>
internal static class ProceduralWeights
{
    /// <summary>
    /// <c>u = ((i + 1)·2654435761 + fnv1a(key)) mod 2³²</c>, <c>v = ⌊u / 256⌋ − 2²³</c>, weight <c>v · 2^(1 − k − 23)</c>
    /// for the smallest <c>k</c> with <c>4^k ≥ fan_in</c>: uniform in about ±2/√fan_in, exact in float32.
    /// </summary>
    public static Tensor For(string key, long[] shape)
    {
        long count = 1;
        foreach (var d in shape)
            count *= d;
        var fanIn = count / shape[0];
        var k = 0;
        while (1L << (2 * k) < fanIn)
            k++;

        var seed = Fnv1a(key);
        var scale = System.Math.Pow(2, 1 - k - 23);
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            var u = (ulong)((i + 1) * 2654435761L + seed) % (1UL << 32);
            values[i] = (float)(((long)(u / 256) - (1L << 23)) * scale);
        }

        return tensor(values).reshape(shape);
    }

    private static long Fnv1a(string text)
    {
        uint hash = 0x811C9DC5;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = unchecked((hash ^ b) * 0x01000193);
        return hash;
    }
}
