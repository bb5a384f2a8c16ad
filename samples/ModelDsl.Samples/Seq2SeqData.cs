using System.Globalization;
using System.Text;
using ModelDsl.Models.Transformers;
using ModelDsl.Samples.Harness;
using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>The tokens of the synthetic tasks: PAD 0, BOS 1, EOS 2, the digits 0–9 as 3–12 and '+' as 13.</summary>
public static class Seq2SeqVocabulary
{
    public const long Pad = 0, Bos = 1, Eos = 2, FirstDigit = 3, Plus = 13;
    public const int Size = 14;

    public static long Digit(int digit) => digit is >= 0 and <= 9 ? FirstDigit + digit : throw new ArgumentOutOfRangeException(nameof(digit), digit, "must be 0–9");

    public static bool IsDigit(long token) => token >= FirstDigit && token < FirstDigit + 10;

    /// <exception cref="ArgumentException">A character other than a digit or '+'.</exception>
    public static long[] Encode(string text) => text.Select(c => c switch
    {
        >= '0' and <= '9' => Digit(c - '0'),
        '+' => Plus,
        _ => throw new ArgumentException($"'{c}' is not in the vocabulary (digits and '+').", nameof(text)),
    }).ToArray();

    /// <summary>Digits and '+' as themselves, PAD, BOS and EOS as ·, ^ and $; stops at EOS when asked.</summary>
    public static string Decode(IEnumerable<long> tokens, bool stopAtEos = false)
    {
        var text = new StringBuilder();
        foreach (var token in tokens.TakeWhile(t => !stopAtEos || t != Eos))
            text.Append(token switch { Pad => '·', Bos => '^', Eos => '$', Plus => '+', _ when IsDigit(token) => (char)('0' + token - FirstDigit), _ => '?' });
        return text.ToString();
    }
}

public enum Seq2SeqTaskKind
{
    /// <summary>3141 → 1413.</summary>
    Reverse,

    /// <summary>3141 → 1134.</summary>
    Sort,

    /// <summary>27+385 → 412.</summary>
    Add,
}

/// <summary>A source and its target as tokens, without BOS, EOS or padding.</summary>
public sealed record Seq2SeqExample(long[] Source, long[] Target)
{
    /// <summary>Identifies the source (the target follows from it), to keep held-out and training data apart.</summary>
    public string Key => string.Join(",", Source);

    /// <summary>True when a greedy decode is the target followed by EOS.</summary>
    public bool IsExactMatch(long[] decoded) =>
        decoded.Length > Target.Length && decoded.AsSpan(0, Target.Length).SequenceEqual(Target) && decoded[Target.Length] == Seq2SeqVocabulary.Eos;

    public override string ToString() => $"{Seq2SeqVocabulary.Decode(Source)} → {Seq2SeqVocabulary.Decode(Target)}";
}

/// <summary>
/// One synthetic task: <c>reverse</c> and <c>sort</c> take strings of <see cref="MinLength"/>–<see cref="MaxLength"/>
/// digits; <c>add</c> takes "a+b" with operands of 1–<see cref="OperandDigits"/> digits (no leading zeros). The
/// held-out examples are distinct, drawn from their own seed stream; training examples come from a stream per step
/// (so a resumed run sees the same batches) and skip every held-out source.
/// </summary>
public sealed class Seq2SeqTask
{
    private readonly int _seed;
    private readonly HashSet<string> _heldOutKeys;

