using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// The checkpoint container, little-endian:
/// <code>
/// "MDSLCKPT" | int32 version | int32 n, n bytes of JSON header
/// int32 count | count × (string name | int32 dtype | int32 rank | rank × int64 | int64 n | n bytes)
/// int64 n, n bytes of optimizer state (n = −1: none) | int64 n, n bytes of RNG state (−1: none)
/// 32 bytes SHA-256 of everything before it
/// </code>
/// Reading checks the magic number and version, which say how to read the rest, then the SHA-256 over the whole
/// file, and only then reads the fields, each against what is left of the file before anything is allocated for
/// it. A truncated, corrupt or forged file is an <see cref="InvalidDataException"/> naming the file and the field.
/// </summary>
internal static class CheckpointFormat
{
    private const int Version = 1;
    private const int MaxRank = 32;
    private const int MaxNameLength = 4096;
    private const int ChecksumLength = 32;
    private const int PreambleLength = 12;

    // The smallest tensor record: a one-byte name length, dtype, rank and byte count.
    private const int MinTensorRecord = 1 + 4 + 4 + 8;
    private static readonly byte[] Magic = "MDSLCKPT"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new()
    {
        // Loss histories may hold the NaN that stopped a run.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write(Stream stream, CheckpointContents contents)
    {
        using var hashing = new HashingStream(stream);
        using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            var header = JsonSerializer.SerializeToUtf8Bytes(contents.Header, Json);
            writer.Write(header.Length);
            writer.Write(header);
            writer.Write(contents.Tensors.Count);
            foreach (var t in contents.Tensors)
            {
                writer.Write(t.Name);
                writer.Write((int)t.DType);
                writer.Write(t.Shape.Length);
                foreach (var size in t.Shape)
                    writer.Write(size);
                writer.Write((long)t.Data.Length);
                writer.Write(t.Data);
            }
            WriteBlob(writer, contents.OptimizerState);
            WriteBlob(writer, contents.RngState);
        }
        stream.Write(hashing.CurrentHash());
    }

    private static void WriteBlob(BinaryWriter writer, byte[]? blob)
    {
        writer.Write(blob is null ? -1L : blob.Length);
        if (blob is not null)
            writer.Write(blob);
    }

    /// <summary>Reads and verifies a whole checkpoint; <paramref name="name"/> starts every error.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt, forged or not a checkpoint.</exception>
    public static CheckpointContents Read(Stream stream, string name)
    {
        // The checksum comes last and is checked before any field is trusted: a file is read twice, a stream that
        // cannot seek is first copied into memory.
        var file = stream.CanSeek ? stream : Buffer(stream);
        var start = file.Position;
        var end = file.Length;
        CheckPreamble(file, end, name);
        if (!ChecksumMatches(file, start, end))
        {
            file.Position = start;
            throw Diagnose(new BoundedReader(file, end), name);
        }
        file.Position = start;
        var reader = new BoundedReader(file, end - ChecksumLength);
        try
        {
            var contents = Parse(reader, name);
            if (reader.Remaining != 0)
                throw Invalid(name, $"the file has {reader.Remaining:N0} unexpected bytes between the RNG state and the checksum");
            return contents;
        }
        catch (EndOfStreamException)
        {
            throw Invalid(name, $"the file is truncated: it ends inside {reader.Section}");
        }
    }

    private static MemoryStream Buffer(Stream stream)
    {
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;
        return buffer;
    }

    // The magic number says whether this is a checkpoint at all, the version how the rest is laid out.
    private static void CheckPreamble(Stream file, long end, string name)
    {
        var length = (int)Math.Min(end - file.Position, PreambleLength);
        var preamble = new byte[length];
        file.ReadExactly(preamble);
        var magic = preamble.AsSpan(0, Math.Min(length, Magic.Length));
        if (length > 0 && length < Magic.Length && Magic.AsSpan().StartsWith(magic))
            throw Invalid(name, $"the file is truncated: it ends inside the magic number");
        if (!magic.SequenceEqual(Magic))
            throw Invalid(name, $"not a ModelDsl checkpoint: expected it to start with \"MDSLCKPT\" but found {Printable(magic)}");
        if (length < PreambleLength)
            throw Invalid(name, $"the file is truncated: it ends inside the version");
        var version = BinaryPrimitives.ReadInt32LittleEndian(preamble.AsSpan(Magic.Length));
        if (version != Version)
            throw Invalid(name, $"checkpoint format version {version} is not supported; this build reads version {Version}");
    }

