using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace ModelDsl.Data;

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or raw, detected by the gzip magic
/// bytes rather than the file name. Every way a file can be wrong ends in an <see cref="InvalidDataException"/>
/// naming the file, what was expected and what was found.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;
    private const int MaxRank = 8;

    /// <summary>Reads an IDX file of unsigned bytes.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <param name="expectedRank">When given, a file of another rank is rejected (3 for images, 1 for labels).</param>
    /// <exception cref="InvalidDataException">The file is not a complete, well-formed IDX file of bytes.</exception>
    public static IdxData Read(string path, int? expectedRank = null)
    {
        var name = Path.GetFileName(path);
        using var file = File.OpenRead(path);
        var gzip = IsGzip(file);
        using var stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        try
        {
            return Read(stream, name, expectedRank);
        }
        catch (InvalidDataException e) when (gzip && !e.Message.StartsWith(name + ":", StringComparison.Ordinal))
        {
            // GZipStream's own errors do not say which file was being read.
            throw new InvalidDataException($"{name}: the gzip data is truncated or corrupt ({e.Message})", e);
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    private static IdxData Read(Stream stream, string name, int? expectedRank)
    {
        Span<byte> magic = stackalloc byte[4];
        var got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw Invalid(name, $"expected a 4-byte IDX magic number but the file ends after {got:N0} bytes");
        if (magic[0] != 0 || magic[1] != 0)
            throw Invalid(name, $"not an IDX file: expected the magic number to start 00 00 but found {Hex(magic)}");
        if (magic[2] != UnsignedByteType)
            throw Invalid(name, $"expected element type 0x08 (unsigned byte) but found 0x{magic[2]:X2} ({TypeName(magic[2])})");
        int rank = magic[3];
        if (rank < 1 || rank > MaxRank)
            throw Invalid(name, $"expected a rank between 1 and {MaxRank} but the header says {rank}");
        if (expectedRank is int want && rank != want)
            throw Invalid(name, $"expected rank {want} ({Describe(want)}) but the header says rank {rank}");

        var dims = ReadDimensions(stream, name, rank);
        var total = dims.Aggregate(1L, (a, d) => a * d);
        if (total > Array.MaxLength)
            throw Invalid(name, $"the header's dimensions {string.Join("×", dims)} describe {total:N0} bytes, more than one array can hold");

        var data = new byte[total];
        var read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < data.Length)
            throw Invalid(name, $"expected {total:N0} bytes of {PayloadDescription(dims)} but the file ends after {read:N0}");
        var extra = CountRemaining(stream);
        if (extra > 0)
            throw Invalid(name, $"expected {total:N0} bytes of {PayloadDescription(dims)} but the file has {extra:N0} more bytes after them");
        return new IdxData(name, dims, data);
    }

    private static int[] ReadDimensions(Stream stream, string name, int rank)
    {
        var header = new byte[4 * rank];
        var got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
            throw Invalid(name, $"expected {rank} dimension sizes ({header.Length} bytes) after the magic number but the file ends after {got:N0}");
        var dims = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            // Big-endian signed; a size above 2^31 reads negative and is rejected with the rest.
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * i));
            if (dims[i] < 0)
                throw Invalid(name, $"expected non-negative dimension sizes but dimension {i} is {(uint)dims[i]:N0}");
        }
        return dims;
    }

    private static long CountRemaining(Stream stream)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            total += n;
        return total;
    }

    private static string PayloadDescription(IReadOnlyList<int> dims) => dims.Count switch
    {
        1 => "labels",
        3 => $"pixels for {dims[0]:N0} images of {dims[1]}×{dims[2]}",
        _ => $"data for a {string.Join("×", dims)} array",
    };

    private static string Describe(int rank) => rank switch
    {
        1 => "labels: N",
        3 => "images: N×height×width",
        _ => $"{rank} dimensions",
    };

    private static string TypeName(byte code) => code switch
    {
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX type",
    };

    private static string Hex(ReadOnlySpan<byte> bytes) =>
        string.Join(" ", bytes.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    // Invariant so that counts read "7,056,000" whatever the machine's culture.
    private static InvalidDataException Invalid(string name, FormattableString message) =>
        new($"{name}: {FormattableString.Invariant(message)}");
}