    /// <exception cref="ArgumentOutOfRangeException">Lengths that admit no example.</exception>
    public Seq2SeqTask(Seq2SeqTaskKind kind, int minLength, int maxLength, int seed = 0, int heldOut = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 1);
        if (maxLength < minLength)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"must be at least the minimum length {minLength}");
        if (kind == Seq2SeqTaskKind.Add && maxLength < 3)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "add needs room for \"a+b\": at least 3");
        (Kind, MinLength, MaxLength, _seed) = (kind, minLength, maxLength, seed);
        OperandDigits = Math.Min(9, Math.Max(1, (maxLength - 1) / 2));
        HeldOut = DistinctSamples(heldOut, StepSeeds.For(seed, StepSeeds.Evaluation));
        _heldOutKeys = HeldOut.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
    }

    public Seq2SeqTaskKind Kind { get; }
    public int MinLength { get; }
    public int MaxLength { get; }
    public int OperandDigits { get; }
    public int MaxSourceLength => Kind == Seq2SeqTaskKind.Add ? 2 * OperandDigits + 1 : MaxLength;
    public int MaxTargetLength => Kind == Seq2SeqTaskKind.Add ? OperandDigits + 1 : MaxLength;

    /// <summary>Distinct held-out examples, never trained on (fewer than asked when the task has fewer sources).</summary>
    public IReadOnlyList<Seq2SeqExample> HeldOut { get; }

    public override string ToString() => Kind.ToString().ToLowerInvariant();

    public string Description => Kind == Seq2SeqTaskKind.Add
        ? $"add two numbers of 1–{OperandDigits} digits (\"a+b\" → sum)"
        : $"{this} strings of {MinLength}–{MaxLength} digits";

    /// <summary>The target of a source, by the task's rule.</summary>
    public long[] Solve(long[] source) => Kind switch
    {
        Seq2SeqTaskKind.Reverse => source.Reverse().ToArray(),
        Seq2SeqTaskKind.Sort => source.Order().ToArray(),
        _ => Seq2SeqVocabulary.Encode(Seq2SeqVocabulary.Decode(source).Split('+').Sum(long.Parse).ToString(CultureInfo.InvariantCulture)),
    };

    public Seq2SeqExample Sample(Random random)
    {
        long[] source;
        if (Kind == Seq2SeqTaskKind.Add)
        {
            source = Seq2SeqVocabulary.Encode($"{Number(random)}+{Number(random)}");
        }
        else
        {
            source = new long[random.Next(MinLength, MaxLength + 1)];
            for (var i = 0; i < source.Length; i++)
                source[i] = Seq2SeqVocabulary.Digit(random.Next(10));
        }
        return new Seq2SeqExample(source, Solve(source));
    }

    /// <summary><paramref name="count"/> examples with distinct sources (fewer when the task has fewer within many draws).</summary>
    public List<Seq2SeqExample> DistinctSamples(int count, Random random)
    {
        var result = new List<Seq2SeqExample>(count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var draws = 0; result.Count < count && draws < 100 * (count + 10); draws++)
        {
            if (Sample(random) is var example && keys.Add(example.Key))
                result.Add(example);
        }
        return result;
    }

    /// <summary>The training examples of <paramref name="step"/>: a function of the seed and the step alone.</summary>
    public List<Seq2SeqExample> TrainingBatch(long step, int batchSize)
    {
        var random = StepSeeds.For(_seed, StepSeeds.Batch, step);
        var batch = new List<Seq2SeqExample>(batchSize);
        for (var draws = 0; batch.Count < batchSize; draws++)
        {
            if (draws > 1000 * batchSize)
                throw new InvalidOperationException($"The {this} task has almost no sources outside the held-out set; hold out fewer (--held-out) or allow longer sequences.");
            if (Sample(random) is var example && !_heldOutKeys.Contains(example.Key))
                batch.Add(example);
        }
        return batch;
    }

    private long Number(Random random)
    {
        var digits = random.Next(1, OperandDigits + 1);
        var low = digits == 1 ? 0 : (long)Math.Pow(10, digits - 1);
        return random.NextInt64(low, (long)Math.Pow(10, digits));
    }
}

/// <summary>
/// Padded tensors for teacher forcing: source <c>[B, S]</c> "d1 … dn PAD…"; decoder input <c>[B, T]</c>
/// "BOS t1 … tm PAD…"; labels "t1 … tm EOS PAD…"; the padding masks are true at PAD.
/// </summary>
public sealed class Seq2SeqBatch : IDisposable
{
    private Seq2SeqBatch(Tensor source, Tensor decoderInput, Tensor labels)
    {
        (Source, DecoderInput, Labels) = (source, decoderInput, labels);
        SourcePadding = source.eq(Seq2SeqVocabulary.Pad);
        TargetPadding = decoderInput.eq(Seq2SeqVocabulary.Pad);
    }

    public Tensor Source { get; }
    public Tensor SourcePadding { get; }
    public Tensor DecoderInput { get; }
    public Tensor TargetPadding { get; }
    public Tensor Labels { get; }

    public static Seq2SeqBatch Create(IReadOnlyList<Seq2SeqExample> examples)
    {
        if (examples.Count == 0 || examples.Any(e => e.Source.Length == 0))
            throw new ArgumentException("A batch needs examples with non-empty sources.", nameof(examples));
        var (sourceLength, targetLength) = (examples.Max(e => e.Source.Length), examples.Max(e => e.Target.Length) + 1);
        var source = new long[examples.Count, sourceLength];
        var decoderInput = new long[examples.Count, targetLength];
        var labels = new long[examples.Count, targetLength];
        for (var i = 0; i < examples.Count; i++)
        {
            var (s, t) = (examples[i].Source, examples[i].Target);
            for (var j = 0; j < s.Length; j++)
                source[i, j] = s[j];
            decoderInput[i, 0] = Seq2SeqVocabulary.Bos;
            for (var j = 0; j < t.Length; j++)
                (decoderInput[i, j + 1], labels[i, j]) = (t[j], t[j]);
            labels[i, t.Length] = Seq2SeqVocabulary.Eos;
        }
        return new Seq2SeqBatch(tensor(source), tensor(decoderInput), tensor(labels));
    }

    /// <summary>Teacher-forced cross-entropy per predicted token; PAD labels are ignored.</summary>
    public Tensor Loss(Transformer model)
    {
        var logits = model.Forward(Source, DecoderInput, SourcePadding, TargetPadding);
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), Labels.reshape(-1), ignore_index: Seq2SeqVocabulary.Pad);
    }

    public void Dispose()
    {
        foreach (var t in new[] { Source, SourcePadding, DecoderInput, TargetPadding, Labels })
            t.Dispose();
    }
}
