using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.HandWritten;

// nanoGPT's model.py ported to TorchSharp the way a competent TorchSharp user writes it: fields named as
// PyTorch names the submodules, RegisterComponents, a dispose scope per forward, the fused c_attn split into
// heads, scaled_dot_product_attention with is_causal, tied token embedding and LM head. Nothing here uses
// ModelDsl. Used as the baseline the generated Gpt is timed against.

/// <summary>nanoGPT's <c>CausalSelfAttention</c>.</summary>
internal sealed class HandWrittenCausalSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear c_attn;
    private readonly Linear c_proj;
    private readonly long n_embd;
    private readonly long n_head;
    private readonly double dropout;

    public HandWrittenCausalSelfAttention(long embed, long heads, double dropout) : base("CausalSelfAttention")
    {
        if (embed % heads != 0)
            throw new ArgumentException("embed must be a multiple of heads", nameof(heads));
        c_attn = nn.Linear(embed, 3 * embed);
        c_proj = nn.Linear(embed, embed);
        (n_embd, n_head, this.dropout) = (embed, heads, dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (B, T, C) = (x.shape[0], x.shape[1], x.shape[2]);
        var qkv = c_attn.call(x).split(n_embd, dim: 2);
        var q = qkv[0].view(B, T, n_head, C / n_head).transpose(1, 2);
        var k = qkv[1].view(B, T, n_head, C / n_head).transpose(1, 2);
        var v = qkv[2].view(B, T, n_head, C / n_head).transpose(1, 2);
        var y = nn.functional.scaled_dot_product_attention(q, k, v, p: training ? dropout : 0.0, is_casual: true);
        y = y.transpose(1, 2).contiguous().view(B, T, C);
        return scope.MoveToOuter(nn.functional.dropout(c_proj.call(y), dropout, training));
    }
}

/// <summary>nanoGPT's <c>MLP</c>: Linear 4·E, GELU, Linear E, dropout.</summary>
internal sealed class HandWrittenMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear c_fc;
    private readonly Linear c_proj;
    private readonly double dropout;

    public HandWrittenMlp(long embed, double dropout) : base("MLP")
    {
        c_fc = nn.Linear(embed, 4 * embed);
        c_proj = nn.Linear(4 * embed, embed);
        this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.gelu(c_fc.call(x));
        return scope.MoveToOuter(nn.functional.dropout(c_proj.call(h), dropout, training));
    }
}

/// <summary>nanoGPT's pre-LayerNorm <c>Block</c>.</summary>
internal sealed class HandWrittenBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly HandWrittenCausalSelfAttention attn;
    private readonly LayerNorm ln_2;
    private readonly HandWrittenMlp mlp;

    public HandWrittenBlock(long embed, long heads, double dropout) : base("Block")
    {
        ln_1 = nn.LayerNorm(embed);
        attn = new HandWrittenCausalSelfAttention(embed, heads, dropout);
        ln_2 = nn.LayerNorm(embed);
        mlp = new HandWrittenMlp(embed, dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = x + attn.call(ln_1.call(x));
        x = x + mlp.call(ln_2.call(x));
        return scope.MoveToOuter(x);
    }
}

/// <summary>nanoGPT's <c>GPT</c> (training forward: logits for every position).</summary>
internal sealed class HandWrittenGpt : nn.Module<Tensor, Tensor>
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly ModuleList<HandWrittenBlock> h = new();
    private readonly LayerNorm ln_f;
    private readonly Linear lm_head;
    private readonly long block_size;
    private readonly double dropout;

    public HandWrittenGpt(long vocab, long blockSize, long layers, long heads, long embed, double dropout) : base("GPT")
    {
        wte = nn.Embedding(vocab, embed);
        wpe = nn.Embedding(blockSize, embed);
        for (var i = 0; i < layers; i++)
            h.Add(new HandWrittenBlock(embed, heads, dropout));
        ln_f = nn.LayerNorm(embed);
        lm_head = nn.Linear(embed, vocab, hasBias: false);
        (block_size, this.dropout) = (blockSize, dropout);
        RegisterComponents();
        wte.weight = lm_head.weight; // weight tying, as in nanoGPT (transformer.wte.weight = lm_head.weight)
    }

    public override Tensor forward(Tensor idx)
    {
        using var scope = NewDisposeScope();
        var t = idx.shape[1];
        if (t > block_size)
            throw new ArgumentException($"Cannot forward sequence of length {t}, block size is only {block_size}");
        var pos = arange(t, dtype: ScalarType.Int64, device: idx.device);
        var x = nn.functional.dropout(wte.call(idx) + wpe.call(pos), dropout, training);
        foreach (var block in h)
            x = block.call(x);
        return scope.MoveToOuter(lm_head.call(ln_f.call(x)));
    }

    /// <summary>
    /// Maps a parameter name of this model to the generated <c>Gpt</c>'s, which are nanoGPT's: everything but the head
    /// sits in <c>transformer</c>, and the tied matrix is read from <c>transformer.wte.weight</c> whichever name lists it.
    /// </summary>
    public static string GeneratedName(string name) => name == "lm_head.weight" ? "transformer.wte.weight" : "transformer." + name;
}
