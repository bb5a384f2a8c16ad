using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

public sealed class CharDatasetTests
{
    private static readonly string Text = string.Concat(Enumerable.Repeat("To be, or not to be, that is the question:\n", 40));

    [Fact]
    public void TokenizerUsesSortedDistinctCharactersAndRoundTrips()
    {
        var tokenizer = CharTokenizer.FromText("hello, world");
        Assert.Equal(" ,dehlorw", tokenizer.Vocabulary);
        Assert.Equal(new long[] { 4, 3, 5, 5, 6 }, tokenizer.Encode("hello"));
        Assert.Equal("world", tokenizer.Decode(tokenizer.Encode("world")));

        var e = Assert.Throws<ArgumentException>(() => tokenizer.Encode("hé"));
        Assert.Contains("'é' (U+00E9) at index 1", e.Message);
    }

    [Fact]
    public void SplitsNinetyTen()
    {
        using var data = CharDataset.FromText(Text, blockSize: 8);
        Assert.Equal((int)(Text.Length * 0.9), data.Train.shape[0]);
        Assert.Equal(Text.Length, data.Train.shape[0] + data.Validation.shape[0]);
        Assert.Equal(Text, data.Tokenizer.Decode(data.Train.data<long>().ToArray().Concat(data.Validation.data<long>().ToArray())));
    }

    [Fact]
    public void BatchesFromGeneratorAreDeterministicAndShiftedByOne()
    {
        using var data = CharDataset.FromText(Text, blockSize: 16);
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        var (x1, y1) = data.GetBatch(TextSplit.Train, 4, g1);
        var (x2, y2) = data.GetBatch(TextSplit.Train, 4, g2);
        using (x1) using (y1) using (x2) using (y2)
        {
            Assert.Equal(new long[] { 4, 16 }, x1.shape);
            Assert.True(TensorAssert.Same(x1, x2));
            Assert.True(TensorAssert.Same(y1, y2));
            using var tail = x1[.., 1..];
            using var head = y1[.., ..^1];
            Assert.True(TensorAssert.Same(tail, head));
        }
    }

    [Fact]
    public void BatchesFromSeededRandomAreDeterministic()
    {
        using var data = CharDataset.FromText(Text, blockSize: 8);
        var (x1, y1) = data.GetBatch(TextSplit.Validation, 3, new Random(5));
        var (x2, y2) = data.GetBatch(TextSplit.Validation, 3, new Random(5));
        var (x3, y3) = data.GetBatch(TextSplit.Validation, 3, new Random(6));
        using (x1) using (y1) using (x2) using (y2) using (x3) using (y3)
        {
            Assert.True(TensorAssert.Same(x1, x2));
            Assert.True(TensorAssert.Same(y1, y2));
            Assert.False(TensorAssert.Same(x1, x3));
            // Validation rows come from the validation text.
            var validation = data.Tokenizer.Decode(data.Validation.data<long>().ToArray());
            Assert.Contains(data.Tokenizer.Decode(x1[0].data<long>().ToArray()), validation);
        }
    }

    [Fact]
    public void BlocksTileTheSplitOnceInOrder()
    {
        using var data = CharDataset.FromText(Text, blockSize: 8);
        var validation = data.Validation.data<long>().ToArray();
        var blocks = (validation.Length - 1) / 8;

        var xs = new List<long>();
        var ys = new List<long>();
        var rows = new List<long>();
        foreach (var (x, y) in data.Blocks(TextSplit.Validation, batchSize: 5))
        {
            using (x) using (y)
            {
                Assert.Equal(8, x.shape[1]);
                rows.Add(x.shape[0]);
                xs.AddRange(x.data<long>().ToArray());
                ys.AddRange(y.data<long>().ToArray());
            }
        }

        Assert.Equal(blocks, rows.Sum());
        Assert.All(rows.SkipLast(1), r => Assert.Equal(5, r));
        Assert.Equal(validation.Take(blocks * 8), xs);
        Assert.Equal(validation.Skip(1).Take(blocks * 8), ys);
    }

    [Fact]
    public void EmptyOrShortFilesAreClearErrors()
    {
        using var dir = new TempDirectory();
        var empty = dir.File("empty.txt");
        File.WriteAllText(empty, "");
        var e = Assert.Throws<InvalidDataException>(() => CharDataset.Load(empty, blockSize: 64));
        Assert.StartsWith("empty.txt is empty", e.Message);

        var shortFile = dir.File("short.txt");
        File.WriteAllText(shortFile, new string('a', 300));
        e = Assert.Throws<InvalidDataException>(() => CharDataset.Load(shortFile, blockSize: 64));
        Assert.Equal(
            "short.txt has 300 characters: the 90/10 split leaves 270 for training and 30 for validation, " +
            "but each part needs at least block size + 1 = 65. Use a longer text or a smaller block size.",
            e.Message);
    }

    [Fact]
    public void TinyShakespeareHas65Characters()
    {
        var path = DataPaths.FindUpwards("shared/data/tinyshakespeare.txt");
        if (path is null)
            return; // Only developer and CI machines have ../shared.
        using var data = CharDataset.Load(path, blockSize: 64);
        Assert.Equal(65, data.Tokenizer.VocabularySize);
        Assert.Equal(1_115_394, data.Train.shape[0] + data.Validation.shape[0]);
    }

    /// <summary>A byte that is not UTF-8 once became U+FFFD, a character of the vocabulary, without a word.</summary>
    [Fact]
    public void Text_that_is_not_utf8_is_refused_with_its_offset()
    {
        using var dir = new TempDirectory();
        var path = dir.File("latin1.txt");
        File.WriteAllBytes(path, [.. "\uFEFF"u8, .. System.Text.Encoding.ASCII.GetBytes(new string('a', 300)), 0xE9, .. "tude"u8]);

        var e = Assert.Throws<InvalidDataException>(() => CharDataset.Load(path, blockSize: 8));
        Assert.Equal("latin1.txt is not UTF-8 text: the bytes at offset 303 are not a UTF-8 character.", e.Message);
    }

    [Fact]
    public void Folder_in_place_of_the_file_says_so()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => CharDataset.Load(dir.Path, blockSize: 8));
        Assert.Equal($"'{dir.Path}' is a folder, not a text file.", e.Message);
    }
}
