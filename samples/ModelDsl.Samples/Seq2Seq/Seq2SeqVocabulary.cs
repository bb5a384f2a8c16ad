using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Samples.Seq2Seq;

/// <summary>
/// The tokens of the synthetic sequence tasks: PAD 0, BOS 1, EOS 2, the digits 0–9 as 3–12 and '+' as 13.
/// </summary>
public static class Seq2SeqVocabulary
{
    /// <summary>Padding; ignored by the loss and masked in attention.</summary>
    public const long Pad = 0;

    /// <summary>Starts every decoder input.</summary>
    public const long Bos = 1;

    /// <summary>Ends every target.</summary>
    public const long Eos = 2;

    /// <summary>The token of digit 0; digit d is <c>FirstDigit + d</c>.</summary>
    public const long FirstDigit = 3;

    /// <summary>The addition sign of the <c>add</c> task.</summary>
    public const long Plus = 13;

    /// <summary>The number of tokens.</summary>
    public const int Size = 14;

    /// <summary>The token of decimal digit <paramref name="digit"/> (0–9).</summary>
    public static long Digit(int digit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digit, 9);
        return FirstDigit + digit;
    }

    /// <summary>True for the tokens of the digits 0–9.</summary>
    public static bool IsDigit(long token) => token >= FirstDigit && token < FirstDigit + 10;

    /// <summary>The tokens of a string of digits and '+'.</summary>
    public static long[] Encode(string text) => text.Select(c => c switch
    {
        >= '0' and <= '9' => Digit(c - '0'),
        '+' => Plus,
        _ => throw new ArgumentException($"'{c}' is not in the vocabulary (digits and '+').", nameof(text)),
    }).ToArray();

    /// <summary>Readable text: digits and '+' as themselves, the special tokens as ·, ^ and $; stops after EOS when asked.</summary>
    public static string Decode(IEnumerable<long> tokens, bool stopAtEos = false)
    {
        var text = new StringBuilder();
        foreach (var token in tokens)
        {
            if (stopAtEos && token == Eos)
                break;
            text.Append(token switch
            {
                Pad => '·',
                Bos => '^',
                Eos => '$',
                Plus => '+',
                _ when IsDigit(token) => (char)('0' + (token - FirstDigit)),
                _ => '?',
            });
        }

        return text.ToString();
    }
}
