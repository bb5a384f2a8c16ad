using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Multi-head causal self-attention as in GPT-2 and nanoGPT: one fused query/key/value projection
/// (<c>c_attn</c>), <c>scaled_dot_product_attention</c> with a causal mask, and an output projection
/// (<c>c_proj</c>). Input and output are <c>[B, T, embed]</c>. With <c>rotary</c> the queries and keys of each head
/// are rotated by their positions (<see cref="RotaryEmbedding"/>).
/// </summary>
/// <remarks>
/// For incremental decoding set <see cref="Cache"/>: each call then appends its keys and values to the cache and
/// its <c>T</c> queries attend to every cached position plus, causally, to the new ones (positions are the
/// cache's length onwards, so the caller adds position embeddings at that offset; rotary positions follow by themselves).
/// </remarks>
public sealed partial class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear c_attn;
    private readonly Linear c_proj;
    private readonly long _embed;
    private readonly long _heads;
    private readonly double _dropout;
    private readonly double? _rotaryBase;

    /// <summary>
    /// Creates the projections; <paramref name="embed"/> must be positive and divide evenly into
    /// <paramref name="heads"/>, and with <paramref name="rotary"/> the head size must be even.
    /// </summary>
    public CausalSelfAttention(long embed, long heads, double dropout = 0.0, bool rotary = false, double rotaryBase = RotaryEmbedding.DefaultBase)
        : base(nameof(CausalSelfAttention))
    {
        HeadSplit.Check(nameof(CausalSelfAttention), embed, heads);
        if (rotary)
            HeadSplit.CheckRotary(nameof(CausalSelfAttention), embed, heads, rotaryBase);
        (_embed, _heads, _dropout, _rotaryBase) = (embed, heads, dropout, rotary ? rotaryBase : null);
        c_attn = nn.Linear(embed, 3 * embed);
        c_proj = nn.Linear(embed, embed);
        register_module(nameof(c_attn), c_attn);
        register_module(nameof(c_proj), c_proj);
    }

    /// <summary>
    /// The opt-in key/value cache for incremental decoding (inference only), or <see langword="null"/> (the
    /// default) to attend within the input sequence alone.
    /// </summary>
    public KeyValueCache? Cache { get; set; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (batch, time) = (x.shape[0], x.shape[1]);
        var headSize = _embed / _heads;

        // [B, T, 3·E] → three [B, heads, T, headSize] views. unbind, not qkv[0], qkv[1], qkv[2]: the backward of
        // unbind stacks the three gradients once, where three selects each zero-fill a full-size gradient and add.
        var qkv = c_attn.call(x).view(batch, time, 3, _heads, headSize).permute(2, 0, 3, 1, 4).unbind(0);
        var (q, k, v) = (qkv[0], qkv[1], qkv[2]);
        if (_rotaryBase is { } theta)
        {
            // Positions continue after the cached ones.
            var past = Cache?.Length ?? 0;
            (q, k) = (RotaryEmbedding.Apply(q, past, theta), RotaryEmbedding.Apply(k, past, theta));
        }

        var y = Cache is { } cache
            ? AttendCached(cache, q, k, v, time)
            : nn.functional.scaled_dot_product_attention(q, k, v, p: training ? _dropout : 0.0, is_casual: true);
        y = y.transpose(1, 2).reshape(batch, time, _embed);
        y = nn.functional.dropout(c_proj.call(y), _dropout, training);
        return scope.MoveToOuter(y);
    }

    // Queries at positions past .. past + T - 1 attend to cached positions 0 .. past + T - 1, causally.
    private Tensor AttendCached(KeyValueCache cache, Tensor q, Tensor k, Tensor v, long time)
    {
        var past = cache.Length;
        var (keys, values) = cache.Append(k, v);
        var p = training ? _dropout : 0.0;
        if (past == 0)
            return nn.functional.scaled_dot_product_attention(q, keys, values, p: p, is_casual: true);
        if (time == 1)
            return nn.functional.scaled_dot_product_attention(q, keys, values, p: p);

        // is_causal aligns the mask top-left; the new queries sit bottom-right of [T, past + T].
        var allowed = ones(time, past + time, dtype: ScalarType.Bool, device: q.device).tril(past);
        return nn.functional.scaled_dot_product_attention(q, keys, values, allowed, p);
    }
}
