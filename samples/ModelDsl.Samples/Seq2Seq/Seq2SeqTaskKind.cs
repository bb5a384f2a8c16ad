namespace ModelDsl.Samples.Seq2Seq;

/// <summary>The synthetic sequence-to-sequence tasks.</summary>
public enum Seq2SeqTaskKind
{
    /// <summary>A digit string, reversed: 3141 → 1413.</summary>
    Reverse,

    /// <summary>A digit string, sorted ascending: 3141 → 1134.</summary>
    Sort,

    /// <summary>Two decimal numbers and their sum: 27+385 → 412.</summary>
    Add,
}
