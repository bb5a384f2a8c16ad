using ModelDsl.Models.Zoo;
using ModelDsl.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Zoo;

/// <summary>
/// The LLaMA decoder block and a two-layer decoder against a plain PyTorch LLaMA in Meta's layout (RMSNorm, rotary
/// attention by complex multiplication, SwiGLU): parameter counts, outputs and causality.
/// </summary>
public sealed class LlamaTests(ITestOutputHelper output) : OneThreadTests
{
    // Two RMSNorm scales, four projections without bias, SwiGLU's three matrices.
    private static long Block(long dim, long hidden) => (2 * dim) + (4 * dim * dim) + (3 * dim * hidden);

    [Fact]
    public void Block_matches_metas_layout()
    {
        using var reference = new PyTorchReference("llama_block");
        using var block = new LlamaBlock(dim: 32, heads: 4, hidden: 64);
        Assert.Equal(Block(32, 64), block.ParameterCount);
        Assert.Equal(block.ParameterCount, ModelTestKit.SumOfParameters(block));
        Assert.Equal(reference.ParameterCount, block.ParameterCount);
        Assert.Contains("feed_forward.w1.weight", block.state_dict().Keys);
        Assert.DoesNotContain("attention.query.bias", block.state_dict().Keys);

        reference.LoadInto(block);
        using var noGrad = no_grad();
        var y = block.Forward(reference.Input("x"));
        Assert.Equal(new long[] { 2, 6, 32 }, y.shape);
        output.WriteLine($"LLaMA block: largest difference from PyTorch {reference.AssertClose("y", y):G3}");
    }

    [Fact]
    public void Decoder_matches_metas_layout()
    {
        using var reference = new PyTorchReference("llama");
        using var llama = new Llama(vocab: 50, dim: 32, layers: 2, heads: 4, hidden: 64);
        Assert.Equal((50 * 32) + (2 * Block(32, 64)) + 32 + (32 * 50), llama.ParameterCount);
        Assert.Equal(llama.ParameterCount, ModelTestKit.SumOfParameters(llama));
        Assert.Equal(reference.ParameterCount, llama.ParameterCount);

        reference.LoadInto(llama);
        using var noGrad = no_grad();
        var logits = llama.Forward(reference.Input("tokens"));
        Assert.Equal(new long[] { 2, 7, 50 }, logits.shape);
        output.WriteLine($"LLaMA decoder: largest difference from PyTorch {reference.AssertClose("logits", logits):G3}");
    }

    [Fact]
    public void Later_tokens_do_not_change_earlier_logits()
    {
        using var llama = new Llama(vocab: 20, dim: 16, layers: 1, heads: 2, hidden: 32);
        using var noGrad = no_grad();
        var tokens = randint(0, 20, [1, 6]);
        var changed = tokens.clone();
        changed[0, 5] = (tokens[0, 5] + 1) % 20;
        var (a, b) = (llama.Forward(tokens), llama.Forward(changed));
        Assert.Equal(0f, (a[.., ..5] - b[.., ..5]).abs().max().item<float>());
        Assert.True((a[.., 5] - b[.., 5]).abs().max().item<float>() > 0, "the changed position's logits change");
    }
}
