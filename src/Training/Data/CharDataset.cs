using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using ModelDsl.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// A plain-text corpus as token ids, split into train (first part) and validation (the rest), served as random
/// <c>[B, T]</c> blocks with targets shifted by one, as nanoGPT's <c>get_batch</c>.
/// </summary>
public sealed class CharDataset : IDisposable
{
    private CharDataset(CharTokenizer tokenizer, int blockSize, Tensor train, Tensor validation)
    {
        Tokenizer = tokenizer;
        BlockSize = blockSize;
        Train = train;
        Validation = validation;
    }

    /// <summary>The character vocabulary of the whole corpus.</summary>
    public CharTokenizer Tokenizer { get; }

    /// <summary>The context length T of each batch row.</summary>
    public int BlockSize { get; }

    /// <summary>The training token ids, <c>[n]</c> int64.</summary>
    public Tensor Train { get; }

    /// <summary>The validation token ids, <c>[m]</c> int64.</summary>
    public Tensor Validation { get; }

    /// <summary>Reads a UTF-8 text file.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/> (or a folder is there).</exception>
    /// <exception cref="InvalidDataException">The file is not UTF-8, is empty, or is too short for <paramref name="blockSize"/>.</exception>
    public static CharDataset Load(string path, int blockSize, double trainFraction = 0.9)
    {
        var name = Path.GetFileName(path);
        byte[] bytes;
        using (var file = InputFile.OpenRead(path, "a text"))
        {
            if (file.Length > Array.MaxLength)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{name} has {file.Length:N0} bytes, more than one string can hold."));
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }
        return FromText(DecodeUtf8(bytes, name), blockSize, trainFraction, name);
    }

    // Strict: a byte that is not UTF-8 would otherwise become U+FFFD, a character of the vocabulary.
    private static string DecodeUtf8(byte[] bytes, string name)
    {
        var body = bytes.AsSpan();
        if (body.StartsWith(Encoding.UTF8.Preamble))
            body = body[Encoding.UTF8.Preamble.Length..];
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{name} is not UTF-8 text: the bytes at offset {(long)e.Index + bytes.Length - body.Length:N0} are not a UTF-8 character."), e);
        }
    }

    /// <summary>Builds the dataset from text already in memory; <paramref name="name"/> appears in messages.</summary>
    /// <exception cref="InvalidDataException">The text is empty or a split is shorter than <paramref name="blockSize"/> + 1.</exception>
    public static CharDataset FromText(string text, int blockSize, double trainFraction = 0.9, string name = "text")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        if (trainFraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "The train fraction must lie strictly between 0 and 1.");
        var need = blockSize + 1;
        if (text.Length == 0)
            throw new InvalidDataException($"{name} is empty; a character dataset needs text (at least block size + 1 = {need} characters per split).");

        var trainLength = (int)(text.Length * trainFraction);
        var validationLength = text.Length - trainLength;
        if (Math.Min(trainLength, validationLength) < need)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{name} has {text.Length:N0} characters: the {trainFraction * 100:0.#}/{(1 - trainFraction) * 100:0.#} split leaves {trainLength:N0} for training and {validationLength:N0} for validation, " +
                $"but each part needs at least block size + 1 = {need:N0}. Use a longer text or a smaller block size."));

        var tokenizer = CharTokenizer.FromText(text);
        var ids = tokenizer.Encode(text);
        var train = tensor(ids.AsSpan(0, trainLength).ToArray());
        var validation = tensor(ids.AsSpan(trainLength).ToArray());
        return new CharDataset(tokenizer, blockSize, train, validation);
    }

    /// <summary>
    /// A batch <c>(x, y)</c> of <c>[batchSize, BlockSize]</c> int64 blocks at offsets drawn from
    /// <paramref name="generator"/>; <c>y</c> is <c>x</c> shifted one token ahead. The caller disposes both.
    /// </summary>
    public (Tensor X, Tensor Y) GetBatch(TextSplit split, int batchSize, Generator generator, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var data = Data(split);
        using var starts = randint(data.shape[0] - BlockSize, [batchSize], ScalarType.Int64, generator: generator);
        return Gather(data, starts, device);
    }

    /// <summary>As <see cref="GetBatch(TextSplit, int, Generator, Device?)"/>, with offsets drawn from <paramref name="random"/>.</summary>
    public (Tensor X, Tensor Y) GetBatch(TextSplit split, int batchSize, Random random, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var data = Data(split);
        var offsets = new long[batchSize];
        for (var i = 0; i < batchSize; i++)
            offsets[i] = random.NextInt64(data.shape[0] - BlockSize);
        using var starts = tensor(offsets);
        return Gather(data, starts, device);
    }

    /// <summary>
    /// The split cut into consecutive, non-overlapping blocks (a tail shorter than a block is left out), served
    /// <paramref name="batchSize"/> blocks at a time (the last batch may be smaller). A loss over all of them is the
    /// split's exact loss, where <see cref="GetBatch(TextSplit, int, Generator, Device?)"/> samples it. The caller
    /// disposes each pair.
    /// </summary>
    public IEnumerable<(Tensor X, Tensor Y)> Blocks(TextSplit split, int batchSize, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var data = Data(split);
        // Block j reads x at jT … jT + T − 1 and y one further on, so it needs jT + T < length.
        var count = (data.shape[0] - 1) / BlockSize;
        for (long first = 0; first < count; first += batchSize)
        {
            using var index = arange(first, Math.Min(first + batchSize, count), dtype: ScalarType.Int64);
            using var starts = index * BlockSize;
            yield return Gather(data, starts, device);
        }
    }

    private Tensor Data(TextSplit split) => split == TextSplit.Train ? Train : Validation;

    private (Tensor X, Tensor Y) Gather(Tensor data, Tensor starts, Device? device)
    {
        using var scope = NewDisposeScope();
        // Row b holds positions starts[b] … starts[b] + T − 1; y reads one further on.
        var positions = starts.unsqueeze(1) + arange(BlockSize, dtype: ScalarType.Int64).unsqueeze(0);
        var x = take(data, positions);
        var y = take(data, positions + 1);
        if (device is not null)
        {
            x = x.to(device);
            y = y.to(device);
        }
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
