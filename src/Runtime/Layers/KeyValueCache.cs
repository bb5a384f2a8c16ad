using System;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// The keys and values one attention layer has computed so far during incremental decoding, so that each new
/// token attends to the earlier ones without recomputing them. Set it on <see cref="CausalSelfAttention.Cache"/>;
/// each forward call then appends its keys and values at positions <see cref="Length"/>, <see cref="Length"/> + 1, ….
/// </summary>
/// <remarks>
/// Inference only (use it under <c>torch.no_grad()</c>): the keys and values are written in place into a buffer of
/// <see cref="Capacity"/> positions allocated on the first <see cref="Append"/>, outside every dispose scope, and
/// released by <see cref="Dispose"/>. <see cref="Reset"/> empties the cache and keeps the buffer. With learned
/// absolute position embeddings a cache cannot slide: once a sequence outgrows the model's context, reset it and
/// prefill the cropped context again.
/// </remarks>
public sealed class KeyValueCache : IDisposable
{
    private Tensor? _keys;
    private Tensor? _values;

    /// <summary>Creates an empty cache for up to <paramref name="capacity"/> positions.</summary>
    public KeyValueCache(long capacity)
    {
        if (capacity <= 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "must be positive");
        Capacity = capacity;
    }

    /// <summary>The most positions the cache holds.</summary>
    public long Capacity { get; }

    /// <summary>The number of positions cached so far.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Appends <paramref name="keys"/> and <paramref name="values"/> <c>[B, heads, T, headSize]</c> after the cached
    /// positions and returns all cached keys and values <c>[B, heads, Length, headSize]</c> (views of the buffer,
    /// valid until the next call). An empty cache adopts the batch, heads, head size, dtype and device of its first
    /// entries.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cache would exceed <see cref="Capacity"/>, or it holds entries
    /// of another batch, heads, head size, dtype or device.</exception>
    public (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values)
    {
        if (keys.dim() != 4 || !keys.shape.AsSpan().SequenceEqual(values.shape))
            throw new ArgumentException($"keys and values must both be [B, heads, T, headSize], not {ShapeMismatchException.Format(keys.shape)} and {ShapeMismatchException.Format(values.shape)}", nameof(keys));
        var time = keys.shape[2];
        if (Length + time > Capacity)
            throw new InvalidOperationException($"The key/value cache holds at most {Capacity} positions: cannot append {time} to {Length}. Reset it and prefill the cropped context.");

        if (_keys is not null && !Fits(_keys, keys))
        {
            if (Length != 0)
                throw new InvalidOperationException($"The key/value cache holds [{_keys.shape[0]}, {_keys.shape[1]}, {Length}, {_keys.shape[3]}] {_keys.dtype} on {_keys.device}; cannot append {ShapeMismatchException.Format(keys.shape)} {keys.dtype} on {keys.device}. Reset it first.");
            Release();
        }

        if (_keys is null || _values is null)
        {
            _keys = empty([keys.shape[0], keys.shape[1], Capacity, keys.shape[3]], dtype: keys.dtype, device: keys.device).DetachFromDisposeScope();
            _values = empty([keys.shape[0], keys.shape[1], Capacity, keys.shape[3]], dtype: values.dtype, device: values.device).DetachFromDisposeScope();
        }

        using (var keySlot = _keys.narrow(2, Length, time))
            keySlot.copy_(keys);
        using (var valueSlot = _values.narrow(2, Length, time))
            valueSlot.copy_(values);
        Length += time;
        return (_keys.narrow(2, 0, Length), _values.narrow(2, 0, Length));
    }

    /// <summary>Forgets every cached position (the buffer is kept for reuse).</summary>
    public void Reset() => Length = 0;

    /// <summary>Releases the buffer.</summary>
    public void Dispose() => Release();

    private void Release()
    {
        _keys?.Dispose();
        _values?.Dispose();
        (_keys, _values, Length) = (null, null, 0);
    }

    // The buffer takes new entries of the same batch, heads, head size, dtype and device.
    private static bool Fits(Tensor buffer, Tensor entry) =>
        buffer.shape[0] == entry.shape[0] && buffer.shape[1] == entry.shape[1] && buffer.shape[3] == entry.shape[3]
        && buffer.dtype == entry.dtype && buffer.device_type == entry.device_type && buffer.device_index == entry.device_index;
}
