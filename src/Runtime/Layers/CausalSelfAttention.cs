using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Multi-head causal self-attention as in GPT-2 and nanoGPT: one fused query/key/value projection
/// (<c>c_attn</c>), <c>scaled_dot_product_attention</c> with a causal mask, and an output projection
/// (<c>c_proj</c>). Input and output are <c>[B, T, embed]</c>.
/// </summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear c_attn;
    private readonly Linear c_proj;
    private readonly long _embed;
    private readonly long _heads;
    private readonly double _dropout;

    /// <summary>Creates the projections; <paramref name="embed"/> must divide evenly into <paramref name="heads"/>.</summary>
    public CausalSelfAttention(long embed, long heads, double dropout = 0.0)
        : base(nameof(CausalSelfAttention))
    {
        if (heads <= 0 || embed % heads != 0)
            throw new ShapeMismatchException(nameof(CausalSelfAttention), $"embed ({embed}) must be a positive multiple of heads ({heads})");
        (_embed, _heads, _dropout) = (embed, heads, dropout);
        c_attn = nn.Linear(embed, 3 * embed);
        c_proj = nn.Linear(embed, embed);
        register_module(nameof(c_attn), c_attn);
        register_module(nameof(c_proj), c_proj);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (batch, time) = (x.shape[0], x.shape[1]);
        var headSize = _embed / _heads;

        // [B, T, 3·E] → three [B, heads, T, headSize] views.
        var qkv = c_attn.call(x).view(batch, time, 3, _heads, headSize).permute(2, 0, 3, 1, 4);
        var (q, k, v) = (qkv[0], qkv[1], qkv[2]);

        var y = nn.functional.scaled_dot_product_attention(q, k, v, p: training ? _dropout : 0.0, is_casual: true);
        y = y.transpose(1, 2).reshape(batch, time, _embed);
        y = nn.functional.dropout(c_proj.call(y), _dropout, training);
        return scope.MoveToOuter(y);
    }
}
