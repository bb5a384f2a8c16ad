using System;
using System.Globalization;
using System.Linq;

namespace ModelDsl.Inference;

/// <summary>The element types of an exported model's inputs and outputs.</summary>
public enum OnnxTensorType
{
    /// <summary>32-bit floating point.</summary>
    Float,

    /// <summary>64-bit integers (token indices).</summary>
    Int64,

    /// <summary>Booleans (masks).</summary>
    Bool,
}

/// <summary>A dense tensor in row-major order: an input to <see cref="OnnxModel.Run(OnnxInput[])"/> or one of its outputs.</summary>
public sealed class OnnxTensor
{
    private OnnxTensor(OnnxTensorType type, Array data, long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => checked(a * b));
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"a shape has no negative dims: [{string.Join(", ", shape)}]", nameof(shape));
        if (count != data.LongLength)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {count} elements but the data has {data.LongLength}", nameof(data));
        (Type, Data, Shape) = (type, data, shape);
    }

    /// <summary>The element type.</summary>
    public OnnxTensorType Type { get; }

    /// <summary>The dims.</summary>
    public long[] Shape { get; }

    /// <summary>The elements: a <c>float[]</c>, <c>long[]</c> or <c>bool[]</c> by <see cref="Type"/>.</summary>
    public Array Data { get; }

    /// <summary>A float32 tensor over <paramref name="data"/> (not copied).</summary>
    public static OnnxTensor Float(float[] data, params long[] shape) => new(OnnxTensorType.Float, data, shape);

    /// <summary>An int64 tensor over <paramref name="data"/> (not copied).</summary>
    public static OnnxTensor Int64(long[] data, params long[] shape) => new(OnnxTensorType.Int64, data, shape);

    /// <summary>A boolean tensor over <paramref name="data"/> (not copied).</summary>
    public static OnnxTensor Bool(bool[] data, params long[] shape) => new(OnnxTensorType.Bool, data, shape);

    /// <summary>The elements of a float32 tensor.</summary>
    public float[] Floats => Data as float[] ?? throw WrongType(OnnxTensorType.Float);

    /// <summary>The elements of an int64 tensor.</summary>
    public long[] Int64s => Data as long[] ?? throw WrongType(OnnxTensorType.Int64);

    /// <summary>The elements of a boolean tensor.</summary>
    public bool[] Bools => Data as bool[] ?? throw WrongType(OnnxTensorType.Bool);

    /// <summary>The shape as text: <c>[2, 64]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"{Type} {ShapeText}";

    private InvalidOperationException WrongType(OnnxTensorType wanted) => new($"the tensor holds {Type} elements, not {wanted}");
}

/// <summary>A named input of <see cref="OnnxModel.Run(OnnxInput[])"/>: the <c>Forward</c> argument's name and its value.</summary>
/// <param name="Name">The input's name in the model.</param>
/// <param name="Tensor">Its value.</param>
public readonly record struct OnnxInput(string Name, OnnxTensor Tensor);
