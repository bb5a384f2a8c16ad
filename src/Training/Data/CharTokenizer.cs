using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelDsl.Data;

/// <summary>
/// A character-level tokenizer (nanoGPT's shakespeare_char): token <c>i</c> is the <c>i</c>-th character of
/// <see cref="Vocabulary"/>. Characters are UTF-16 code units.
/// </summary>
public sealed class CharTokenizer
{
    private readonly Dictionary<char, int> ids;

    /// <summary>A tokenizer over exactly these characters, in this order (e.g. restored from a checkpoint).</summary>
    /// <exception cref="ArgumentException">The vocabulary is empty or repeats a character.</exception>
    public CharTokenizer(string vocabulary)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabulary);
        ids = new Dictionary<char, int>(vocabulary.Length);
        for (var i = 0; i < vocabulary.Length; i++)
        {
            if (!ids.TryAdd(vocabulary[i], i))
                throw new ArgumentException($"The vocabulary repeats {Describe(vocabulary[i])}.", nameof(vocabulary));
        }
        Vocabulary = vocabulary;
    }

    /// <summary>The tokenizer for a corpus: its distinct characters in ordinal order.</summary>
    public static CharTokenizer FromText(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var distinct = text.Distinct().Order().ToArray();
        return new CharTokenizer(new string(distinct));
    }

    /// <summary>The characters, one per token id.</summary>
    public string Vocabulary { get; }

    /// <summary>The number of tokens.</summary>
    public int VocabularySize => Vocabulary.Length;

    /// <summary>The token ids of <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">A character is not in the vocabulary.</exception>
    public long[] Encode(string text)
    {
        var result = new long[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (!ids.TryGetValue(text[i], out var id))
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{Describe(text[i])} at index {i:N0} is not in the vocabulary of {VocabularySize} characters."),
                    nameof(text));
            result[i] = id;
        }
        return result;
    }

    /// <summary>The text of token ids.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(IEnumerable<long> tokens)
    {
        var text = new StringBuilder();
        foreach (var id in tokens)
        {
            if (id < 0 || id >= VocabularySize)
                throw new ArgumentOutOfRangeException(nameof(tokens), id, $"Token ids run from 0 to {VocabularySize - 1}.");
            text.Append(Vocabulary[(int)id]);
        }
        return text.ToString();
    }

    private static string Describe(char c) =>
        string.Create(CultureInfo.InvariantCulture, $"character {(char.IsControl(c) ? "" : $"'{c}' ")}(U+{(int)c:X4})");
}
