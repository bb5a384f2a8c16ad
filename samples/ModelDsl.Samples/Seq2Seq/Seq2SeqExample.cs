using System.Linq;

namespace ModelDsl.Samples.Seq2Seq;

/// <summary>One source sequence and its target, as tokens, without BOS, EOS or padding.</summary>
public sealed record Seq2SeqExample(long[] Source, long[] Target)
{
    /// <summary>A key that identifies the source (the target follows from it), for keeping data sets disjoint.</summary>
    public string Key => string.Join(",", Source);

    /// <summary>True when <paramref name="decoded"/> (a GreedyDecode row) is the target followed by EOS.</summary>
    public bool IsExactMatch(long[] decoded) =>
        decoded.Length > Target.Length
        && decoded.Take(Target.Length).SequenceEqual(Target)
        && decoded[Target.Length] == Seq2SeqVocabulary.Eos;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Seq2SeqVocabulary.Decode(Source)} → {Seq2SeqVocabulary.Decode(Target)}";
}
