using System.Collections.Generic;
using System.Linq;
using ModelDsl.Benchmarks.Training;

namespace ModelDsl.Benchmarks.Measurement;

/// <summary>A batch of <see cref="Count"/> matrix products [M, K] × [K, N].</summary>
internal readonly record struct Gemm(string Name, long Count, long M, long K, long N)
{
    public double Flops => 2.0 * Count * M * K * N;
}

/// <summary>Analytic training FLOPs per step (multiply-adds counted as 2; forward + backward = 3 × forward).</summary>
internal static class Flops
{
    /// <summary>
    /// nanoGPT's <c>estimate_mfu</c>: flops per token = 6·N + 12·L·H·Q·T, where N is the parameter count without
    /// the position embedding (the token embedding stays in: it is the LM head's weight), Q = E / H, T = block size.
    /// </summary>
    public static double GptPerStep(GptConfig c, out long nonEmbeddingParameters)
    {
        long e = c.Embed, l = c.Layers, v = c.Vocab;
        nonEmbeddingParameters = (12 * e * e * l) + (13 * e * l) + (e * v) + (2 * e);
        var perToken = (6.0 * nonEmbeddingParameters) + (12.0 * l * c.Heads * (e / c.Heads) * c.BlockSize);
        return perToken * c.TokensPerStep;
    }

    /// <summary>
    /// The matrix products of one GPT training step: for each Linear [M=B·T, K] × [K, N] its forward product and the
    /// two of the backward (input and weight gradients); for attention the Q·Kᵀ and P·V products per head and their
    /// backward (causal masking not credited, as in nanoGPT's estimate).
    /// </summary>
    public static IReadOnlyList<Gemm> GptGemms(GptConfig c)
    {
        long m = c.TokensPerStep, e = c.Embed, l = c.Layers, v = c.Vocab, t = c.BlockSize, q = c.Embed / c.Heads;
        long bh = (long)c.Batch * c.Heads;
        var forward = new List<Gemm>
        {
            new("c_attn", l, m, e, 3 * e),
            new("c_proj", l, m, e, e),
            new("mlp_fc", l, m, e, 4 * e),
            new("mlp_proj", l, m, 4 * e, e),
            new("lm_head", 1, m, e, v),
        };
        var gemms = new List<Gemm>();
        foreach (var g in forward)
        {
            gemms.Add(g with { Name = g.Name + " fwd" });
            gemms.Add(new Gemm(g.Name + " dX", g.Count, g.M, g.N, g.K));
            gemms.Add(new Gemm(g.Name + " dW", g.Count, g.N, g.M, g.K));
        }

        // Attention per (batch, head): S = Q·Kᵀ [T, Q]×[Q, T]; Y = P·V [T, T]×[T, Q]; backward: two products each.
        gemms.Add(new Gemm("q·kᵀ fwd", l * bh, t, q, t));
        gemms.Add(new Gemm("p·v fwd", l * bh, t, t, q));
        gemms.Add(new Gemm("q·kᵀ bwd", 2 * l * bh, t, t, q));
        gemms.Add(new Gemm("p·v bwd", 2 * l * bh, t, q, t));
        return gemms;
    }

    /// <summary>
    /// The DCGAN step of <see cref="DcganTrainer"/>: forward FLOPs of the generator G and discriminator D at batch
    /// 64, then G once forward and backward, D three times (real, generated for D, generated for G) forward and
    /// backward: 3·G + 9·D.
    /// </summary>
    public static double DcganPerStep(out double generatorForward, out double discriminatorForward)
    {
        const double b = DcganConfig.Batch;
        // Linear: 2·B·in·out. Conv2d: 2·B·Hout·Wout·Cout·Cin·k². ConvTranspose2d: 2·B·Hin·Win·Cin·Cout·k².
        generatorForward =
            (2 * b * 100 * (7 * 7 * 256))            // project
            + (2 * b * 7 * 7 * 256 * 128 * 25)       // up1: 7×7 → 7×7
            + (2 * b * 7 * 7 * 128 * 64 * 25)        // up2: 7×7 → 14×14
            + (2 * b * 14 * 14 * 64 * 1 * 25);       // up3: 14×14 → 28×28
        discriminatorForward =
            (2 * b * 14 * 14 * 64 * 1 * 25)          // conv1: 28×28 → 14×14
            + (2 * b * 7 * 7 * 128 * 64 * 25)        // conv2: 14×14 → 7×7
            + (2 * b * 128 * 7 * 7 * 1);             // logit
        return (3 * generatorForward) + (9 * discriminatorForward);
    }

    public static double Sum(IEnumerable<Gemm> gemms) => gemms.Sum(g => g.Flops);
}
