using System;

namespace ModelDsl.Onnx;

/// <summary>
/// The pieces both attention layers lower to, as <c>scaled_dot_product_attention</c> computes them in evaluation:
/// <c>softmax(q·kᵀ/√d, masked to −∞)·v</c> per head.
/// </summary>
internal static class OnnxAttention
{
    /// <summary><c>[B, L, E]</c> → <c>[B, heads, L, E / heads]</c>.</summary>
    public static OnnxValue SplitHeads(OnnxGraph graph, OnnxValue x, long heads, long headSize)
        => graph.Permute(graph.Node("Reshape", x, graph.Int64s(0, 0, heads, headSize)), 0, 2, 1, 3);

    /// <summary><c>[B, heads, T, E / heads]</c> → <c>[B, T, E]</c>.</summary>
    public static OnnxValue MergeHeads(OnnxGraph graph, OnnxValue y, long embed)
        => graph.Node("Reshape", graph.Permute(y, 0, 2, 1, 3), graph.Int64s(0, 0, embed));

    /// <summary>Attention weights over the keys and the weighted values; <paramref name="masked"/> is true where a query may not look.</summary>
    public static OnnxValue Attend(OnnxGraph graph, OnnxValue q, OnnxValue k, OnnxValue v, OnnxValue? masked, long headSize)
    {
        var scores = graph.Node("Mul", graph.Node("MatMul", q, graph.Permute(k, 0, 1, 3, 2)), graph.Scalar((float)(1.0 / Math.Sqrt(headSize))));
        if (masked is { } mask)
            scores = graph.Node("Where", mask, graph.Scalar(float.NegativeInfinity), scores);
        return graph.Node("MatMul", graph.Softmax(scores, -1), v);
    }

    /// <summary>
    /// <see cref="Layers.RotaryEmbedding.Apply"/> at offset 0 on <paramref name="x"/> <c>[B, heads, T, d]</c>: the pair of
    /// features <c>(2i, 2i + 1)</c> at position <c>t</c> turned by <c>t · θ^(−2i / d)</c>. The angles are computed in the
    /// graph in float64, from the same float64 frequencies, and cast to float32, as the runtime computes them.
    /// </summary>
    public static OnnxValue Rotary(OnnxGraph graph, OnnxValue x, OnnxDim time, long headSize, double theta)
    {
        var (cos, sin) = RotaryAngles(graph, time, headSize, theta);
        var pairs = graph.Node("Reshape", x, graph.Int64s(0, 0, 0, headSize / 2, 2));
        var even = graph.Select(pairs, -1, 0);
        var odd = graph.Select(pairs, -1, 1);
        var first = graph.Node("Sub", graph.Node("Mul", even, cos), graph.Node("Mul", odd, sin));
        var second = graph.Node("Add", graph.Node("Mul", even, sin), graph.Node("Mul", odd, cos));
        var rotated = graph.Concat(-1, graph.Unsqueeze(first, -1), graph.Unsqueeze(second, -1));
        return graph.Node("Reshape", rotated, graph.Int64s(0, 0, 0, headSize));
    }

    // cos and sin of the angles [T, d / 2], float32.
    private static (OnnxValue Cos, OnnxValue Sin) RotaryAngles(OnnxGraph graph, OnnxDim time, long headSize, double theta)
    {
        double[] frequencies;
        using (TorchSharp.torch.NewDisposeScope())
        {
            var computed = TorchSharp.torch.exp(TorchSharp.torch.arange(0, headSize, 2, dtype: TorchSharp.torch.ScalarType.Float64) * (-Math.Log(theta) / headSize));
            frequencies = computed.data<double>().ToArray();
        }

        var positions = graph.Node("Cast", new[] { Positions(graph, time) }, OnnxGraph.Attribute("to", (long)global::Onnx.TensorProto.Types.DataType.Double));
        var angles = graph.Node("Mul", graph.Unsqueeze(positions, 1), graph.Doubles("rotary_frequencies", frequencies, headSize / 2));
        OnnxValue Float(OnnxValue v) => graph.Node("Cast", new[] { v }, OnnxGraph.Attribute("to", (long)global::Onnx.TensorProto.Types.DataType.Float));
        return (Float(graph.Node("Cos", angles)), Float(graph.Node("Sin", angles)));
    }

    /// <summary><c>[queries, keys]</c>, true above the diagonal: key <c>j</c> comes after query <c>i</c>.</summary>
    public static OnnxValue CausalMask(OnnxGraph graph, OnnxDim queries, OnnxDim keys)
    {
        var rows = graph.Node("Unsqueeze", Positions(graph, queries), graph.Int64s(1));
        return graph.Node("Greater", Positions(graph, keys), rows);
    }

    // 0, 1, …, n − 1.
    private static OnnxValue Positions(OnnxGraph graph, OnnxDim count)
        => graph.Node("Range", graph.Int64Scalar(0), graph.Node("Squeeze", count.ToValue(graph), graph.Int64s(0)), graph.Int64Scalar(1));
}
