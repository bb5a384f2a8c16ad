using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Runtime.Tests.Fuzz;

/// <summary>A place in a valid file worth aiming at: a length, a count, a size, a flag.</summary>
internal sealed record FuzzTarget(string Name, int Offset, int Length);

/// <summary>
/// Derives damaged files from a valid one, reproducibly from a seed: truncations, bit flips, bytes set to 00/FF/80,
/// insertions, deletions, duplicated spans, junk appended, and fields (given by the loader's test) overwritten with
/// edge values, as a forger would: 0, 1, −1, the type's extremes, lengths off by one, huge sizes.
/// </summary>
internal sealed class Mutator(Random random, IReadOnlyList<FuzzTarget> targets)
{
    private static readonly long[] Edges =
        [0, 1, -1, 2, 7, 8, 16, 127, 128, 255, 256, 624, 625, 0x7F, 0x80, 0xFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, long.MaxValue, long.MinValue, 1L << 31, 1L << 40, 60000, 1 << 21];

    /// <summary>One mutation of <paramref name="original"/> and what it did, for reproducing a failure.</summary>
    public (byte[] Bytes, string Description) Mutate(byte[] original)
    {
        var bytes = original.ToList();
        var kind = random.Next(10);
        string description;
        switch (kind)
        {
            case 0:
                var length = random.Next(bytes.Count);
                bytes.RemoveRange(length, bytes.Count - length);
                description = $"truncated to {length} bytes";
                break;
            case 1:
                var bit = random.Next(bytes.Count * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                description = $"bit {bit % 8} of byte {bit / 8} flipped";
                break;
            case 2:
                var at = random.Next(bytes.Count);
                var value = new byte[] { 0x00, 0xFF, 0x80, 0x7F }[random.Next(4)];
                bytes[at] = value;
                description = $"byte {at} set to {value:X2}";
                break;
            case 3:
                var count = random.Next(2, 9);
                for (var i = 0; i < count; i++)
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                description = $"{count} random bytes changed";
                break;
            case 4:
                var insertAt = random.Next(bytes.Count + 1);
                var inserted = Junk(random.Next(1, 17));
                bytes.InsertRange(insertAt, inserted);
                description = $"{inserted.Length} bytes inserted at {insertAt}";
                break;
            case 5:
                var start = random.Next(bytes.Count);
                var removed = Math.Min(bytes.Count - start, random.Next(1, 17));
                bytes.RemoveRange(start, removed);
                description = $"{removed} bytes removed at {start}";
                break;
            case 6:
                var junk = Junk(random.Next(1, 33));
                bytes.AddRange(junk);
                description = $"{junk.Length} bytes appended";
                break;
            case 7:
                var from = random.Next(bytes.Count);
                var span = bytes.GetRange(from, Math.Min(bytes.Count - from, random.Next(1, 65)));
                var to = random.Next(bytes.Count + 1);
                bytes.InsertRange(to, span);
                description = $"{span.Count} bytes from {from} copied to {to}";
                break;
            default:
                if (targets.Count == 0)
                    goto case 2;
                var target = targets[random.Next(targets.Count)];
                var edge = Edges[random.Next(Edges.Length)] + (random.Next(4) == 0 ? random.Next(-2, 3) : 0);
                var width = new[] { 1, 4, 8 }[random.Next(3)];
                var field = bytes.ToArray();
                Write(field, target.Offset, width, edge, bigEndian: random.Next(4) == 0);
                bytes = [.. field];
                description = $"{target.Name} (offset {target.Offset}) overwritten with {edge} ({width} bytes)";
                break;
        }
        return (bytes.ToArray(), description);
    }

    private byte[] Junk(int length)
    {
        var junk = new byte[length];
        random.NextBytes(junk);
        return junk;
    }

    private static void Write(byte[] bytes, int offset, int width, long value, bool bigEndian)
    {
        Span<byte> buffer = stackalloc byte[8];
        if (bigEndian)
            BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        else
            BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        var source = bigEndian ? buffer[(8 - width)..] : buffer[..width];
        for (var i = 0; i < width && offset + i < bytes.Length; i++)
            bytes[offset + i] = source[i];
    }
}
