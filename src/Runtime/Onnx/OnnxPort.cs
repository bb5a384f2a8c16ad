using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelDsl.Onnx;

/// <summary>The element types of a graph's inputs and outputs.</summary>
public enum OnnxElementType
{
    /// <summary>32-bit floating point: values.</summary>
    Float,

    /// <summary>64-bit integers: token indices.</summary>
    Int64,

    /// <summary>Booleans: masks.</summary>
    Bool,
}

/// <summary>A dimension of a graph input or output: a size, or a symbolic name such as <c>B</c> (an ONNX <c>dim_param</c>).</summary>
public readonly record struct OnnxShapeDim
{
    private OnnxShapeDim(long? value, string? name) => (Value, Name) = (value, name);

    /// <summary>The size, when it is fixed.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, when it is not.</summary>
    public string? Name { get; }

    /// <summary>A fixed size.</summary>
    public static implicit operator OnnxShapeDim(long value) => new(value, null);

    /// <summary>A symbolic dim, any size at run time.</summary>
    public static implicit operator OnnxShapeDim(string name) => new(null, name);

    /// <inheritdoc/>
    public override string ToString() => Name ?? Value!.Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A graph input or output as the model declares it: name, element type and shape.</summary>
/// <param name="Name">The <c>Forward</c> argument's name, the returned tuple element's name, or <c>output</c>.</param>
/// <param name="Type">The element type.</param>
/// <param name="Dims">The shape, with symbolic dims by name.</param>
public sealed record OnnxPort(string Name, OnnxElementType Type, IReadOnlyList<OnnxShapeDim> Dims)
{
    /// <summary>A float32 tensor.</summary>
    public static OnnxPort Float(string name, params OnnxShapeDim[] dims) => new(name, OnnxElementType.Float, dims);

    /// <summary>An int64 tensor (token indices).</summary>
    public static OnnxPort Int64(string name, params OnnxShapeDim[] dims) => new(name, OnnxElementType.Int64, dims);

    /// <summary>A boolean tensor (a mask).</summary>
    public static OnnxPort Bool(string name, params OnnxShapeDim[] dims) => new(name, OnnxElementType.Bool, dims);

    /// <summary>The shape as the declaration writes it: <c>[B, T, 64]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Dims.Select(d => d.ToString())) + "]";
}
