using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Layers;

/// <summary>Attention computed step by step from the weights, as the papers write it: the reference for the layers.</summary>
internal static class AttentionReference
{
    /// <summary>
    /// softmax(Q Kᵀ / √d + mask) V per head, heads concatenated, output projection. <paramref name="allowed"/> is
    /// [B, T, S] (true where query t may attend to key s) or null.
    /// </summary>
    public static Tensor MultiHead(Tensor q, Tensor k, Tensor v, long heads, Tensor? allowed, Tensor outWeight, Tensor outBias)
    {
        using var scope = NewDisposeScope();
        var (batch, time, embed) = (q.shape[0], q.shape[1], q.shape[2]);
        var source = k.shape[1];
        var size = embed / heads;
        Tensor Split(Tensor t, long length) => t.reshape(batch, length, heads, size).permute(0, 2, 1, 3); // [B, H, L, d]

        var scores = Split(q, time).matmul(Split(k, source).transpose(-2, -1)) / Math.Sqrt(size); // [B, H, T, S]
        if (allowed is not null)
            scores = scores.masked_fill(allowed.unsqueeze(1).logical_not(), double.NegativeInfinity);
        var weights = scores.softmax(-1);
        var y = weights.matmul(Split(v, source)).permute(0, 2, 1, 3).reshape(batch, time, embed);
        return scope.MoveToOuter(nn.functional.linear(y, outWeight, outBias));
    }

    /// <summary>[T, S] lower-triangular: query t sees keys 0..t.</summary>
    public static Tensor Causal(long time, long source) => ones(time, source, dtype: ScalarType.Bool).tril();

    public static Tensor Project(Tensor x, Linear layer) => nn.functional.linear(x, layer.weight!, layer.bias);
}
