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
    /// The generated <see cref="ForwardAt"/> runs the model from a position, with the caches a <see cref="DecodingSession"/>
    /// gives its attention layers. Position embeddings are learned and absolute, so cached keys and values hold only while
    /// the sequence fits in <see cref="BlockSize"/>. Once it grows past it, every step does what <see cref="Generate"/> does: crop the
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

        var wasTraining = training;
        eval();
        try
        {
            using var session = new DecodingSession(this, BlockSize);
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            for (var i = 0; i < maxNewTokens; i++)
            {
                var length = idx.shape[1];
                Tensor input;
                if (length <= BlockSize && session.Length == length - 1)
                {
                    // The caches hold every position but the newest: feed just that one.
                    input = idx[TensorIndex.Colon, TensorIndex.Slice(length - 1)];
                }
                else
                {
                    // First step, or the context outgrew the window: crop as Generate does and prefill again.
                    session.Reset();
                    input = length <= BlockSize ? idx : idx[TensorIndex.Colon, TensorIndex.Slice(length - BlockSize)];
                }

                var logits = ForwardAt(input, session.Length)[TensorIndex.Colon, -1, TensorIndex.Colon];
                idx = cat(new[] { idx, SampleNext(logits, temperature, topK, generator) }, 1);
            }

            return scope.MoveToOuter(idx);
        }
        finally
        {
            train(wasTraining);
        }
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
