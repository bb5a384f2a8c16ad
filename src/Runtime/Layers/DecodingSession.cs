using System;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Incremental decoding with a generated model: gives every causal self-attention layer of <c>model</c> (its own or its
/// nested blocks') a key/value cache for the session. Feed the context once with the generated
/// <c>ForwardAt(tokens, 0)</c>, then each new token with <c>ForwardAt(token, session.Length)</c>: each call appends to
/// the caches, so a step costs one position, not the whole context.
/// </summary>
/// <example>
/// <code>
/// using var session = new DecodingSession(gpt, capacity: gpt.BlockSize);
/// var logits = gpt.ForwardAt(prompt, 0);                    // the prefill
/// logits = gpt.ForwardAt(next, session.Length);             // one position
/// </code>
/// </example>
public sealed class DecodingSession : IDisposable
{
    private readonly CausalSelfAttention[] _layers;
    private readonly KeyValueCache[] _caches;

    /// <summary>Installs a cache of <paramref name="capacity"/> positions in each causal self-attention layer of <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">A layer already decodes in another session.</exception>
    public DecodingSession(nn.Module model, long capacity)
    {
        // TorchSharp's modules() can list a submodule more than once: one cache per distinct layer.
        _layers = model.modules().Prepend(model).OfType<CausalSelfAttention>().Distinct().ToArray();
        if (_layers.FirstOrDefault(l => l.Cache is not null) is { } busy)
            throw new InvalidOperationException($"'{busy.GetName()}' already decodes in another session; dispose that one first.");
        _caches = _layers.Select(_ => new KeyValueCache(capacity)).ToArray();
        for (var i = 0; i < _layers.Length; i++)
            _layers[i].Cache = _caches[i];
    }

    /// <summary>The positions the caches hold: the position offset of the next call.</summary>
    public long Length => _caches.Length == 0 ? 0 : _caches[0].Length;

    /// <summary>Empties the caches, to feed a new (e.g. cropped) context from position 0.</summary>
    public void Reset()
    {
        foreach (var cache in _caches)
            cache.Reset();
    }

    /// <summary>Takes the caches out of the layers and frees them; the model runs uncached again.</summary>
    public void Dispose()
    {
        foreach (var layer in _layers)
            layer.Cache = null;
        foreach (var cache in _caches)
            cache.Dispose();
    }
}
