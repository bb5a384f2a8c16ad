using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Metrics;

/// <summary>
/// The Inception Score of a classifier's predictions on generated samples: <c>exp(E_x KL(p(y|x) ‖ p(y)))</c>,
/// computed on each of <c>splits</c> equal parts (Salimans et al. 2016). High when each sample is confidently
/// one class and the classes are used evenly.
/// </summary>
public static class InceptionScore
{
    /// <summary>Scores logits <c>[N, C]</c> (softmax is applied here, in float64).</summary>
    /// <param name="logits">Classifier outputs before softmax, one row per generated sample.</param>
    /// <param name="splits">Parts to score separately, for the standard deviation; each gets N / splits rows (rounded).</param>
    /// <exception cref="ArgumentException">Not 2-D, or fewer rows than splits.</exception>
    public static InceptionScoreResult Compute(Tensor logits, int splits = 10)
    {
        if (logits.dim() != 2 || logits.shape[1] < 1)
            throw new ArgumentException($"Logits must be [N, C]; got [{string.Join(", ", logits.shape)}].", nameof(logits));
        var n = logits.shape[0];
        ArgumentOutOfRangeException.ThrowIfLessThan(splits, 1);
        if (n < splits)
            throw new ArgumentException($"Need at least one sample per split; got {n} samples for {splits} splits.", nameof(logits));

        using var scope = NewDisposeScope();
        var logP = nn.functional.log_softmax(logits.detach().to_type(ScalarType.Float64), 1);
        var p = logP.exp();
        var scores = new double[splits];
        for (var k = 0; k < splits; k++)
        {
            long start = k * n / splits, end = (k + 1) * n / splits;
            var part = p.narrow(0, start, end - start);
            var logPart = logP.narrow(0, start, end - start);
            var logMarginal = part.mean([0]).log().unsqueeze(0);
            // 0 · log 0 counts as 0 (a class with probability 0 contributes nothing).
            var terms = where(part > 0, part * (logPart - logMarginal), zeros_like(part));
            scores[k] = Math.Exp(terms.sum(1).mean().item<double>());
        }
        var mean = scores.Average();
        var std = Math.Sqrt(scores.Select(s => (s - mean) * (s - mean)).Average());
        return new InceptionScoreResult(mean, std);
    }
}
