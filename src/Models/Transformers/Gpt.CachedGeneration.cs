using System;
using System.Linq;
using ModelDsl.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

public sealed partial class Gpt
{
    /// <summary>
    /// <see cref="Generate"/> with a key/value cache: the context is run through the model once (the prefill), then
    /// each step feeds only the newest token, whose queries attend to the cached keys and values of every earlier
    /// position. Same arguments, same result (token for token under greedy decoding, <paramref name="temperature"/> 0).
    /// </summary>
    /// <remarks>
    /// Position embeddings are learned and absolute, so cached keys and values hold only while the sequence fits
    /// in <see cref="BlockSize"/>. Once it grows past it, every step does what <see cref="Generate"/> does: crop the
    /// context to the last <see cref="BlockSize"/> tokens, empty the caches and prefill them again; so the cache
    /// speeds up generation up to the context length, and past it a step costs one full forward as before. The
    /// caches live for the call only; it must not overlap another forward call on this model.
    /// </remarks>
    public Tensor GenerateCached(Tensor idx, int maxNewTokens, double temperature = 1.0, int? topK = null, Generator? generator = null)
    {
        if (idx.dim() != 2 || idx.dtype != ScalarType.Int64)
            throw new ArgumentException($"idx must be an int64 tensor [B, T], not {idx.dtype} {ShapeMismatchException.Format(idx.shape)}", nameof(idx));
        if (idx.shape[1] < 1)
            throw new ArgumentException("idx must hold at least one token per row", nameof(idx));
        if (maxNewTokens < 0)
            throw new ArgumentOutOfRangeException(nameof(maxNewTokens), maxNewTokens, "must be zero or more");
        if (temperature < 0 || double.IsNaN(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be zero (greedy) or positive");
        if (topK is < 1 || topK > Vocab)
            throw new ArgumentOutOfRangeException(nameof(topK), topK, $"must be between 1 and the vocabulary size {Vocab}");

        // TorchSharp's modules() can list a submodule more than once: one cache per distinct layer.
        var attentions = modules().OfType<CausalSelfAttention>().Distinct().ToArray();
        var caches = attentions.Select(_ => new KeyValueCache(BlockSize)).ToArray();
        var wasTraining = training;
        eval();
        try
        {
            for (var i = 0; i < attentions.Length; i++)
                attentions[i].Cache = caches[i];

            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            for (var i = 0; i < maxNewTokens; i++)
            {
                var length = idx.shape[1];
                Tensor input;
                if (length <= BlockSize && caches.All(c => c.Length == length - 1))
                {
                    // The caches hold every position but the newest: feed just that one.
                    input = idx[TensorIndex.Colon, TensorIndex.Slice(length - 1)];
                }
                else
                {
                    // First step, or the context outgrew the window: crop as Generate does and prefill again.
                    foreach (var cache in caches)
                        cache.Reset();
                    input = length <= BlockSize ? idx : idx[TensorIndex.Colon, TensorIndex.Slice(length - BlockSize)];
                }

                var logits = NextTokenLogits(input, caches.Length == 0 ? 0 : caches[0].Length);
                idx = cat(new[] { idx, SampleNext(logits, temperature, topK, generator) }, 1);
            }

            return scope.MoveToOuter(idx);
        }
        finally
        {
            foreach (var attention in attentions)
                attention.Cache = null;
            foreach (var cache in caches)
                cache.Dispose();
            train(wasTraining);
        }
    }

    // Forward's layers for tokens at positions past .. past + T - 1 (the blocks' attention reads and extends the
    // caches); like nanoGPT at inference, the final norm and the head run on the last position only: [B, vocab].
    private Tensor NextTokenLogits(Tensor tokens, long past)
    {
        using var scope = NewDisposeScope();
        var time = tokens.shape[1];
        var x = _wte.call(tokens) + _wpe.call(arange(past, past + time, dtype: ScalarType.Int64, device: tokens.device));
        x = nn.functional.dropout(x, Dropout, training);
        foreach (var block in _h)
            x = block.call(x);
        var last = x[TensorIndex.Colon, -1, TensorIndex.Colon];
        return scope.MoveToOuter(_lm_Head.call(_ln_F.call(last)));
    }

    // Generate's sampling rule: argmax at temperature 0, else softmax(logits / temperature) over the top k.
    private static Tensor SampleNext(Tensor logits, double temperature, int? topK, Generator? generator)
    {
        if (temperature == 0)
            return logits.argmax(-1, keepdim: true);

        logits = logits / temperature;
        if (topK is { } k)
        {
            var kth = logits.topk(k, dim: -1).values[TensorIndex.Colon, TensorIndex.Slice(k - 1, k)];
            logits = logits.masked_fill(logits < kth, double.NegativeInfinity);
        }

        return multinomial(nn.functional.softmax(logits, -1), 1, generator: generator);
    }
}
