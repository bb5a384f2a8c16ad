using System;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

// The DSL's layers: each reads its weights and geometry from the TorchSharp module the model holds, so the graph
// is the module as it is, under the member's state-dict key.
public sealed partial class OnnxGraph
{
    /// <summary><c>nn.Linear</c> over the last dim: <c>x·Wᵀ + b</c>.</summary>
    public OnnxValue Linear(OnnxValue x, Linear module, string key)
    {
        ArgumentNullException.ThrowIfNull(module);
        using (Enter(key))
            return Dense(x, module);
    }

    /// <summary><c>nn.Embedding</c>: rows of the table for int64 indices.</summary>
    public OnnxValue Embedding(OnnxValue indices, Embedding module, string key)
    {
        ArgumentNullException.ThrowIfNull(module);
        using (Enter(key))
            return Node("Gather", new[] { Weight("weight", module.weight!), indices }, Attribute("axis", 0L));
    }

    /// <summary>Learned positions: <c>x + table[0..T-1]</c> for <c>x</c> of shape <c>[B, T, E]</c>.</summary>
    public OnnxValue PositionalEmbedding(OnnxValue x, Embedding module, string key)
    {
        ArgumentNullException.ThrowIfNull(module);
        using (Enter(key))
        {
            var positions = Node("Slice", Weight("weight", module.weight!), Int64s(0), Dim(x, 1).ToValue(this), Int64s(0));
            return Node("Add", x, positions);
        }
    }

    /// <summary>
    /// Adds Vaswani et al.'s sinusoidal positions to <c>x</c> of shape <c>[B, T, width]</c>. The frequencies come from
    /// the same float32 computation as <c>PositionalEncoding.Sinusoidal</c>; the angles <c>t·ω</c> and their sines and
    /// cosines are computed in the graph, so any length works.
    /// </summary>
    public OnnxValue SinusoidalEncoding(OnnxValue x, long width)
    {
        float[] frequencies;
        using (NewDisposeScope())
            frequencies = exp(arange(0, width, 2, dtype: ScalarType.Float32) * (-Math.Log(10000.0) / width)).data<float>().ToArray();
        // Column j uses frequency j / 2: a sine at even j, a cosine at odd j.
        var perColumn = Enumerable.Range(0, (int)width).Select(j => frequencies[j / 2]).ToArray();
        var isSine = Enumerable.Range(0, (int)width).Select(j => j % 2 == 0).ToArray();

        var length = Node("Squeeze", Dim(x, 1).ToValue(this), Int64s(0));
        var time = Node("Cast", new[] { Node("Range", Int64Scalar(0), length, Int64Scalar(1)) }, Attribute("to", (long)global::Onnx.TensorProto.Types.DataType.Float));
        var angles = Node("Mul", Node("Unsqueeze", time, Int64s(1)), Floats("frequencies", perColumn, width));
        var encoding = Node("Where", Bools("sine_columns", isSine, width), Node("Sin", angles), Node("Cos", angles));
        return Node("Add", x, encoding);
    }

    /// <summary><c>nn.Conv1d</c> with its kernel, stride, padding, dilation and groups.</summary>
    public OnnxValue Conv1d(OnnxValue x, Conv1d module, string key) => Convolve(x, module, key);

    /// <summary><c>nn.Conv2d</c> with its kernel, stride, padding, dilation and groups.</summary>
    public OnnxValue Conv2d(OnnxValue x, Conv2d module, string key) => Convolve(x, module, key);

    /// <summary><c>nn.ConvTranspose2d</c> with its kernel, stride, padding, output padding, dilation and groups.</summary>
    public OnnxValue ConvTranspose2d(OnnxValue x, ConvTranspose2d module, string key)
    {
        ArgumentNullException.ThrowIfNull(module);
        RequireZeroPadding(module.padding_type, module.padding_mode, key);
        using (Enter(key))
        {
            var attributes = ConvolutionAttributes(module.kernel_size, module.stride, module.padding!, module.dilation, module.groups)
                .Append(Attribute("output_padding", module.output_padding)).ToArray();
            return Node("ConvTranspose", WeightAndBias(x, module.weight!, module.bias), attributes);
        }
    }

