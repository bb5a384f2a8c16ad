using System;
using TorchSharp;

namespace ModelDsl.Training;

/// <summary>One seed for everything random in a run.</summary>
public static class Seeding
{
    /// <summary>
    /// Seeds libtorch's generators (CPU, and CUDA when present) and returns a <see cref="Random"/> from the same
    /// seed for the managed side (data order, batch offsets).
    /// </summary>
    public static Random Seed(int seed)
    {
        torch.random.manual_seed(seed);
        if (torch.cuda.is_available())
            torch.cuda.manual_seed_all(seed);
        return new Random(seed);
    }
}
