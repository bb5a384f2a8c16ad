using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Samples.Seq2Seq;

/// <summary>
/// Draws examples of one synthetic task. <c>reverse</c> and <c>sort</c> use digit strings of
/// <see cref="MinLength"/>–<see cref="MaxLength"/> digits; <c>add</c> uses two numbers of 1–<see cref="OperandDigits"/>
/// digits each (no leading zeros), so that "a+b" is at most <see cref="MaxLength"/> tokens, and targets their sum.
/// </summary>
public sealed class Seq2SeqTask
{
    /// <summary>Creates a task; lengths count source digits.</summary>
    public Seq2SeqTask(Seq2SeqTaskKind kind, int minLength = 3, int maxLength = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 1);
        if (maxLength < minLength)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"must be at least the minimum length {minLength}");
        if (kind == Seq2SeqTaskKind.Add && maxLength < 3)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "add needs room for \"a+b\": at least 3");
        (Kind, MinLength, MaxLength) = (kind, minLength, maxLength);
        OperandDigits = Math.Min(9, Math.Max(1, (maxLength - 1) / 2));
    }

    /// <summary>Which task.</summary>
    public Seq2SeqTaskKind Kind { get; }

    /// <summary>The shortest digit string (reverse, sort).</summary>
    public int MinLength { get; }

    /// <summary>The longest source.</summary>
    public int MaxLength { get; }

    /// <summary>The most digits of an operand of <c>add</c>.</summary>
    public int OperandDigits { get; }

    /// <summary>The longest source in tokens.</summary>
    public int MaxSourceLength => Kind == Seq2SeqTaskKind.Add ? 2 * OperandDigits + 1 : MaxLength;

    /// <summary>The longest target in tokens, without EOS.</summary>
    public int MaxTargetLength => Kind == Seq2SeqTaskKind.Add ? OperandDigits + 1 : MaxLength;

    /// <summary>Draws one example.</summary>
    public Seq2SeqExample Sample(Random random)
    {
        switch (Kind)
        {
            case Seq2SeqTaskKind.Reverse:
            {
                var source = Digits(random);
                return new Seq2SeqExample(source, source.Reverse().ToArray());
            }
            case Seq2SeqTaskKind.Sort:
            {
                var source = Digits(random);
                return new Seq2SeqExample(source, source.Order().ToArray());
            }
            case Seq2SeqTaskKind.Add:
            {
                var a = Number(random);
                var b = Number(random);
                return new Seq2SeqExample(Seq2SeqVocabulary.Encode($"{a}+{b}"), Seq2SeqVocabulary.Encode((a + b).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            default:
                throw new InvalidOperationException($"Unknown task {Kind}.");
        }
    }

    /// <summary>
    /// <paramref name="count"/> distinct examples (by source) from <paramref name="random"/>; fewer when the task has
    /// fewer distinct sources than asked for within a generous number of draws.
    /// </summary>
    public List<Seq2SeqExample> DistinctSamples(int count, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new List<Seq2SeqExample>(count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var draws = 0; result.Count < count && draws < 100 * (count + 10); draws++)
        {
            var example = Sample(random);
            if (keys.Add(example.Key))
                result.Add(example);
        }

        return result;
    }

    /// <summary>The task's name on the command line.</summary>
    public override string ToString() => Kind.ToString().ToLowerInvariant();

    private long[] Digits(Random random)
    {
        var length = random.Next(MinLength, MaxLength + 1);
        var digits = new long[length];
        for (var i = 0; i < length; i++)
            digits[i] = Seq2SeqVocabulary.Digit(random.Next(10));
        return digits;
    }

    private long Number(Random random)
    {
        var digits = random.Next(1, OperandDigits + 1);
        var low = digits == 1 ? 0 : Pow10(digits - 1);
        return random.NextInt64(low, Pow10(digits));
    }

    private static long Pow10(int exponent)
    {
        var value = 1L;
        for (var i = 0; i < exponent; i++)
            value *= 10;
        return value;
    }
}
