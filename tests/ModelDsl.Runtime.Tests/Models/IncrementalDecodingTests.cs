using System;
using ModelDsl.Layers;
using ModelDsl.Models.Transformers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>
/// Incremental decoding through the generated <c>ForwardAt</c> and a <see cref="DecodingSession"/>: feeding a sequence in
/// pieces gives what one pass gives, and cached generation gives uncached generation's tokens.
/// </summary>
public sealed class IncrementalDecodingTests : OneThreadTests
{
    private static Gpt Tiny()
    {
        manual_seed(3);
        var gpt = new Gpt(vocab: 11, blockSize: 12, layers: 2, heads: 2, embed: 16, dropout: 0.0);
        gpt.eval();
        return gpt;
    }

    [Fact]
    public void ForwardAt_position_zero_is_Forward()
    {
        using var gpt = Tiny();
        using var noGrad = no_grad();
        var idx = randint(0, 11, [2, 7]);

        Assert.Equal(0f, (gpt.Forward(idx) - gpt.ForwardAt(idx, 0)).abs().max().item<float>());
    }

    [Fact]
    public void A_sequence_fed_in_pieces_gives_one_passs_logits()
    {
        using var gpt = Tiny();
        using var noGrad = no_grad();
        var idx = randint(0, 11, [2, 9]);
        var whole = gpt.Forward(idx);

        using var session = new DecodingSession(gpt, capacity: 12);
        var first = gpt.ForwardAt(idx[.., ..5], 0);
        Assert.Equal(5, session.Length);
        var rest = gpt.ForwardAt(idx[.., 5..], session.Length);
        Assert.Equal(9, session.Length);

        Assert.True((whole[.., ..5] - first).abs().max().item<float>() < 1e-5f);
        Assert.True((whole[.., 5..] - rest).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Cached_generation_gives_uncached_generations_tokens_past_the_window()
    {
        using var gpt = Tiny();
        var prompt = randint(0, 11, [2, 4]);

        // 20 new tokens overrun the 12-position window, so the cache is also refilled from cropped contexts.
        var uncached = gpt.Generate(prompt, maxNewTokens: 20, temperature: 0);
        var cached = gpt.GenerateCached(prompt, maxNewTokens: 20, temperature: 0);

        Assert.Equal(uncached.data<long>().ToArray(), cached.data<long>().ToArray());
    }

    [Fact]
    public void Positions_past_the_table_are_refused()
    {
        using var gpt = Tiny();
        using var noGrad = no_grad();

        var error = Assert.Throws<ShapeMismatchException>(() => gpt.ForwardAt(randint(0, 11, [1, 3]), 10));

        Assert.Equal("Gpt: PositionalEmbedding 'Wpe': positions 10 to 12 exceed its 12 rows", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => gpt.ForwardAt(randint(0, 11, [1, 3]), -1));
    }

    [Fact]
    public void A_layer_decodes_in_one_session_at_a_time_and_runs_uncached_after_it()
    {
        using var gpt = Tiny();
        using var noGrad = no_grad();
        var idx = randint(0, 11, [1, 6]);
        var before = gpt.Forward(idx);

        using (new DecodingSession(gpt, capacity: 12))
            Assert.Throws<InvalidOperationException>(() => new DecodingSession(gpt, capacity: 12));

        // The session took its caches out: a full pass is a full pass again.
        Assert.Equal(0f, (before - gpt.Forward(idx)).abs().max().item<float>());
    }
}
