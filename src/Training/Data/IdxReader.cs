using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using ModelDsl.IO;

namespace ModelDsl.Data;

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or raw, detected by the gzip magic
/// bytes rather than the file name. Every way a file can be wrong ends in an <see cref="InvalidDataException"/>
/// naming the file, what was expected and what was found.
/// </summary>
/// <remarks>
/// Nothing is allocated for the payload before the bytes are there: a raw file's header is checked against the
/// file's length, and a gzip file's payload grows as it is decompressed, so a forged header costs what the file
/// holds, not what the header claims. A gzip file must be one member, whole: its trailer's CRC-32 and length must
/// match the data (.NET's <see cref="GZipStream"/> accepts a file cut before its trailer or followed by junk).
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;
    private const int MaxRank = 8;

    /// <summary>Reads an IDX file of unsigned bytes.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <param name="expectedRank">When given, a file of another rank is rejected (3 for images, 1 for labels).</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/> (or a folder is there).</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, well-formed IDX file of bytes.</exception>
    public static IdxData Read(string path, int? expectedRank = null)
    {
        var name = Path.GetFileName(path);
        using var file = InputFile.OpenRead(path, "an IDX");
        return IsGzip(file) ? ReadGzip(file, name, expectedRank) : Read(file, name, expectedRank, file.Length);
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    private static IdxData ReadGzip(FileStream file, string name, int? expectedRank)
    {
        using var member = GzipMember.Open(file, name);
        try
        {
            var data = Read(member, name, expectedRank, available: null);
            member.VerifyEnd();
            return data;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(name + ":", StringComparison.Ordinal))
        {
            // DeflateStream's own errors do not say which file was being read.
            throw Invalid(name, $"the gzip data is truncated or corrupt ({e.Message})", e);
        }
    }

    // available: the bytes left in a raw file, to check the header against before allocating; null for a gzip stream.
    private static IdxData Read(Stream stream, string name, int? expectedRank, long? available)
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
        long total;
        try
        {
            total = checked(dims.Aggregate(1L, (a, d) => a * d));
        }
        catch (OverflowException)
        {
            throw Invalid(name, $"the header's dimensions {string.Join("×", dims)} describe more bytes than a file can hold");
        }
        if (total > Array.MaxLength)
            throw Invalid(name, $"the header's dimensions {string.Join("×", dims)} describe {total:N0} bytes, more than one array can hold");
        var left = available - 4 - 4L * rank;
        if (left < total)
            throw Invalid(name, $"expected {total:N0} bytes of {PayloadDescription(dims)} but the file ends after {left:N0}");

        var data = ReadPayload(stream, (int)total, exact: left is not null);
        if (data.Length < total)
            throw Invalid(name, $"expected {total:N0} bytes of {PayloadDescription(dims)} but the file ends after {data.Length:N0}");
        var extra = CountRemaining(stream);
        if (extra > 0)
            throw Invalid(name, $"expected {total:N0} bytes of {PayloadDescription(dims)} but the file has {extra:N0} more bytes after them");
        return new IdxData(name, dims, data);
    }

    // Up to total bytes, fewer when the stream ends first. Unless the length is known to be there (exact), the
    // buffer grows with what arrives, so that a header's claim alone allocates nothing.
    private static byte[] ReadPayload(Stream stream, int total, bool exact)
    {
        var data = new byte[exact ? total : Math.Min(total, 1 << 20)];
        var filled = 0;
        while (filled < total)
        {
            if (filled == data.Length)
                Array.Resize(ref data, (int)Math.Min(total, 2L * data.Length));
            var n = stream.Read(data, filled, data.Length - filled);
            if (n == 0)
                break;
            filled += n;
        }
        if (filled < data.Length)
            Array.Resize(ref data, filled);
        return data;
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
    private static InvalidDataException Invalid(string name, FormattableString message, Exception? inner = null) =>
        new($"{name}: {FormattableString.Invariant(message)}", inner);
}
