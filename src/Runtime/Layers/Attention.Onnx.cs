using ModelDsl.Onnx;

namespace ModelDsl.Layers;

public sealed partial class Attention
{
    /// <summary>The evaluation graph of <see cref="forward"/>: four projections (with or without biases), rotary positions when asked, attention masked by key padding and causality.</summary>
    internal OnnxValue LowerOnnx(OnnxGraph graph, OnnxValue x, OnnxValue memory, OnnxValue? keyPadding)
    {
        var headSize = _embed / _heads;
        OnnxValue Project(TorchSharp.Modules.Linear projection, string name, OnnxValue input)
        {
            using (graph.Enter(name))
                return OnnxAttention.SplitHeads(graph, graph.Dense(input, projection), _heads, headSize);
        }

        var q = Project(query, nameof(query), x);
        var k = Project(key, nameof(key), memory);
        var v = Project(value, nameof(value), memory);
        if (_rotaryBase is { } theta)
        {
            q = OnnxAttention.Rotary(graph, q, graph.Dim(x, 1), headSize, theta);
            k = OnnxAttention.Rotary(graph, k, graph.Dim(memory, 1), headSize, theta);
        }

        // True where a query may not look: padded keys ([B, 1, 1, S]), keys after the query ([T, S]), or either.
        OnnxValue? masked = keyPadding is { } padding ? graph.Node("Unsqueeze", padding, graph.Int64s(1, 2)) : null;
        if (_causal)
        {
            var causal = OnnxAttention.CausalMask(graph, graph.Dim(x, 1), graph.Dim(memory, 1));
            masked = masked is { } m ? graph.Node("Or", m, causal) : causal;
        }

        var y = OnnxAttention.MergeHeads(graph, OnnxAttention.Attend(graph, q, k, v, masked, headSize), _embed);
        using (graph.Enter("out"))
            return graph.Dense(y, @out);
    }
}
