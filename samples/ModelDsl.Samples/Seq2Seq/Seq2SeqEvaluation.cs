using System.Collections.Generic;

namespace ModelDsl.Samples.Seq2Seq;

/// <summary>Greedy decodes of the held-out set.</summary>
/// <param name="Examples">The held-out examples.</param>
/// <param name="Decoded">GreedyDecode's row for each example (tokens after EOS are EOS).</param>
/// <param name="ExactMatches">Rows that are exactly the target followed by EOS.</param>
/// <param name="TokenAccuracy">Target tokens (EOS included) decoded right at their position.</param>
public sealed record Seq2SeqEvaluation(IReadOnlyList<Seq2SeqExample> Examples, IReadOnlyList<long[]> Decoded, int ExactMatches, double TokenAccuracy)
{
    /// <summary>The fraction of exact matches.</summary>
    public double ExactMatchRate => Examples.Count == 0 ? 0 : (double)ExactMatches / Examples.Count;
}
