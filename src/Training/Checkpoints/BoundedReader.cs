using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace ModelDsl.Training;

/// <summary>
/// Reads little-endian fields from a seekable stream up to a known end, and never past it: a read that does not
/// fit in what is left throws <see cref="EndOfStreamException"/> before anything is allocated for it, so a forged
/// length costs nothing. <see cref="Section"/> names the field being read, for the caller's truncation message.
/// </summary>
internal sealed class BoundedReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Stream stream;
    private readonly long end;

    /// <summary>Reads <paramref name="stream"/> from its position to <paramref name="end"/> (an absolute position).</summary>
    public BoundedReader(Stream stream, long end)
    {
        this.stream = stream;
        this.end = end;
    }

    /// <summary>Reads a whole byte array.</summary>
    public BoundedReader(byte[] bytes) : this(new MemoryStream(bytes, writable: false), bytes.Length)
    {
    }

    /// <summary>The field being read, e.g. <c>the name of tensor #2</c>.</summary>
    public string Section { get; set; } = "the start";

    /// <summary>The bytes not read yet.</summary>
    public long Remaining => end - stream.Position;

    public int Int32()
    {
        Span<byte> buffer = stackalloc byte[4];
        Fill(buffer);
        return BinaryPrimitives.ReadInt32LittleEndian(buffer);
    }

    public long Int64()
    {
        Span<byte> buffer = stackalloc byte[8];
        Fill(buffer);
        return BinaryPrimitives.ReadInt64LittleEndian(buffer);
    }

    public double Double()
    {
        Span<byte> buffer = stackalloc byte[8];
        Fill(buffer);
        return BinaryPrimitives.ReadDoubleLittleEndian(buffer);
    }

    public byte Byte()
    {
        Span<byte> buffer = stackalloc byte[1];
        Fill(buffer);
        return buffer[0];
    }

    /// <summary>Reads <paramref name="count"/> bytes; a count beyond what is left is a truncation, found before allocating.</summary>
    public byte[] Bytes(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > Remaining)
            throw new EndOfStreamException();
        var data = new byte[count];
        stream.ReadExactly(data);
        return data;
    }

    /// <summary>Moves past <paramref name="count"/> bytes without reading them.</summary>
    public void Skip(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > Remaining)
            throw new EndOfStreamException();
        stream.Position += count;
    }

    /// <summary>
    /// An unsigned LEB128 number (7 bits a byte, low first), as <see cref="BinaryWriter"/> prefixes strings and
    /// TorchSharp writes counts and sizes. Null when it is malformed or above <paramref name="max"/>.
    /// </summary>
    public long? Leb128(long max)
    {
        long value = 0;
        for (var shift = 0; shift < 63; shift += 7)
        {
            var b = Byte();
            var bits = (long)(b & 0x7F);
            // Past max already (or about to overflow): refuse without reading further.
            if (bits > (max >> shift))
                return null;
            value |= bits << shift;
            if (value > max)
                return null;
            if ((b & 0x80) == 0)
                return value;
        }
        return null;
    }

    /// <summary>
    /// A string as <see cref="BinaryWriter.Write(string)"/> writes it: a LEB128 byte count, then UTF-8. Null when the
    /// count is malformed or over <paramref name="maxBytes"/>, or the bytes are not UTF-8.
    /// </summary>
    public string? String(int maxBytes)
    {
        var length = Leb128(maxBytes);
        if (length is not long n)
            return null;
        var bytes = Bytes(n);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private void Fill(Span<byte> buffer)
    {
        if (buffer.Length > Remaining)
            throw new EndOfStreamException();
        stream.ReadExactly(buffer);
    }
}
