using System;
using System.IO;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>Passes writes through until <c>limit</c> bytes, then fails like a full disk.</summary>
internal sealed class ThrowingStream(Stream inner, long limit) : Stream
{
    private long written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var room = (int)Math.Max(0, Math.Min(buffer.Length, limit - written));
        inner.Write(buffer[..room]);
        written += room;
        if (room < buffer.Length)
            throw new IOException("No space left on device (simulated).");
    }

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
