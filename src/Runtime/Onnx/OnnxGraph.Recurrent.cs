using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

// nn.LSTM and nn.GRU with batch_first, as ONNX's LSTM and GRU operators, one node per layer.
public sealed partial class OnnxGraph
{
    /// <summary>
    /// <c>nn.LSTM</c> (batch first) from the state <paramref name="h0"/>, <paramref name="c0"/> (zeros when null), each
    /// <c>[layers · directions, B, hidden]</c>: the output <c>[B, T, directions · hidden]</c> and the final state.
    /// </summary>
    /// <remarks>
    /// One ONNX <c>LSTM</c> node per layer, both directions in it. The weights stay initializers named by their
    /// state-dict keys (<c>weight_ih_l0</c>, <c>bias_hh_l1_reverse</c>, …); the graph reorders their gate blocks from
    /// PyTorch's input, forget, cell, output to ONNX's input, output, forget, cell, which ONNX Runtime folds once.
    /// </remarks>
    public (OnnxValue Output, OnnxValue H, OnnxValue C) Lstm(OnnxValue x, LSTM module, string key, OnnxValue? h0 = null, OnnxValue? c0 = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (h0.HasValue != c0.HasValue)
            throw new ArgumentException("an LSTM's initial state is both h and c, or neither");
        using (Enter(key))
        {
            var outputs = Recurrent("LSTM", x, module, new long[] { 0, 3, 1, 2 }, h0, c0);
            return (outputs.Output, outputs.H, outputs.C!.Value);
        }
    }

    /// <summary>
    /// <c>nn.GRU</c> (batch first) from the state <paramref name="h0"/> (zeros when null),
    /// <c>[layers · directions, B, hidden]</c>: the output <c>[B, T, directions · hidden]</c> and the final state.
    /// </summary>
    /// <remarks>
    /// One ONNX <c>GRU</c> node per layer with <c>linear_before_reset</c> (PyTorch applies the reset gate after the
    /// hidden state's product); the gate blocks are reordered from PyTorch's reset, update, new to ONNX's update,
    /// reset, hidden in the graph, the weights staying initializers named by their state-dict keys.
    /// </remarks>
    public (OnnxValue Output, OnnxValue H) Gru(OnnxValue x, GRU module, string key, OnnxValue? h0 = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        using (Enter(key))
        {
            var outputs = Recurrent("GRU", x, module, new long[] { 1, 0, 2 }, h0, null);
            return (outputs.Output, outputs.H);
        }
    }

    private (OnnxValue Output, OnnxValue H, OnnxValue? C) Recurrent(string op, OnnxValue x, nn.Module module, long[] gateOrder, OnnxValue? h0, OnnxValue? c0)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.Item1, p => (Tensor)p.Item2, StringComparer.Ordinal);
        if (!parameters.TryGetValue("weight_hh_l0", out var firstRecurrent))
            throw new NotSupportedException($"{op} '{Scope}' has no weight_hh_l0; the exporter reads PyTorch's parameter layout");
        var gates = gateOrder.Length;
        var hidden = firstRecurrent.shape[1];
        if (firstRecurrent.shape[0] != gates * hidden)
            throw new NotSupportedException($"{op} '{Scope}' has weight_hh_l0 of [{string.Join(", ", firstRecurrent.shape)}], not [{gates} · hidden, hidden]; projections are not exported");
        var layers = 0;
        while (parameters.ContainsKey("weight_ih_l" + layers.ToString(CultureInfo.InvariantCulture)))
            layers++;
        var bidirectional = parameters.ContainsKey("weight_ih_l0_reverse");
        var suffixes = bidirectional ? new[] { "", "_reverse" } : new[] { "" };
        var directions = suffixes.Length;
        var bias = parameters.ContainsKey("bias_ih_l0");

        // [B, T, features] → [T, B, features], ONNX's default layout.
        var value = Permute(x, 1, 0, 2);
        var finalH = new List<OnnxValue>();
        var finalC = new List<OnnxValue>();
        for (var layer = 0; layer < layers; layer++)
        {
            var l = "_l" + layer.ToString(CultureInfo.InvariantCulture);
            OnnxValue Stacked(string name, long rows)
                => Concat(0, suffixes.Select(suffix => Unsqueeze(Reordered(Weight(name + l + suffix, parameters[name + l + suffix]), gateOrder, hidden, rows), 0)).ToArray());

            var w = Stacked("weight_ih", -1);
            var r = Stacked("weight_hh", -1);
            var b = bias
                ? Concat(0, suffixes.Select(suffix => Unsqueeze(Concat(0,
                    Reordered(Weight("bias_ih" + l + suffix, parameters["bias_ih" + l + suffix]), gateOrder, hidden, null),
                    Reordered(Weight("bias_hh" + l + suffix, parameters["bias_hh" + l + suffix]), gateOrder, hidden, null)), 0)).ToArray())
                : new OnnxValue("");

            // This layer's slice of the state, [directions, B, hidden].
            OnnxValue? State(OnnxValue? state) => state is { } s ? Node("Slice", s, Int64s(layer * directions), Int64s((layer + 1) * directions), Int64s(0)) : null;
            var inputs = new List<OnnxValue> { value, w, r, b, new(""), State(h0) ?? new OnnxValue("") };
            if (op == "LSTM")
                inputs.Add(State(c0) ?? new OnnxValue(""));
            while (inputs[^1].Name.Length == 0)
                inputs.RemoveAt(inputs.Count - 1);

            var attributes = new List<global::Onnx.AttributeProto>
            {
                Attribute("hidden_size", hidden),
                Attribute("direction", bidirectional ? "bidirectional" : "forward"),
            };
            if (op == "GRU")
                attributes.Add(Attribute("linear_before_reset", 1L));
            var outputs = NodeWithOutputs(op, op == "LSTM" ? 3 : 2, inputs.ToArray(), attributes.ToArray());
            finalH.Add(outputs[1]);
            if (op == "LSTM")
                finalC.Add(outputs[2]);
            // Y [T, directions, B, hidden] → [T, B, directions · hidden], the next layer's input.
            value = Node("Reshape", Permute(outputs[0], 0, 2, 1, 3), Int64s(0, 0, directions * hidden));
        }

        var output = Permute(value, 1, 0, 2);
        var h = layers == 1 ? finalH[0] : Concat(0, finalH.ToArray());
        OnnxValue? c = op == "LSTM" ? layers == 1 ? finalC[0] : Concat(0, finalC.ToArray()) : null;
        return (output, h, c);
    }

    // A weight [gates · hidden, columns] (or bias [gates · hidden]) with its gate blocks in ONNX's order.
    private OnnxValue Reordered(OnnxValue weight, long[] gateOrder, long hidden, long? columns)
    {
        var blocks = Node("Reshape", weight, columns is { } n ? Int64s(gateOrder.Length, hidden, n) : Int64s(gateOrder.Length, hidden));
        var reordered = Node("Gather", new[] { blocks, Int64s(gateOrder) }, Attribute("axis", 0L));
        return Node("Reshape", reordered, columns is { } m ? Int64s(gateOrder.Length * hidden, m) : Int64s(gateOrder.Length * hidden));
    }
}
