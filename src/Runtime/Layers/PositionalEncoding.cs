using System;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>The fixed sinusoidal position encodings of Vaswani et al. (2017), section 3.5.</summary>
public static class PositionalEncoding
{
    /// <summary>
    /// <c>PE[pos, 2i] = sin(pos / 10000^(2i/d))</c>, <c>PE[pos, 2i+1] = cos(pos / 10000^(2i/d))</c>, as a
    /// <c>[length, dim]</c> tensor on <paramref name="device"/>.
    /// </summary>
    public static Tensor Sinusoidal(long length, long dim, Device? device = null, ScalarType dtype = ScalarType.Float32)
        => Sinusoidal(0, length, dim, device, dtype);

    /// <summary>The encodings of positions <paramref name="start"/> … <paramref name="start"/> + <paramref name="length"/> − 1, for incremental decoding.</summary>
    public static Tensor Sinusoidal(long start, long length, long dim, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var position = arange(start, start + length, dtype: ScalarType.Float32).unsqueeze(1);
        var frequency = exp(arange(0, dim, 2, dtype: ScalarType.Float32) * (-Math.Log(10000.0) / dim));
        var angles = position * frequency;
        var encoding = zeros(length, dim, dtype: ScalarType.Float32);
        encoding[TensorIndex.Colon, TensorIndex.Slice(0, null, 2)] = sin(angles);
        encoding[TensorIndex.Colon, TensorIndex.Slice(1, null, 2)] = cos(angles[TensorIndex.Colon, TensorIndex.Slice(0, dim / 2)]);
        return scope.MoveToOuter(encoding.to(dtype, device ?? CPU));
    }
}
