using System;
using System.Diagnostics;
using System.Linq;
using ModelDsl.Layers;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

internal static class Probe
{
    public static int Run()
    {
        var gpt = new ModelDsl.Models.Transformers.Gpt(65, 512, 4, 4, 128, 0.0);
        var all = gpt.modules().ToArray();
        var attentions = all.OfType<CausalSelfAttention>().ToArray();
        Console.WriteLine($"modules(): {all.Length} ({string.Join(", ", all.Select(m => m.GetType().Name))}); attentions {attentions.Length}, distinct {attentions.Distinct().Count()}");
        using var prompt = randint(65, [1, 12], dtype: ScalarType.Int64);
        foreach (var n in new[] { 50, 200 })
        {
            var s = Stopwatch.GetTimestamp();
            using var a = gpt.GenerateCached(prompt, n, temperature: 0);
            var cached = Stopwatch.GetElapsedTime(s).TotalMilliseconds;
            s = Stopwatch.GetTimestamp();
            using var b = gpt.Generate(prompt, n, temperature: 0);
            var full = Stopwatch.GetElapsedTime(s).TotalMilliseconds;
            Console.WriteLine($"{n} tokens: cached {cached / n:F2} ms/token, recompute {full / n:F2} ms/token");
        }

        return 0;
    }
}
