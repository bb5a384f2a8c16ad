using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Weights;

/// <summary>
/// Compares what a state dict offers with what a model holds: names, shapes and dtypes, then the values of tied
/// entries. Finds every difference at once, so that one exception can list them all before anything is copied.
/// </summary>
internal sealed class StateDictCheck
{
    private readonly IReadOnlyList<IReadOnlyList<string>> ties;
    private readonly string modelType;

    public StateDictCheck(nn.Module model)
    {
        Target = model.state_dict();
        ties = TiedEntries.Of(Target);
        modelType = model.GetType().Name;
    }

    /// <summary>The model's state dict: its tensors, to copy into.</summary>
    public Dictionary<string, Tensor> Target { get; }

    /// <summary>
    /// Throws a <see cref="StateDictMismatchException"/> unless <paramref name="found"/> has exactly the model's
    /// names, shapes and dtypes, and (when <paramref name="values"/> is given) the names of each tied tensor agree.
    /// </summary>
    /// <param name="found">The entries on offer.</param>
    /// <param name="sourceName">Starts the message: a file name, or another name for the state dict.</param>
    /// <param name="label">What the state dict is called in the entries: <c>file</c>, <c>state dict</c>.</param>
    /// <param name="values">The tensors on offer, to compare tied entries; null to skip that check.</param>
    /// <remarks>
    /// A tied tensor needs only one of its names: PyTorch's <c>safetensors.torch.save_model</c> keeps one name per
    /// tensor, and copying into any name fills them all.
    /// </remarks>
    public void ThrowIfMismatched(
        IReadOnlyList<TensorSignature> found, string sourceName, string label, IReadOnlyDictionary<string, Tensor>? values = null)
    {
        var offered = found.Select(f => f.Name).ToHashSet();
        var covered = ties
            .Where(group => group.Any(offered.Contains))
            .SelectMany(group => group.Where(name => !offered.Contains(name)))
            .ToHashSet();
        var expected = Target
            .Where(kv => !covered.Contains(kv.Key))
            .Select(kv => new TensorSignature(kv.Key, kv.Value.shape, kv.Value.dtype))
            .ToList();

        var (missing, unexpected, wrongShape) = ModelSignature.Compare(expected, found, label);
        var wrongDType = ModelSignature.CompareDTypes(expected, found, label);
        var conflicting = values is null ? [] : ConflictingTies(found, values, label);
        if (missing.Count + unexpected.Count + wrongShape.Count + wrongDType.Count + conflicting.Count > 0)
            throw new StateDictMismatchException(sourceName, modelType, missing, unexpected, wrongShape, wrongDType, conflicting);
    }

    // Groups of tied names offered more than once, each with the model's shape and dtype, whose values differ.
    private IReadOnlyList<string> ConflictingTies(IReadOnlyList<TensorSignature> found, IReadOnlyDictionary<string, Tensor> values, string label)
    {
        var fitting = found
            .Where(f => Target.TryGetValue(f.Name, out var t) && f.DType == t.dtype && f.Shape.SequenceEqual(t.shape))
            .Select(f => f.Name)
            .ToHashSet();
        var conflicts = new List<string>();
        foreach (var group in ties)
        {
            var offered = group.Where(values.ContainsKey).ToList();
            if (offered.Count < 2 || !offered.All(fitting.Contains))
                continue;
            if (offered.Skip(1).Any(name => !SameValues(values[offered[0]], values[name])))
                conflicts.Add($"{string.Join(" = ", offered)}: one tensor in the model, different values in the {label}");
        }
        return conflicts;
    }

    // Element-wise equality, with NaN equal to NaN.
    private static bool SameValues(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var other = b.to(a.device);
        var equal = a.eq(other);
        if (a.is_floating_point() || a.is_complex())
            equal = equal.logical_or(a.isnan().logical_and(other.isnan()));
        return equal.all().item<bool>();
    }
}
