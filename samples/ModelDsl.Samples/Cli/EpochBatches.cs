using System;
using ModelDsl.Data;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Cli;

/// <summary>
/// Mini-batches addressed by the global step: step <c>s</c> is batch <c>s mod StepsPerEpoch</c> of epoch
/// <c>s / StepsPerEpoch</c>, whose order is a shuffle drawn from (seed, epoch). So a resumed run skips straight to
/// the batch the original would have drawn next.
/// </summary>
public sealed class EpochBatches
{
    private readonly ImageDataset _data;
    private readonly int _seed;
    private long _cachedEpoch = -1;
    private long[] _order = [];

    /// <summary>Batches of <paramref name="batchSize"/> images; with <paramref name="dropLast"/> a final partial batch is skipped.</summary>
    public EpochBatches(ImageDataset data, int batchSize, int seed, bool dropLast)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _data = data;
        _seed = seed;
        BatchSize = batchSize;
        StepsPerEpoch = dropLast ? data.Count / batchSize : (data.Count + batchSize - 1) / batchSize;
        if (StepsPerEpoch < 1)
            throw new ArgumentException($"The data set has {data.Count:N0} images, fewer than one batch of {batchSize}.");
    }

    /// <summary>Images per batch (the last one of an epoch may be smaller unless partial batches are dropped).</summary>
    public int BatchSize { get; }

    /// <summary>Batches per epoch.</summary>
    public long StepsPerEpoch { get; }

    /// <summary>The 0-based epoch of 0-based <paramref name="step"/>.</summary>
    public long EpochOf(long step) => step / StepsPerEpoch;

    /// <summary>True when <paramref name="step"/> is the last of its epoch.</summary>
    public bool EndsEpoch(long step) => (step + 1) % StepsPerEpoch == 0;

    /// <summary>The batch <c>(x, y)</c> of 0-based <paramref name="step"/>; the caller disposes both.</summary>
    public (Tensor X, Tensor Y) Get(long step)
    {
        var epoch = EpochOf(step);
        if (epoch != _cachedEpoch)
        {
            _order = Shuffle(_data.Count, StepSeeds.For(_seed, StepSeeds.Shuffle, epoch));
            _cachedEpoch = epoch;
        }
        var start = (int)(step % StepsPerEpoch) * BatchSize;
        var size = Math.Min(BatchSize, _order.Length - start);
        using var index = tensor(_order.AsSpan(start, size).ToArray());
        return (_data.Images.index_select(0, index), _data.Labels.index_select(0, index));
    }

    private static long[] Shuffle(int n, Random random)
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
