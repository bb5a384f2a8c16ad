using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Layers;

/// <summary>
/// The runtime attention layers: PyTorch-style parameter names, output shapes, agreement with attention written
/// out from the formula, causality (no information flows from later tokens) and key padding (padded keys are
/// invisible).
/// </summary>
public sealed class AttentionLayerTests
{
    private const double Tolerance = 1e-5;

    private static Dictionary<string, Tensor> Parameters(nn.Module module)
        => module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);

    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = MaxDifference(expected, actual);
        Assert.True(diff <= Tolerance, $"{what}: max |difference| {diff:G3}");
    }

    private static Tensor Positions(Tensor t, long from, long to) => t[TensorIndex.Colon, TensorIndex.Slice(from, to)];

    // ---- CausalSelfAttention ----------------------------------------------------------------------------

    [Fact]
    public void CausalSelfAttentionHasGptParameterNames()
    {
        var attention = new CausalSelfAttention(16, 4);
        Assert.Equal(["c_attn.weight", "c_attn.bias", "c_proj.weight", "c_proj.bias"], attention.state_dict().Keys.ToArray());
        var p = Parameters(attention);
        Assert.Equal(new long[] { 48, 16 }, p["c_attn.weight"].shape);
        Assert.Equal(new long[] { 16, 16 }, p["c_proj.weight"].shape);
        Assert.Equal(4 * 16 * 16 + 4 * 16, attention.parameters().Sum(t => t.numel()));
    }

    [Fact]
    public void CausalSelfAttentionMatchesTheFormula()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(10);
        var attention = new CausalSelfAttention(16, 4);
        attention.eval();
        var x = randn(2, 6, 16);

        var y = attention.call(x);
        Assert.Equal(new long[] { 2, 6, 16 }, y.shape);

        var p = Parameters(attention);
        var qkv = nn.functional.linear(x, p["c_attn.weight"], p["c_attn.bias"]).chunk(3, -1);
        var expected = AttentionReference.MultiHead(qkv[0], qkv[1], qkv[2], 4, AttentionReference.Causal(6, 6).expand(2, 6, 6), p["c_proj.weight"], p["c_proj.bias"]);
        AssertClose(expected, y, "causal self-attention");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void CausalSelfAttentionIgnoresLaterTokens(int t)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(11);
        var attention = new CausalSelfAttention(16, 4);
        attention.eval();
        var x = randn(2, 6, 16);
        var changed = x.clone();
        changed[TensorIndex.Colon, TensorIndex.Slice(t + 1, null)] = randn(2, 6 - (t + 1), 16);

        var y = attention.call(x);
        var z = attention.call(changed);
        Assert.Equal(0.0, MaxDifference(Positions(y, 0, t + 1), Positions(z, 0, t + 1)), 6);
        Assert.True(MaxDifference(Positions(y, t + 1, 6), Positions(z, t + 1, 6)) > 1e-3, "later positions should see the change");
    }

    [Fact]
    public void CausalSelfAttentionEarlierTokensStillMatter()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(12);
        var attention = new CausalSelfAttention(8, 2);
        attention.eval();
        var x = randn(1, 5, 8);
        var changed = x.clone();
        changed[0, 0] = randn(8);
        var y = attention.call(x);
        var z = attention.call(changed);
        for (var t = 0; t < 5; t++)
            Assert.True(MaxDifference(y[0, t], z[0, t]) > 1e-4, $"position {t} should depend on position 0");
    }

    [Fact]
    public void CausalSelfAttentionRejectsHeadsThatDoNotDivideTheWidth()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new CausalSelfAttention(10, 4));
        Assert.Contains("10", e.Message);
        Assert.Contains("4", e.Message);
        Assert.Throws<ShapeMismatchException>(() => new CausalSelfAttention(8, 0));
    }

    // ---- Attention (multi-head, optional memory, key padding, causal) -------------------------------------

    [Fact]
    public void AttentionHasTransformerParameterNames()
    {
        var attention = new Attention(16, 4);
        Assert.Equal(
            ["query.weight", "query.bias", "key.weight", "key.bias", "value.weight", "value.bias", "out.weight", "out.bias"],
            attention.state_dict().Keys.ToArray());
        Assert.Equal(4 * 16 * 16 + 4 * 16, attention.parameters().Sum(t => t.numel()));
    }

    private static (Tensor Padding, Tensor Allowed) PaddingMask(long batch, long time, long source, params int[] lengths)
    {
        // true where a key is padding: positions at or after each sequence's length.
        var positions = arange(source).unsqueeze(0);
        var padding = positions >= tensor(lengths.Select(l => (long)l).ToArray()).unsqueeze(1);
        var allowed = padding.logical_not().unsqueeze(1).expand(batch, time, source);
        return (padding, allowed);
    }

    [Fact]
    public void CrossAttentionMatchesTheFormula()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(13);
        var attention = new Attention(16, 4);
        attention.eval();
        var x = randn(2, 3, 16);
        var memory = randn(2, 7, 16);
        var (padding, allowed) = PaddingMask(2, 3, 7, 5, 7);

        var y = attention.call(x, memory, padding);
        Assert.Equal(new long[] { 2, 3, 16 }, y.shape);

        var p = Parameters(attention);
        var expected = AttentionReference.MultiHead(
            nn.functional.linear(x, p["query.weight"], p["query.bias"]),
            nn.functional.linear(memory, p["key.weight"], p["key.bias"]),
            nn.functional.linear(memory, p["value.weight"], p["value.bias"]),
            4, allowed, p["out.weight"], p["out.bias"]);
        AssertClose(expected, y, "cross-attention with key padding");
    }

    [Fact]
    public void PaddedKeysDoNotAffectTheOutput()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(14);
        var attention = new Attention(16, 4);
        attention.eval();
        var x = randn(2, 3, 16);
        var memory = randn(2, 6, 16);
        var (padding, _) = PaddingMask(2, 3, 6, 4, 2);

        // Overwrite every padded key/value position with something else, even huge values.
        var changed = memory.clone();
        changed[0, TensorIndex.Slice(4, null)] = randn(2, 16) * 100;
        changed[1, TensorIndex.Slice(2, null)] = randn(4, 16) * 100;

        var y = attention.call(x, memory, padding);
        var z = attention.call(x, changed, padding);
        Assert.Equal(0.0, MaxDifference(y, z), 6);

        // Without the mask the same change is visible.
        var unmasked = attention.call(x, changed, null);
        Assert.True(MaxDifference(y, unmasked) > 1e-3);

        // And a change at a real (unpadded) key is visible too.
        var real = memory.clone();
        real[1, 0] = randn(16);
        Assert.True(MaxDifference(y[1], attention.call(x, real, padding)[1]) > 1e-4);
    }

    [Fact]
    public void SelfAttentionWithPaddingKeepsRealPositionsIndependentOfPadding()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(15);
        var attention = new Attention(8, 2);
        attention.eval();
        var x = randn(1, 6, 8);
        var (padding, _) = PaddingMask(1, 6, 6, 4);
        var changed = x.clone();
        changed[0, TensorIndex.Slice(4, null)] = randn(2, 8);

        var y = attention.call(x, x, padding);
        var z = attention.call(changed, changed, padding);
        Assert.Equal(0.0, MaxDifference(Positions(y, 0, 4), Positions(z, 0, 4)), 6);
    }

    [Fact]
    public void CausalAttentionMatchesTheFormula()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(16);
        var attention = new Attention(12, 3, causal: true);
        attention.eval();
        var x = randn(2, 5, 12);
        var (padding, allowed) = PaddingMask(2, 5, 5, 5, 3);

        var p = Parameters(attention);
        Tensor Reference(Tensor? mask) => AttentionReference.MultiHead(
            nn.functional.linear(x, p["query.weight"], p["query.bias"]),
            nn.functional.linear(x, p["key.weight"], p["key.bias"]),
            nn.functional.linear(x, p["value.weight"], p["value.bias"]),
            3, mask, p["out.weight"], p["out.bias"]);

        var causal = AttentionReference.Causal(5, 5).expand(2, 5, 5);
        AssertClose(Reference(causal), attention.call(x, x, null), "causal self-attention");
        AssertClose(Reference(causal.logical_and(allowed)), attention.call(x, x, padding), "causal self-attention with key padding");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void CausalAttentionIgnoresLaterTokens(int t)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(17);
        var attention = new Attention(12, 3, causal: true);
        attention.eval();
        var x = randn(2, 6, 12);
        var changed = x.clone();
        changed[TensorIndex.Colon, TensorIndex.Slice(t + 1, null)] = randn(2, 6 - (t + 1), 12);

        var y = attention.call(x, x, null);
        var z = attention.call(changed, changed, null);
        Assert.Equal(0.0, MaxDifference(Positions(y, 0, t + 1), Positions(z, 0, t + 1)), 6);
        Assert.True(MaxDifference(Positions(y, t + 1, 6), Positions(z, t + 1, 6)) > 1e-3);
    }

    [Fact]
    public void NonCausalAttentionSeesLaterTokens()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(18);
        var attention = new Attention(12, 3);
        attention.eval();
        var x = randn(1, 4, 12);
        var changed = x.clone();
        changed[0, 3] = randn(12);
        Assert.True(MaxDifference(attention.call(x, x, null)[0, 0], attention.call(changed, changed, null)[0, 0]) > 1e-4);
    }

    [Fact]
    public void AttentionRejectsHeadsThatDoNotDivideTheWidth()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => new Attention(10, 4));
        Assert.Contains("10", e.Message);
        Assert.Contains("4", e.Message);
    }

    // -8 and 0 are multiples of 4, so only a width check stops them before nn.Linear fails inside libtorch.
    [Theory]
    [InlineData(-8, 4)]
    [InlineData(0, 4)]
    public void AttentionLayersRejectANonPositiveWidth(long embed, long heads)
    {
        foreach (var create in new Func<IDisposable>[] { () => new CausalSelfAttention(embed, heads), () => new Attention(embed, heads) })
        {
            var e = Assert.Throws<ShapeMismatchException>(create);
            Assert.Contains($"embed ({embed}) must be positive", e.Message);
        }
    }
}
