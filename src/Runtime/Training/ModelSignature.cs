using System.Collections.Generic;
using System.Linq;
using TorchSharp;

namespace ModelDsl.Training;

/// <summary>A model's structure as a checkpoint records it: its state-dict entries in order, with shapes.</summary>
public static class ModelSignature
{
    /// <summary>The parameters and persistent buffers of <paramref name="model"/>, in state-dict order.</summary>
    public static IReadOnlyList<TensorSignature> Of(torch.nn.Module model) =>
        model.state_dict().Select(kv => new TensorSignature(kv.Key, kv.Value.shape)).ToList();

    /// <summary>
    /// How <paramref name="found"/> (a checkpoint) differs from <paramref name="expected"/> (a model): entries the
    /// model has and the checkpoint lacks, entries the checkpoint has and the model lacks, and shared entries whose
    /// shapes differ (as <c>name: model [..], checkpoint [..]</c>). All empty when they agree.
    /// </summary>
    public static (IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> WrongShape) Compare(
        IReadOnlyList<TensorSignature> expected, IReadOnlyList<TensorSignature> found)
    {
        var byName = found.ToDictionary(e => e.Name);
        var expectedNames = expected.Select(e => e.Name).ToHashSet();
        var missing = expected.Where(e => !byName.ContainsKey(e.Name)).Select(e => e.ToString()).ToList();
        var unexpected = found.Where(e => !expectedNames.Contains(e.Name)).Select(e => e.ToString()).ToList();
        var wrongShape = expected
            .Where(e => byName.TryGetValue(e.Name, out var f) && !e.SameShape(f))
            .Select(e => $"{e.Name}: model {e.ShapeText}, checkpoint {byName[e.Name].ShapeText}")
            .ToList();
        return (missing, unexpected, wrongShape);
    }
}
