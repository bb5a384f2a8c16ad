using System.Collections.Generic;
using System.Linq;
using TorchSharp;

namespace ModelDsl.Weights;

/// <summary>A model's structure as checkpoints and weight files record it: its state-dict entries in order, with shapes.</summary>
public static class ModelSignature
{
    /// <summary>The parameters and persistent buffers of <paramref name="model"/>, in state-dict order, with their dtypes.</summary>
    public static IReadOnlyList<TensorSignature> Of(torch.nn.Module model) =>
        model.state_dict().Select(kv => new TensorSignature(kv.Key, kv.Value.shape, kv.Value.dtype)).ToList();

    /// <summary>
    /// How <paramref name="found"/> (a checkpoint) differs from <paramref name="expected"/> (a model): entries the
    /// model has and the checkpoint lacks, entries the checkpoint has and the model lacks, and shared entries whose
    /// shapes differ (as <c>name: model [..], checkpoint [..]</c>). All empty when they agree.
    /// </summary>
    /// <param name="expected">The model's entries.</param>
    /// <param name="found">The entries on offer.</param>
    /// <param name="foundLabel">What <paramref name="found"/> is called in the wrong-shape entries.</param>
    public static (IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> WrongShape) Compare(
        IReadOnlyList<TensorSignature> expected, IReadOnlyList<TensorSignature> found, string foundLabel = "checkpoint")
    {
        var byName = found.ToDictionary(e => e.Name);
        var expectedNames = expected.Select(e => e.Name).ToHashSet();
        var missing = expected.Where(e => !byName.ContainsKey(e.Name)).Select(e => e.ToString()).ToList();
        var unexpected = found.Where(e => !expectedNames.Contains(e.Name)).Select(e => e.ToString()).ToList();
        var wrongShape = expected
            .Where(e => byName.TryGetValue(e.Name, out var f) && !e.SameShape(f))
            .Select(e => $"{e.Name}: model {e.ShapeText}, {foundLabel} {byName[e.Name].ShapeText}")
            .ToList();
        return (missing, unexpected, wrongShape);
    }

    /// <summary>
    /// Shared entries whose dtypes differ, where both sides record one (as <c>name: model Float32, checkpoint Float64</c>).
    /// </summary>
    /// <param name="expected">The model's entries.</param>
    /// <param name="found">The entries on offer.</param>
    /// <param name="foundLabel">What <paramref name="found"/> is called in the entries.</param>
    public static IReadOnlyList<string> CompareDTypes(
        IReadOnlyList<TensorSignature> expected, IReadOnlyList<TensorSignature> found, string foundLabel = "checkpoint")
    {
        var byName = found.ToDictionary(e => e.Name);
        return expected
            .Where(e => byName.TryGetValue(e.Name, out var f) && e.OtherDType(f))
            .Select(e => $"{e.Name}: model {e.DType}, {foundLabel} {byName[e.Name].DType}")
            .ToList();
    }
}
