using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace ModelDsl.Data;

/// <summary>
/// The decompressed bytes of a gzip file (RFC 1952) that is exactly one member: header, deflate data, then the
/// CRC-32 and length of the data in the last 8 bytes. After reading to the end, <see cref="VerifyEnd"/> checks that
/// the deflate data ends exactly where the trailer starts and that the trailer matches.
/// </summary>
/// <remarks>
/// .NET's <see cref="GZipStream"/> is lenient at the end of a file: it reads a file cut before its trailer, and
/// ignores bytes after the member or not depending on how they fall in its buffer. Here the header is parsed, the
/// deflate data inflated by <see cref="DeflateStream"/>, and the trailer compared with the bytes that came out.
/// </remarks>
internal sealed class GzipMember : Stream
{
    private const int TrailerLength = 8;
    private const byte FlagHeaderCrc = 0x02;
    private const byte FlagExtra = 0x04;
    private const byte FlagName = 0x08;
    private const byte FlagComment = 0x10;
    private const byte ReservedFlags = 0xE0;

    private readonly string name;
    private readonly DeflateData data;
    private readonly DeflateStream inflater;
    private readonly Crc32 crc = new();
    private readonly uint storedCrc;
    private readonly uint storedLength;

    private GzipMember(string name, DeflateData data, uint storedCrc, uint storedLength)
    {
        this.name = name;
        this.data = data;
        this.storedCrc = storedCrc;
        this.storedLength = storedLength;
        inflater = new DeflateStream(data, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>The number of bytes decompressed so far.</summary>
    public long Count { get; private set; }

    /// <summary>Reads the header and trailer of <paramref name="file"/>, positioned at its start.</summary>
    /// <exception cref="InvalidDataException">The header is not a gzip header of deflate data; the message starts with <paramref name="name"/>.</exception>
    public static GzipMember Open(FileStream file, string name)
    {
        var length = file.Length;
        var header = new HeaderReader(file, name);
        var fixedPart = header.Bytes(10);
        if (fixedPart[0] != 0x1F || fixedPart[1] != 0x8B)
            throw Invalid(name, $"not a gzip file");
        if (fixedPart[2] != 8)
            throw Invalid(name, $"the gzip header names compression method {fixedPart[2]}, not deflate (8)");
        var flags = fixedPart[3];
        if ((flags & ReservedFlags) != 0)
            throw Invalid(name, $"the gzip header sets reserved flags (0x{flags:X2})");
        if ((flags & FlagExtra) != 0)
        {
            var extra = header.Bytes(2);
            header.Bytes(extra[0] | extra[1] << 8);
        }
        if ((flags & FlagName) != 0)
            header.ZeroTerminated();
        if ((flags & FlagComment) != 0)
            header.ZeroTerminated();
        if ((flags & FlagHeaderCrc) != 0)
        {
            var expected = (ushort)header.Crc;
            var stored = header.Bytes(2);
            if ((stored[0] | stored[1] << 8) != expected)
                throw Invalid(name, $"the gzip header's own CRC does not match it");
        }
        if (file.Position > length - TrailerLength)
            throw Invalid(name, $"the gzip file is truncated: it ends before its 8-byte trailer");

        var start = file.Position;
        Span<byte> trailer = stackalloc byte[TrailerLength];
        file.Position = length - TrailerLength;
        file.ReadExactly(trailer);
        file.Position = start;
        return new GzipMember(name, new DeflateData(file, length - TrailerLength),
            BinaryPrimitives.ReadUInt32LittleEndian(trailer), BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]));
    }

    /// <summary>
    /// After the last byte has been read: the deflate data ended exactly at the trailer, and the trailer's CRC-32 and
    /// length are those of the bytes read.
    /// </summary>
    /// <exception cref="InvalidDataException">It did not or they are not; the message starts with the file's name.</exception>
    public void VerifyEnd()
    {
        if (!data.ConsumedAll)
            throw Invalid(name, $"the gzip data ends before the file does: the file has bytes after its end, or several gzip members, which this reader does not take");
        if (crc.Value != storedCrc || unchecked((uint)Count) != storedLength)
            throw Invalid(name, $"the gzip trailer does not match the data: {Count:N0} bytes with CRC-32 {crc.Value:X8} were decompressed, but the trailer says {storedLength:N0} bytes with CRC-32 {storedCrc:X8}; the file is cut short or corrupt");
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inflater.Read(buffer);
        crc.Append(buffer[..n]);
        Count += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inflater.Dispose();
            data.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Reads the header's fields, keeping their CRC for the optional header CRC.</summary>
    private sealed class HeaderReader(Stream file, string name)
    {
        private readonly Crc32 crc = new();

        public uint Crc => crc.Value;

        public byte[] Bytes(int count)
        {
            var bytes = new byte[count];
            if (file.ReadAtLeast(bytes, count, throwOnEndOfStream: false) < count)
                throw Invalid(name, $"the gzip file is truncated: it ends inside its header");
            crc.Append(bytes);
            return bytes;
        }

        public void ZeroTerminated()
        {
            while (Bytes(1)[0] != 0)
            {
            }
        }
    }

    private static InvalidDataException Invalid(string name, FormattableString message) =>
        new($"{name}: {FormattableString.Invariant(message)}");

    /// <summary>
    /// The deflate data, from the file's position up to the trailer, served in ever smaller pieces near its end:
    /// <see cref="DeflateStream"/> asks for input only while its data is unfinished, so if it has asked for the last
    /// byte, the data ends exactly there, and if not, something follows it.
    /// </summary>
    private sealed class DeflateData(Stream file, long end) : Stream
    {
        private const int Chunk = 1 << 16;

        public bool ConsumedAll => file.Position == end;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => file.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var left = end - file.Position;
            if (left <= 0 || buffer.Length == 0)
                return 0;
            // Whole chunks while far from the end, then halves: the last piece served is one byte.
            var piece = left > 2 * Chunk ? Chunk : (int)((left + 1) / 2);
            return file.Read(buffer[..Math.Min(piece, buffer.Length)]);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
