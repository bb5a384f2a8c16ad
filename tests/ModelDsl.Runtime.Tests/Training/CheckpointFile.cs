using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// A checkpoint taken apart by its documented layout, independently of the runtime's reader, to be edited and
/// written back with a fresh SHA-256, as a hand-crafted file would be:
/// <c>"MDSLCKPT" | int32 version | int32 n, JSON | int32 count | count × (string name | int32 dtype | int32 rank |
/// rank × int64 | int64 n, bytes) | int64 n, optimizer state | int64 n, RNG state | SHA-256</c>.
/// </summary>
internal sealed class CheckpointFile
{
    public const int ChecksumLength = 32;

    /// <summary>One stored tensor.</summary>
    public sealed record Tensor(string Name, int DType, long[] Shape, byte[] Data);

    /// <summary>A field's place in the file, for mutations aimed at it.</summary>
    public sealed record Field(string Name, int Offset, int Length);

    public int Version { get; set; }

    public byte[] Header { get; set; } = [];

    public List<Tensor> Tensors { get; } = [];

    public byte[]? Optimizer { get; set; }

    public byte[]? Rng { get; set; }

    /// <summary>Where each field of the parsed file was: length prefixes, counts, dtypes, shapes, blobs.</summary>
    public List<Field> Fields { get; } = [];

    public static CheckpointFile Parse(byte[] bytes)
    {
        var file = new CheckpointFile();
        var at = 8;
        file.Version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        file.Fields.Add(new("version", at, 4));
        at += 4;
        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        file.Fields.Add(new("header length", at, 4));
        at += 4;
        file.Header = bytes.AsSpan(at, headerLength).ToArray();
        file.Fields.Add(new("header", at, headerLength));
        at += headerLength;
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        file.Fields.Add(new("tensor count", at, 4));
        at += 4;
        for (var i = 0; i < count; i++)
        {
            // BinaryWriter's string: a 7-bit-encoded length (one byte for these names), then UTF-8.
            var nameLength = bytes[at];
            file.Fields.Add(new($"tensor {i} name length", at, 1));
            var name = Encoding.UTF8.GetString(bytes, at + 1, nameLength);
            file.Fields.Add(new($"tensor {i} name", at + 1, nameLength));
            at += 1 + nameLength;
            var dtype = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            file.Fields.Add(new($"tensor {i} dtype", at, 4));
            var rank = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4));
            file.Fields.Add(new($"tensor {i} rank", at + 4, 4));
            at += 8;
            var shape = new long[rank];
            for (var d = 0; d < rank; d++)
            {
                shape[d] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at));
                file.Fields.Add(new($"tensor {i} size {d}", at, 8));
                at += 8;
            }
            var length = (int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at));
            file.Fields.Add(new($"tensor {i} byte count", at, 8));
            at += 8;
            file.Fields.Add(new($"tensor {i} data", at, length));
            file.Tensors.Add(new(name, dtype, shape, bytes.AsSpan(at, length).ToArray()));
            at += length;
        }
        file.Optimizer = ReadBlob(bytes, ref at, "optimizer", file.Fields);
        file.Rng = ReadBlob(bytes, ref at, "rng", file.Fields);
        file.Fields.Add(new("checksum", at, ChecksumLength));
        if (at + ChecksumLength != bytes.Length)
            throw new InvalidDataException("Not a checkpoint this helper understands.");
        return file;
    }

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("MDSLCKPT"u8);
            writer.Write(Version);
            writer.Write(Header.Length);
            writer.Write(Header);
            writer.Write(Tensors.Count);
            foreach (var t in Tensors)
            {
                writer.Write(t.Name);
                writer.Write(t.DType);
                writer.Write(t.Shape.Length);
                foreach (var size in t.Shape)
                    writer.Write(size);
                writer.Write((long)t.Data.Length);
                writer.Write(t.Data);
            }
            WriteBlob(writer, Optimizer);
            WriteBlob(writer, Rng);
        }
        buffer.Write(SHA256.HashData(buffer.ToArray()));
        return buffer.ToArray();
    }

    /// <summary><paramref name="bytes"/> with its last 32 bytes replaced by the SHA-256 of the rest.</summary>
    public static byte[] Reseal(byte[] bytes)
    {
        var sealedBytes = (byte[])bytes.Clone();
        if (sealedBytes.Length >= ChecksumLength)
            SHA256.HashData(sealedBytes.AsSpan(0, sealedBytes.Length - ChecksumLength), sealedBytes.AsSpan(sealedBytes.Length - ChecksumLength));
        return sealedBytes;
    }

    public Tensor this[string name] => Tensors.Find(t => t.Name == name) ?? throw new KeyNotFoundException(name);

    public void Replace(string name, Tensor tensor) => Tensors[Tensors.FindIndex(t => t.Name == name)] = tensor;

    private static byte[]? ReadBlob(byte[] bytes, ref int at, string name, List<Field> fields)
    {
        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at));
        fields.Add(new($"{name} length", at, 8));
        at += 8;
        if (length < 0)
            return null;
        fields.Add(new(name, at, (int)length));
        var blob = bytes.AsSpan(at, (int)length).ToArray();
        at += (int)length;
        return blob;
    }

    private static void WriteBlob(BinaryWriter writer, byte[]? blob)
    {
        writer.Write(blob is null ? -1L : blob.Length);
        if (blob is not null)
            writer.Write(blob);
    }
}