    /// <summary><c>BatchNorm1d</c>/<c>BatchNorm2d</c> in evaluation: normalised by the running statistics.</summary>
    public OnnxValue BatchNorm(OnnxValue x, BatchNorm module, string key)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module.running_mean is null || module.running_var is null)
            throw new NotSupportedException($"BatchNorm '{Scope}{key}' keeps no running statistics, so it has no evaluation form to export");
        using (Enter(key))
        {
            var features = module.num_features;
            var scale = module.weight is { } weight ? Weight("weight", weight) : Floats("ones", Enumerable.Repeat(1f, (int)features).ToArray(), features);
            var shift = module.bias is { } bias ? Weight("bias", bias) : Floats("zeros", new float[features], features);
            var inputs = new[] { x, scale, shift, Weight("running_mean", module.running_mean), Weight("running_var", module.running_var) };
            return Node("BatchNormalization", inputs, Attribute("epsilon", (float)module.eps));
        }
    }

    /// <summary>
    /// <c>nn.GroupNorm</c> over <c>[B, C, *]</c>: the value reshaped to <c>[B, groups, C / groups · …]</c> and normalised
    /// per group by <c>InstanceNormalization</c> (unit scale, zero shift), reshaped back, then scaled and shifted per
    /// channel as PyTorch's affine parameters are (opset 18's <c>GroupNormalization</c> scales per group until opset 21).
    /// </summary>
    public OnnxValue GroupNorm(OnnxValue x, GroupNorm module, string key, int rank)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (rank < 2)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, "GroupNorm normalises [B, C, *]");
        using (Enter(key))
        {
            var groups = module.num_groups;
            var grouped = Node("Reshape", x, Int64s(0, groups, -1));
            var normalised = Node("InstanceNormalization",
                new[] { grouped, Floats("ones", Enumerable.Repeat(1f, (int)groups).ToArray(), groups), Floats("zeros", new float[groups], groups) },
                Attribute("epsilon", (float)module.eps));
            var y = Node("Reshape", normalised, Node("Shape", x));
            if (module.weight is not { } weight)
                return y;
            // [C] → [C, 1, …] so that it broadcasts over the trailing dims of [B, C, *].
            var perChannel = Int64s(new[] { -1L }.Concat(Enumerable.Repeat(1L, rank - 2)).ToArray());
            y = Node("Mul", y, Node("Reshape", Weight("weight", weight), perChannel));
            return module.bias is { } bias ? Node("Add", y, Node("Reshape", Weight("bias", bias), perChannel)) : y;
        }
    }

    /// <summary><see cref="Layers.RMSNorm"/>: <c>x · 1/√(mean(x²) + eps) · weight</c> over the last dim.</summary>
    public OnnxValue RMSNorm(OnnxValue x, Layers.RMSNorm module, string key)
    {
        ArgumentNullException.ThrowIfNull(module);
        using (Enter(key))
        {
            var meanSquare = Mean(Node("Mul", x, x), -1, keepDim: true);
            var inverse = Node("Reciprocal", Node("Sqrt", Node("Add", meanSquare, Scalar((float)module.Eps))));
            return Node("Mul", Node("Mul", x, inverse), Weight("weight", module.Weight));
        }
    }

    /// <summary>
    /// Learned tokens <c>[1, count, E]</c> (a parameter named by <paramref name="key"/>) put in front of <c>x</c>
    /// <c>[B, T, E]</c>, expanded over the batch.
    /// </summary>
    public OnnxValue ClassToken(OnnxValue x, Tensor parameter, string key)
    {
        var batch = Concat(0, Dim(x, 0).ToValue(this), Int64s(1, 1));
        return Concat(1, Node("Expand", Weight(key, parameter), batch), x);
    }

    /// <summary>A learned parameter named by <paramref name="key"/> added to <c>x</c>, broadcast.</summary>
    public OnnxValue Learned(OnnxValue x, Tensor parameter, string key) => Node("Add", x, Weight(key, parameter));

    /// <summary><c>nn.LayerNorm</c> over its normalised trailing dims.</summary>
    public OnnxValue LayerNorm(OnnxValue x, LayerNorm module, string key)
    {
        ArgumentNullException.ThrowIfNull(module);
        using (Enter(key))
        {
            var axis = -(long)module.normalized_shape.Length;
            var scale = module.weight is { } weight ? Weight("weight", weight) : Floats("ones", Enumerable.Repeat(1f, (int)module.normalized_shape.Aggregate(1L, (a, b) => a * b)).ToArray(), module.normalized_shape);
            var inputs = module.bias is { } bias ? new[] { x, scale, Weight("bias", bias) } : new[] { x, scale };
            return Node("LayerNormalization", inputs, Attribute("axis", axis), Attribute("epsilon", (float)module.eps));
        }
    }

    /// <summary>GPT's causal self-attention (<see cref="Layers.CausalSelfAttention"/>).</summary>
    public OnnxValue CausalSelfAttention(OnnxValue x, Layers.CausalSelfAttention module, string key)
    {
        ArgumentNullException.ThrowIfNull(module);
        using (Enter(key))
            return module.LowerOnnx(this, x);
    }

    /// <summary>
    /// The Transformer's attention (<see cref="Layers.Attention"/>): queries from <paramref name="x"/>, keys and values
    /// from <paramref name="memory"/>, ignoring the keys <paramref name="keyPadding"/> marks when given.
    /// </summary>
    public OnnxValue Attention(OnnxValue x, OnnxValue memory, OnnxValue? keyPadding, Layers.Attention module, string key)
    {
        ArgumentNullException.ThrowIfNull(module);
        using (Enter(key))
            return module.LowerOnnx(this, x, memory, keyPadding);
    }

    /// <summary>A Linear in the current scope: <c>MatMul</c> with the transposed weight (folded once by ONNX Runtime), then the bias.</summary>
    internal OnnxValue Dense(OnnxValue x, Linear module)
    {
        var product = Node("MatMul", x, Permute(Weight("weight", module.weight!), 1, 0));
        return module.bias is { } bias ? Node("Add", product, Weight("bias", bias)) : product;
    }

    private OnnxValue Convolve(OnnxValue x, Convolution module, string key)
    {
        ArgumentNullException.ThrowIfNull(module);
        RequireZeroPadding(module.padding_type, module.padding_mode, key);
        using (Enter(key))
            return Node("Conv", WeightAndBias(x, module.weight!, module.bias), ConvolutionAttributes(module.kernel_size, module.stride, module.padding!, module.dilation, module.groups));
    }

    private OnnxValue[] WeightAndBias(OnnxValue x, Tensor weight, Tensor? bias)
        => bias is null ? new[] { x, Weight("weight", weight) } : new[] { x, Weight("weight", weight), Weight("bias", bias) };

    private static global::Onnx.AttributeProto[] ConvolutionAttributes(long[] kernel, long[] stride, long[] padding, long[] dilation, long groups)
        => new[]
        {
            Attribute("kernel_shape", kernel),
            Attribute("strides", stride),
            Attribute("pads", padding.Concat(padding)),
            Attribute("dilations", dilation),
            Attribute("group", groups),
        };

    private void RequireZeroPadding(TorchSharp.Padding? type, TorchSharp.PaddingModes mode, string key)
    {
        if (type is not null || mode != TorchSharp.PaddingModes.Zeros)
            throw new NotSupportedException($"convolution '{Scope}{key}' pads with {(type is null ? mode.ToString() : type.ToString())}; the exporter writes explicit zero padding only");
    }
}
