using System;

namespace ModelDsl.Data;

/// <summary>Seeded permutations from System.Random, so that data order does not depend on libtorch's RNG.</summary>
internal static class Permutation
{
    /// <summary>0 … n−1 in a Fisher–Yates order drawn from <paramref name="random"/>.</summary>
    public static long[] Shuffled(int n, Random random)
    {
        var order = new long[n];
        for (var i = 0; i < n; i++)
            order[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
