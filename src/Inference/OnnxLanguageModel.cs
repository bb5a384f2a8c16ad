using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelDsl.Inference;

/// <summary>
/// Text generation with an exported next-token model (such as ModelDsl's GPT): one int64 input <c>[B, T]</c>, logits
/// <c>[B, T, vocab]</c> out. Each step feeds the last <see cref="BlockSize"/> tokens and appends one: the most likely
/// (temperature 0, the same tokens as <c>Gpt.Generate</c>), or a draw from the softmax, optionally of the top k.
/// </summary>
public sealed class OnnxLanguageModel
{
    private readonly OnnxModel _model;

    /// <summary>Wraps <paramref name="model"/>; <paramref name="blockSize"/> defaults to the exported <c>blockSize</c> hyperparameter.</summary>
    /// <exception cref="ArgumentException">The model does not take one int64 <c>[B, T]</c> input, or its context length is unknown.</exception>
    public OnnxLanguageModel(OnnxModel model, int? blockSize = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Inputs.Count != 1 || model.Inputs[0].Type != OnnxTensorType.Int64 || model.Inputs[0].Dims.Count != 2 || model.Outputs.Count != 1 || model.Outputs[0].Dims.Count != 3)
            throw new ArgumentException($"{model.Name} is not a next-token model: it takes {string.Join(", ", model.Inputs)} and returns {string.Join(", ", model.Outputs)}", nameof(model));
        _model = model;
        BlockSize = blockSize
            ?? (model.Hyperparameters.TryGetValue("blockSize", out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var recorded) ? recorded
            : throw new ArgumentException($"{model.Name} records no blockSize hyperparameter; pass the context length", nameof(blockSize)));
        if (BlockSize < 1)
            throw new ArgumentOutOfRangeException(nameof(blockSize), BlockSize, "the context length must be positive");
    }

    /// <summary>The most tokens one step feeds the model.</summary>
    public int BlockSize { get; }

    /// <summary>
    /// Extends <paramref name="prompt"/> by <paramref name="maxNewTokens"/> tokens and returns the whole sequence. A
    /// <paramref name="temperature"/> of 0 decodes greedily; otherwise tokens are drawn with <paramref name="random"/>.
    /// </summary>
    public long[] Generate(IReadOnlyList<long> prompt, int maxNewTokens, double temperature = 0, int? topK = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Count == 0)
            throw new ArgumentException("the prompt needs at least one token", nameof(prompt));
        ArgumentOutOfRangeException.ThrowIfNegative(maxNewTokens);
        if (temperature < 0 || double.IsNaN(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be zero (greedy) or positive");
        random ??= Random.Shared;

        var tokens = new List<long>(prompt);
        for (var step = 0; step < maxNewTokens; step++)
        {
            var context = tokens.Skip(Math.Max(0, tokens.Count - BlockSize)).ToArray();
            var logits = _model.Run(OnnxTensor.Int64(context, 1, context.Length))[0];
            var vocab = (int)logits.Shape[2];
            var last = logits.Floats.AsSpan((context.Length - 1) * vocab, vocab);
            tokens.Add(temperature == 0 ? ArgMax(last) : Sample(last, temperature, topK, random));
        }

        return tokens.ToArray();
    }

    // The first of the largest, as torch.argmax picks.
    private static long ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
                best = i;
        }

        return best;
    }

    private static long Sample(ReadOnlySpan<float> logits, double temperature, int? topK, Random random)
    {
        var scaled = logits.ToArray().Select(l => l / temperature).ToArray();
        if (topK is { } k && k < scaled.Length)
        {
            var kth = scaled.OrderByDescending(l => l).ElementAt(k - 1);
            for (var i = 0; i < scaled.Length; i++)
            {
                if (scaled[i] < kth)
                    scaled[i] = double.NegativeInfinity;
            }
        }

        var max = scaled.Max();
        var weights = scaled.Select(l => Math.Exp(l - max)).ToArray();
        var draw = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            draw -= weights[i];
            if (draw < 0)
                return i;
        }

        return Array.FindLastIndex(weights, w => w > 0);
    }
}
