using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Benchmarks.Measurement;
using ModelDsl.Models.Transformers;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Suites;

/// <summary>One generation comparison: tokens per second with and without the key/value cache.</summary>
internal sealed record GenerationComparison(string Setting, int NewTokens, PairedTimings Timings, bool Identical, int FirstDifference)
{
    public double TokensPerSecondRecompute => NewTokens / (Timings.MedianA / 1000.0);

    public double TokensPerSecondCached => NewTokens / (Timings.MedianB / 1000.0);
}

/// <summary>
/// Deliverable 4: greedy sampling with <see cref="Gpt.Generate"/> (the whole context each token) against
/// <see cref="Gpt.GenerateCached"/> (a key/value cache), timed interleaved, the tokens compared one by one.
/// </summary>
internal static class GenerationSuite
{
    public const int NewTokens = 500;

    /// <summary>nanoGPT's CPU GPT (block 64): 500 tokens outgrow the window, so the cache must re-prefill each step past 64.</summary>
    public static GenerationComparison NanoGptWindow(int rounds) =>
        Compare($"block 64 (prompt 1, {NewTokens} new: the window slides after 63)", blockSize: 64, promptLength: 1, rounds);

    /// <summary>The same GPT with a 512-token window, so that prompt and 500 new tokens fit: the cache is used throughout.</summary>
    public static GenerationComparison LongWindow(int rounds) =>
        Compare($"block 512 (prompt 12, {NewTokens} new: all within the window)", blockSize: 512, promptLength: 12, rounds);

    private static GenerationComparison Compare(string setting, int blockSize, int promptLength, int rounds)
    {
        var c = Training.GptConfig.NanoGptCpu;
        manual_seed(2024);
        using var model = new Gpt(c.Vocab, blockSize, c.Layers, c.Heads, c.Embed, 0.0);
        using var prompt = randint(c.Vocab, [1, promptLength], dtype: ScalarType.Int64);

        Tensor? recomputed = null, cached = null;
        void Recompute()
        {
            recomputed?.Dispose();
            recomputed = model.Generate(prompt, NewTokens, temperature: 0);
        }

        void Cached()
        {
            cached?.Dispose();
            cached = model.GenerateCached(prompt, NewTokens, temperature: 0);
        }

        var timings = Paired.Run(Recompute, Cached, warmup: 1, rounds, TimeSpan.FromMinutes(5), minRounds: rounds);
        var a = recomputed!.data<long>().ToArray();
        var b = cached!.data<long>().ToArray();
        recomputed.Dispose();
        cached.Dispose();
        var first = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], -1);
        var identical = a.Length == b.Length && first < 0;
        if (!identical)
            throw new InvalidOperationException($"{setting}: GenerateCached differs from Generate at position {first} ({a.Length} vs {b.Length} tokens).");
        return new GenerationComparison(setting, NewTokens, timings, identical, first);
    }
}
