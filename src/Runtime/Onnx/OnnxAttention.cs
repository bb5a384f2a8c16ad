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
