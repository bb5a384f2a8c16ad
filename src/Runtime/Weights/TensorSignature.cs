using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Weights;

/// <summary>One entry of a model's state: a parameter or persistent buffer name, its shape and, where known, its dtype.</summary>
/// <param name="Name">The state-dict key, e.g. <c>0.weight</c>.</param>
/// <param name="Shape">The tensor's sizes.</param>
/// <param name="DType">The element type, or null where it is not recorded.</param>
public sealed record TensorSignature(string Name, IReadOnlyList<long> Shape, ScalarType? DType = null)
{
    /// <summary>Whether <paramref name="other"/> has the same sizes.</summary>
    public bool SameShape(TensorSignature other) => Shape.SequenceEqual(other.Shape);

    /// <summary>Whether both record a dtype and the two differ.</summary>
    public bool OtherDType(TensorSignature other) => DType is not null && other.DType is not null && DType != other.DType;

    /// <summary>The shape as <c>[8, 4]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <inheritdoc/>
    public override string ToString() => DType is null ? $"{Name} {ShapeText}" : $"{Name} {ShapeText} {DType}";
}