    private static bool ChecksumMatches(Stream file, long start, long end)
    {
        if (end - start < PreambleLength + ChecksumLength)
            return false;
        file.Position = start;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        for (var left = end - start - ChecksumLength; left > 0;)
        {
            var n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0)
                return false;
            hash.AppendData(buffer, 0, n);
            left -= n;
        }
        var stored = new byte[ChecksumLength];
        file.ReadExactly(stored);
        return hash.GetCurrentHash().AsSpan().SequenceEqual(stored);
    }

    // The checksum failed: say whether the file is cut short (reading its fields as far as they go, without trusting
    // them for anything but this message), has bytes after its end, or is corrupt.
    private static InvalidDataException Diagnose(BoundedReader reader, string name)
    {
        try
        {
            Parse(reader, name);
        }
        catch (EndOfStreamException)
        {
            return Invalid(name, $"the file is truncated: it ends inside {reader.Section}");
        }
        catch (InvalidDataException)
        {
            return Invalid(name, $"the checksum does not match: the file is corrupt");
        }
        return reader.Remaining switch
        {
            < ChecksumLength => Invalid(name, $"the file is truncated: it ends inside the checksum"),
            > ChecksumLength => Invalid(name, $"the file has {reader.Remaining - ChecksumLength:N0} unexpected bytes after its checksum"),
            _ => Invalid(name, $"the checksum does not match: the file is corrupt"),
        };
    }

    // Reads every field after the preamble; each length is checked against what is left before it is used.
    private static CheckpointContents Parse(BoundedReader reader, string name)
    {
        reader.Skip(PreambleLength);
        reader.Section = "the JSON header";
        var headerLength = reader.Int32();
        if (headerLength < 0)
            throw Invalid(name, $"the JSON header has impossible length {headerLength:N0}");
        var header = ReadHeader(reader.Bytes(headerLength), name);

        reader.Section = "the tensor count";
        var count = reader.Int32();
        if (count < 0 || count > reader.Remaining / MinTensorRecord)
            throw Invalid(name, $"the tensor count {count:N0} is impossible for a file of this size");
        var tensors = new List<StoredTensor>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var tensor = ReadTensor(reader, name, i);
            if (!names.Add(tensor.Name))
                throw Invalid(name, $"tensor '{tensor.Name}' is stored twice");
            tensors.Add(tensor);
        }

        var optimizer = ReadBlob(reader, name, "the optimizer state");
        var rng = ReadBlob(reader, name, "the RNG state");
        if ((header.OptimizerType is null) != (optimizer is null))
            throw Invalid(name, $"the JSON header's OptimizerType and the optimizer state disagree on whether there is one");
        return new CheckpointContents(header, tensors, optimizer, rng);
    }

    private static CheckpointHeader ReadHeader(byte[] bytes, string name)
    {
        CheckpointHeader? header;
        try
        {
            header = JsonSerializer.Deserialize<CheckpointHeader>(bytes, Json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            // InvalidOperationException: a string escape that is not UTF-16 (a lone surrogate such as "\ud800").
            throw Invalid(name, $"the JSON header is corrupt ({e.Message})");
        }
        if (header is null)
            throw Invalid(name, $"the JSON header is empty");
        if (string.IsNullOrEmpty(header.ModelType))
            throw Invalid(name, $"the JSON header has no ModelType");
        if (header.Step < 0)
            throw Invalid(name, $"the JSON header's Step is negative ({header.Step:N0})");
        if (header.Properties?.Values.Any(v => v is null) == true)
            throw Invalid(name, $"the JSON header's Properties hold a null value");
        if ((header.OptimizerType is null) != (header.OptimizerParameterShapes is null))
            throw Invalid(name, $"the JSON header has {(header.OptimizerType is null ? "OptimizerParameterShapes without an OptimizerType" : "an OptimizerType without OptimizerParameterShapes")}");
        var shapes = header.OptimizerParameterShapes ?? [];
        for (var i = 0; i < shapes.Count; i++)
        {
            if (shapes[i] is null || shapes[i].Length > MaxRank || shapes[i].Any(size => size < 0))
                throw Invalid(name, $"the JSON header's OptimizerParameterShapes[{i}] is not a shape");
        }
        return header;
    }

    private static StoredTensor ReadTensor(BoundedReader reader, string name, int index)
    {
        reader.Section = $"the name of tensor #{index}";
        var tensorName = reader.String(MaxNameLength);
        if (tensorName is null || tensorName.Length == 0 || tensorName.Any(char.IsControl))
            throw Invalid(name, $"tensor #{index} has a corrupt name");
        reader.Section = $"the header of tensor '{tensorName}'";
        var dtype = (ScalarType)reader.Int32();
        var elementSize = StoredTensor.ElementSize(dtype);
        if (elementSize == 0)
            throw Invalid(name, $"tensor '{tensorName}' has unsupported dtype code {(int)dtype}");
        var rank = reader.Int32();
        if (rank < 0 || rank > MaxRank)
            throw Invalid(name, $"tensor '{tensorName}' has impossible rank {rank}");
        var shape = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            shape[d] = reader.Int64();
            if (shape[d] < 0)
                throw Invalid(name, $"tensor '{tensorName}' has negative size {shape[d]:N0} in dimension {d}");
        }
        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (product, size) => product * size) * elementSize);
        }
        catch (OverflowException)
        {
            throw Invalid(name, $"tensor '{tensorName}' has impossible shape [{string.Join(", ", shape)}]");
        }
        var byteCount = reader.Int64();
        if (byteCount != expected)
            throw Invalid(name, $"tensor '{tensorName}' {dtype} [{string.Join(", ", shape)}] should hold {expected:N0} bytes but says {byteCount:N0}");
        if (byteCount > Array.MaxLength)
            throw Invalid(name, $"tensor '{tensorName}' has {byteCount:N0} bytes, more than one array can hold");
        reader.Section = $"the data of tensor '{tensorName}'";
        return new StoredTensor(tensorName, dtype, shape, reader.Bytes(byteCount));
    }

    private static byte[]? ReadBlob(BoundedReader reader, string name, string what)
    {
        reader.Section = what;
        var length = reader.Int64();
        if (length == -1)
            return null;
        if (length < 0)
            throw Invalid(name, $"{what} has impossible length {length:N0}");
        if (length > reader.Remaining)
            throw new EndOfStreamException();
        if (length > Array.MaxLength)
            throw Invalid(name, $"{what} has {length:N0} bytes, more than one array can hold");
        return reader.Bytes(length);
    }

    private static InvalidDataException Invalid(string name, FormattableString message) =>
        new($"{name}: {FormattableString.Invariant(message)}");

    private static string Printable(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 0
            ? "an empty file"
            : string.Join(" ", bytes.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
}
