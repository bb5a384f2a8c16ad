using System;
using System.Collections.Generic;
using ModelDsl.Samples.Cli;

namespace ModelDsl.Samples.Seq2Seq;

/// <summary>
/// Training batches and a held-out set for one task. The held-out examples come from their own seed stream and
/// are distinct; training examples come from a stream per step (<see cref="StepSeeds"/>) (so a resumed run sees the same batches) and skip
/// every held-out source, so the two never overlap.
/// </summary>
public sealed class Seq2SeqData
{
    private readonly HashSet<string> _heldOutKeys;

    /// <summary>Draws <paramref name="heldOutCount"/> held-out examples of <paramref name="task"/> from <paramref name="seed"/>.</summary>
    public Seq2SeqData(Seq2SeqTask task, int seed, int heldOutCount)
    {
        Task = task;
        Seed = seed;
        HeldOut = task.DistinctSamples(heldOutCount, StepSeeds.For(seed, StepSeeds.Evaluation));
        _heldOutKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var example in HeldOut)
            _heldOutKeys.Add(example.Key);
    }

    /// <summary>The task.</summary>
    public Seq2SeqTask Task { get; }

    /// <summary>The seed everything is drawn from.</summary>
    public int Seed { get; }

    /// <summary>The held-out examples, distinct and disjoint from all training examples.</summary>
    public IReadOnlyList<Seq2SeqExample> HeldOut { get; }

    /// <summary>True when <paramref name="example"/>'s source is held out.</summary>
    public bool IsHeldOut(Seq2SeqExample example) => _heldOutKeys.Contains(example.Key);

    /// <summary>The training examples of 0-based <paramref name="step"/>: a pure function of the seed and the step.</summary>
    public List<Seq2SeqExample> TrainingBatch(long step, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var random = StepSeeds.For(Seed, StepSeeds.Batch, step);
        var batch = new List<Seq2SeqExample>(batchSize);
        for (var draws = 0; batch.Count < batchSize; draws++)
        {
            if (draws > 1000 * batchSize)
                throw new InvalidOperationException($"The {Task} task has almost no sources outside the held-out set; use fewer held-out examples or longer sequences.");
            var example = Task.Sample(random);
            if (!_heldOutKeys.Contains(example.Key))
                batch.Add(example);
        }

        return batch;
    }
}
