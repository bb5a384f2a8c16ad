using ModelDsl.Onnx;

namespace ModelDsl.Layers;

public sealed partial class CausalSelfAttention
{
    /// <summary>The evaluation graph of <see cref="forward"/> without a cache: fused projection, rotary positions when asked, causal attention, output projection.</summary>
    internal OnnxValue LowerOnnx(OnnxGraph graph, OnnxValue x)
    {
        var headSize = _embed / _heads;
        OnnxValue qkv;
        using (graph.Enter(nameof(c_attn)))
            qkv = graph.Dense(x, c_attn);
        // [B, T, 3·E] → [3, B, heads, T, headSize], then q, k and v.
        qkv = graph.Permute(graph.Node("Reshape", qkv, graph.Int64s(0, 0, 3, _heads, headSize)), 2, 0, 3, 1, 4);
        var (q, k, v) = (Part(0), Part(1), Part(2));
        OnnxValue Part(long index) => graph.Node("Gather", new[] { qkv, graph.Int64Scalar(index) }, OnnxGraph.Attribute("axis", 0L));

        var time = graph.Dim(x, 1);
        if (_rotaryBase is { } theta)
            (q, k) = (OnnxAttention.Rotary(graph, q, time, headSize, theta), OnnxAttention.Rotary(graph, k, time, headSize, theta));
        var y = OnnxAttention.Attend(graph, q, k, v, OnnxAttention.CausalMask(graph, time, time), headSize);
        y = OnnxAttention.MergeHeads(graph, y, _embed);
        using (graph.Enter(nameof(c_proj)))
            return graph.Dense(y, c_proj);
    }
}
