using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Multi-head attention of the original Transformer (Vaswani et al. 2017): queries from <c>x</c>
/// <c>[B, T, embed]</c>, keys and values from <c>memory</c> <c>[B, S, embed]</c> (the same tensor for
/// self-attention), an optional key padding mask <c>[B, S]</c> (true where a key is padding) and an optional
/// causal mask. Projections: <c>query</c>, <c>key</c>, <c>value</c>, <c>out</c>, with biases unless <c>bias</c> is false.
/// With <c>rotary</c> the queries and keys of each head are rotated by their positions (<see cref="RotaryEmbedding"/>),
/// as in LLaMA.
/// </summary>
public sealed partial class Attention : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear @out;
    private readonly long _embed;
    private readonly long _heads;
    private readonly double _dropout;
    private readonly bool _causal;
    private readonly double? _rotaryBase;

    /// <summary>
    /// Creates the four projections; <paramref name="embed"/> must be positive and divide evenly into
    /// <paramref name="heads"/>, and with <paramref name="rotary"/> the head size must be even.
    /// </summary>
    public Attention(long embed, long heads, double dropout = 0.0, bool causal = false, bool rotary = false, double rotaryBase = RotaryEmbedding.DefaultBase, bool bias = true)
        : base(nameof(Attention))
    {
        HeadSplit.Check(nameof(Attention), embed, heads);
        if (rotary)
            HeadSplit.CheckRotary(nameof(Attention), embed, heads, rotaryBase);
        (_embed, _heads, _dropout, _causal, _rotaryBase) = (embed, heads, dropout, causal, rotary ? rotaryBase : null);
        query = nn.Linear(embed, embed, hasBias: bias);
        key = nn.Linear(embed, embed, hasBias: bias);
        value = nn.Linear(embed, embed, hasBias: bias);
        @out = nn.Linear(embed, embed, hasBias: bias);
        register_module(nameof(query), query);
        register_module(nameof(key), key);
        register_module(nameof(value), value);
        register_module("out", @out);
    }

    /// <summary>Attends from <paramref name="x"/> to <paramref name="memory"/>, ignoring padded keys.</summary>
    public override Tensor forward(Tensor x, Tensor memory, Tensor? keyPadding)
    {
        using var scope = NewDisposeScope();
        var (batch, time, source) = (x.shape[0], x.shape[1], memory.shape[1]);
        var headSize = _embed / _heads;
        Tensor Heads(Tensor t, long length) => t.view(batch, length, _heads, headSize).transpose(1, 2);

        var q = Heads(query.call(x), time);
        var k = Heads(key.call(memory), source);
        var v = Heads(value.call(memory), source);
        if (_rotaryBase is { } theta)
            (q, k) = (RotaryEmbedding.Apply(q, 0, theta), RotaryEmbedding.Apply(k, 0, theta));

        // scaled_dot_product_attention takes a boolean mask that is true where attention is allowed.
        Tensor? allowed = null;
        if (keyPadding is not null)
            allowed = keyPadding.logical_not().view(batch, 1, 1, source);
        if (_causal)
        {
            var causal = ones(time, source, dtype: ScalarType.Bool, device: x.device).tril();
            allowed = allowed is null ? causal : allowed.logical_and(causal);
        }

        var y = nn.functional.scaled_dot_product_attention(q, k, v, allowed, training ? _dropout : 0.0);
        y = y.transpose(1, 2).reshape(batch, time, _embed);
        y = nn.functional.dropout(@out.call(y), _dropout, training);
        return scope.MoveToOuter(y);
    }
}
