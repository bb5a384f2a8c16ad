using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Inference;

/// <summary>An input or output as the model file declares it: its name, element type and dims (a symbolic dim by name).</summary>
/// <param name="Name">The name, as the model's <c>Forward</c> declares it.</param>
/// <param name="Type">The element type.</param>
/// <param name="Dims">Each dim's size, or null for a symbolic one.</param>
/// <param name="SymbolicDims">Each symbolic dim's name (such as <c>B</c>), or "" for a fixed one.</param>
public sealed record OnnxPortInfo(string Name, OnnxTensorType Type, IReadOnlyList<long?> Dims, IReadOnlyList<string> SymbolicDims)
{
    /// <summary>The declared shape: <c>[B, T, 65]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Dims.Select((d, i) => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (SymbolicDims[i].Length > 0 ? SymbolicDims[i] : "?"))) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Type} {ShapeText}";
}
