using System;

namespace ModelDsl.Onnx;

/// <summary>
/// An integer the graph needs, such as a reshape's target size: a constant when it follows from the hyperparameters,
/// else computed in the graph from the input's shape (a one-element int64 tensor) as the generated code writes its
/// expression, <c>T * 3</c> or <c>(H - 1) / 2 + 1</c>. Sizes are never negative, so division is the floor.
/// </summary>
public readonly struct OnnxDim
{
    private readonly OnnxGraph? _graph;
    private readonly OnnxValue _value;
    private readonly long _constant;

    private OnnxDim(long constant) => (_graph, _value, _constant) = (null, default, constant);

    internal OnnxDim(OnnxGraph graph, OnnxValue value) => (_graph, _value, _constant) = (graph, value, 0);

    /// <summary>Whether the size is known when the graph is built.</summary>
    public bool IsConstant => _graph is null;

    /// <summary>The constant's value; throws for a size computed in the graph.</summary>
    public long Constant => IsConstant ? _constant : throw new InvalidOperationException("the size is computed in the graph");

    /// <summary>A constant size.</summary>
    public static implicit operator OnnxDim(long value) => new(value);

    /// <summary>The size as a one-element int64 tensor of <paramref name="graph"/>.</summary>
    public OnnxValue ToValue(OnnxGraph graph) => _graph is null ? graph.Int64s(_constant) : _value;

    /// <inheritdoc cref="Add(OnnxDim, OnnxDim)"/>
    public static OnnxDim operator +(OnnxDim a, OnnxDim b) => Add(a, b);

    /// <inheritdoc cref="Subtract(OnnxDim, OnnxDim)"/>
    public static OnnxDim operator -(OnnxDim a, OnnxDim b) => Subtract(a, b);

    /// <inheritdoc cref="Multiply(OnnxDim, OnnxDim)"/>
    public static OnnxDim operator *(OnnxDim a, OnnxDim b) => Multiply(a, b);

    /// <inheritdoc cref="Divide(OnnxDim, OnnxDim)"/>
    public static OnnxDim operator /(OnnxDim a, OnnxDim b) => Divide(a, b);

    /// <summary>The sum.</summary>
    public static OnnxDim Add(OnnxDim a, OnnxDim b) => Combine(a, b, "Add", checked(a._constant + b._constant));

    /// <summary>The difference.</summary>
    public static OnnxDim Subtract(OnnxDim a, OnnxDim b) => Combine(a, b, "Sub", checked(a._constant - b._constant));

    /// <summary>The product.</summary>
    public static OnnxDim Multiply(OnnxDim a, OnnxDim b) => Combine(a, b, "Mul", checked(a._constant * b._constant));

    /// <summary>The quotient, rounded down (sizes are not negative).</summary>
    public static OnnxDim Divide(OnnxDim a, OnnxDim b)
        => Combine(a, b, "Div", a.IsConstant && b.IsConstant ? a._constant / b._constant : 0);

    /// <inheritdoc/>
    public override string ToString() => IsConstant ? _constant.ToString(System.Globalization.CultureInfo.InvariantCulture) : _value.Name;

    private static OnnxDim Combine(OnnxDim a, OnnxDim b, string op, long constant)
    {
        if (a.IsConstant && b.IsConstant)
            return new OnnxDim(constant);
        var graph = a._graph ?? b._graph!;
        return new OnnxDim(graph, graph.Node(op, a.ToValue(graph), b.ToValue(graph)));
    }
}
