using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

public sealed partial class Gpt
{
    /// <summary>
    /// Extends each row of <paramref name="idx"/> <c>[B, T]</c> by <paramref name="maxNewTokens"/> sampled tokens,
    /// feeding at most <see cref="BlockSize"/> tokens of context. A <paramref name="temperature"/> of 0 decodes
    /// greedily; <paramref name="topK"/> keeps only the most likely tokens. Returns <c>[B, T + maxNewTokens]</c>.
    /// </summary>
    public Tensor Generate(Tensor idx, int maxNewTokens, double temperature = 1.0, int? topK = null, Generator? generator = null)
    {
        if (idx.dim() != 2 || idx.dtype != ScalarType.Int64)
            throw new ArgumentException($"idx must be an int64 tensor [B, T], not {idx.dtype} {ShapeMismatchException.Format(idx.shape)}", nameof(idx));
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
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            for (var i = 0; i < maxNewTokens; i++)
            {
                var length = idx.shape[1];
                var context = length <= BlockSize ? idx : idx[TensorIndex.Colon, TensorIndex.Slice(length - BlockSize)];
                var logits = Forward(context)[TensorIndex.Colon, -1, TensorIndex.Colon];
                Tensor next;
                if (temperature == 0)
                {
                    next = logits.argmax(-1, keepdim: true);
                }
                else
                {
                    logits = logits / temperature;
                    if (topK is { } k)
                    {
                        var kth = logits.topk(k, dim: -1).values[TensorIndex.Colon, TensorIndex.Slice(k - 1, k)];
                        logits = logits.masked_fill(logits < kth, double.NegativeInfinity);
                    }

                    next = multinomial(nn.functional.softmax(logits, -1), 1, generator: generator);
                }

                idx = cat(new[] { idx, next }, 1);
            }

            return scope.MoveToOuter(idx);
        }
        finally
        {
            train(wasTraining);
        }
    }
}
