using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
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
/// Reading validates every length against what is left and the checksum before returning, so a truncated or
/// corrupt file is an <see cref="InvalidDataException"/>, never a native crash or a half-loaded model.
/// </summary>
internal static class CheckpointFormat
{
    private const int Version = 1;
    private const int MaxRank = 32;
    private const int MaxNameLength = 4096;
    private const int ChecksumLength = 32;
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

    /// <summary>Reads and verifies a whole checkpoint; <paramref name="name"/> prefixes every error.</summary>
    public static CheckpointContents Read(Stream stream, string name)
    {
        var reader = new Reader(stream, name);
        try
        {
            return reader.ReadAll();
        }
        catch (EndOfStreamException)
        {
            throw Invalid(name, $"the file is truncated: it ends inside {reader.Section}");
        }
        catch (JsonException e)
        {
            throw Invalid(name, $"the JSON header is corrupt ({e.Message})");
        }
    }

    private static InvalidDataException Invalid(string name, FormattableString message) =>
        new($"{name}: {FormattableString.Invariant(message)}");

    /// <summary>One read of one stream; tracks where it is, for the truncation message.</summary>
    private sealed class Reader(Stream stream, string name)
    {
        private readonly HashingStream hashing = new(stream);
        private readonly long? length = stream.CanSeek ? stream.Length - stream.Position : null;

        public string Section { get; private set; } = "the magic number";

        public CheckpointContents ReadAll()
        {
            using var reader = new BinaryReader(hashing, Encoding.UTF8, leaveOpen: true);
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
                throw Invalid(name, $"not a ModelDsl checkpoint: expected it to start with \"MDSLCKPT\" but found {Printable(magic)}");
            Section = "the version";
            var version = reader.ReadInt32();
            if (version != Version)
                throw Invalid(name, $"checkpoint format version {version} is not supported; this build reads version {Version}");

            Section = "the JSON header";
            var headerBytes = ReadExactly(reader, reader.ReadInt32(), "the JSON header");
            var header = JsonSerializer.Deserialize<CheckpointHeader>(headerBytes, Json)
                ?? throw Invalid(name, $"the JSON header is empty");

            Section = "the tensor count";
            var count = reader.ReadInt32();
            if (count < 0 || (length is long l && count > l))
                throw Invalid(name, $"the tensor count {count:N0} is impossible for a file of this size");
            var tensors = new List<StoredTensor>(Math.Min(count, 4096));
            for (var i = 0; i < count; i++)
                tensors.Add(ReadTensor(reader, i));
            var duplicate = tensors.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw Invalid(name, $"tensor '{duplicate.Key}' is stored twice");

            var optimizer = ReadBlob(reader, "the optimizer state");
            var rng = ReadBlob(reader, "the RNG state");
            VerifyChecksum();
            return new CheckpointContents(header, tensors, optimizer, rng);
        }

        private StoredTensor ReadTensor(BinaryReader reader, int index)
        {
            Section = $"the name of tensor #{index}";
            var tensorName = reader.ReadString();
            if (tensorName.Length is 0 or > MaxNameLength || tensorName.Any(char.IsControl))
                throw Invalid(name, $"tensor #{index} has a corrupt name ({tensorName.Length:N0} characters)");
            Section = $"the header of tensor '{tensorName}'";
            var dtype = (ScalarType)reader.ReadInt32();
            var elementSize = StoredTensor.ElementSize(dtype);
            if (elementSize == 0)
                throw Invalid(name, $"tensor '{tensorName}' has unsupported dtype code {(int)dtype}");
            var rank = reader.ReadInt32();
            if (rank < 0 || rank > MaxRank)
                throw Invalid(name, $"tensor '{tensorName}' has impossible rank {rank}");
            var shape = new long[rank];
            var elements = 1L;
            for (var d = 0; d < rank; d++)
            {
                shape[d] = reader.ReadInt64();
                if (shape[d] < 0 || (shape[d] > 0 && elements > long.MaxValue / shape[d] / elementSize))
                    throw Invalid(name, $"tensor '{tensorName}' has impossible size {shape[d]} in dimension {d}");
                elements *= shape[d];
            }
            var byteCount = reader.ReadInt64();
            if (byteCount != elements * elementSize)
                throw Invalid(name, $"tensor '{tensorName}' {dtype} [{string.Join(", ", shape)}] should hold {elements * elementSize:N0} bytes but says {byteCount:N0}");
            Section = $"the data of tensor '{tensorName}'";
            var data = ReadExactly(reader, byteCount, Section);
            return new StoredTensor(tensorName, dtype, shape, data);
        }

        private byte[]? ReadBlob(BinaryReader reader, string what)
        {
            Section = what;
            var n = reader.ReadInt64();
            if (n == -1)
                return null;
            if (n < 0)
                throw Invalid(name, $"{what} has impossible length {n}");
            return ReadExactly(reader, n, what);
        }

        private byte[] ReadExactly(BinaryReader reader, long n, string what)
        {
            var size = CheckLength(n, what);
            var data = reader.ReadBytes(size);
            if (data.Length < size)
                throw new EndOfStreamException();
            return data;
        }

        // Rejects a length that cannot fit in what is left of the file, before allocating for it.
        private int CheckLength(long n, string what)
        {
            var left = length is long l ? l - hashing.Count - ChecksumLength : Array.MaxLength;
            if (n < 0 || n > left || n > Array.MaxLength)
                throw n > left && length is not null
                    ? new EndOfStreamException()
                    : Invalid(name, $"{what} has impossible length {n:N0}");
            return (int)n;
        }

        private void VerifyChecksum()
        {
            Section = "the checksum";
            var computed = hashing.CurrentHash();
            var stored = new byte[ChecksumLength];
            if (stream.ReadAtLeast(stored, ChecksumLength, throwOnEndOfStream: false) < ChecksumLength)
                throw new EndOfStreamException();
            if (!computed.AsSpan().SequenceEqual(stored))
                throw Invalid(name, $"the checksum does not match: the file is corrupt");
            if (stream.ReadByte() != -1)
                throw Invalid(name, $"unexpected data after the checksum");
        }

        private static string Printable(byte[] bytes) =>
            bytes.Length == 0
                ? "an empty file"
                : string.Join(" ", bytes.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
    }
}
