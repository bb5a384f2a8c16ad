using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Training;

/// <summary>One entry of a model's state: a parameter or persistent buffer name and its shape.</summary>
/// <param name="Name">The state-dict key, e.g. <c>0.weight</c>.</param>
/// <param name="Shape">The tensor's sizes.</param>
public sealed record TensorSignature(string Name, IReadOnlyList<long> Shape)
{
    /// <summary>Whether <paramref name="other"/> has the same sizes.</summary>
    public bool SameShape(TensorSignature other) => Shape.SequenceEqual(other.Shape);

    /// <summary>The shape as <c>[8, 4]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ShapeText}";
}
