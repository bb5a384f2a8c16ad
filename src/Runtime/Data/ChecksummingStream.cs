using System;
using System.IO;

namespace ModelDsl.Data;

/// <summary>Passes decompressed bytes through, counting them and computing their CRC-32 for the gzip trailer.</summary>
internal sealed class ChecksummingStream(Stream inner) : Stream
{
    private readonly Crc32 crc = new();

    public long Count { get; private set; }

    public uint Crc => crc.Value;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
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
            inner.Dispose();
        base.Dispose(disposing);
    }
}
