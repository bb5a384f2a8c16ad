using System;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

public sealed class IdxReaderTests
{
    private const string Images = "train-images-idx3-ubyte.gz";

    [Fact]
    public void ReadsShippedGzipImagesAndLabels()
    {
        var images = IdxReader.Read(MnistFiles.PathOf(Images), expectedRank: 3);
        Assert.Equal(new[] { 9000, 28, 28 }, images.Dimensions);
        Assert.Equal(9000 * 28 * 28, images.Data.Length);
        Assert.Equal(Images, images.FileName);

        var labels = IdxReader.Read(MnistFiles.PathOf("t10k-labels-idx1-ubyte.gz"), expectedRank: 1);
        Assert.Equal(1000, labels.Count);
        Assert.Equal(6, labels.Data[0]);
    }

    [Fact]
    public void ReadsRawFileDetectedByContentNotName()
    {
        using var dir = new TempDirectory();
        var raw = MnistFiles.Raw(Images);
        // Named .gz but not compressed: detection must go by the magic bytes.
        var path = dir.File("raw-but-named.gz");
        File.WriteAllBytes(path, raw);

        var data = IdxReader.Read(path);
        Assert.Equal(new[] { 9000, 28, 28 }, data.Dimensions);
        Assert.Equal(raw.AsSpan(16).ToArray(), data.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedPayloadNamesFileExpectedAndFound(bool gzip)
    {
        using var dir = new TempDirectory();
        var truncated = MnistFiles.Raw(Images)[..(16 + 1234)];
        var path = dir.File(gzip ? Images : "train-images-idx3-ubyte");
        if (gzip)
            MnistFiles.WriteGzip(path, truncated);
        else
            File.WriteAllBytes(path, truncated);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Equal(
            $"{Path.GetFileName(path)}: expected 7,056,000 bytes of pixels for 9,000 images of 28×28 but the file ends after 1,234",
            e.Message);
    }

    [Fact]
    public void CutCompressedStreamIsAClearError()
    {
        using var dir = new TempDirectory();
        var path = dir.File(Images);
        var bytes = File.ReadAllBytes(MnistFiles.PathOf(Images));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.StartsWith(Images + ":", e.Message);
    }

    [Fact]
    public void WrongMagicNamesFileAndBytes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("train-labels-idx1-ubyte");
        File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains("train-labels-idx1-ubyte", e.Message);
        Assert.Contains("expected the magic number to start 00 00 but found 50 4B 03 04", e.Message);
    }

    [Fact]
    public void NonByteElementTypeIsRejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("floats.idx");
        File.WriteAllBytes(path, [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Equal("floats.idx: expected element type 0x08 (unsigned byte) but found 0x0D (float32)", e.Message);
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("labels");
        File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0, 0, 2, 3, 4, 99, 99, 99]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Equal("labels: expected 2 bytes of labels but the file has 3 more bytes after them", e.Message);
    }

    [Fact]
    public void UnexpectedRankAndShortHeaderAreRejected()
    {
        using var dir = new TempDirectory();
        var labels = dir.File("labels");
        File.WriteAllBytes(labels, [0, 0, 8, 1, 0, 0, 0, 1, 7]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(labels, expectedRank: 3));
        Assert.Contains("labels: expected rank 3 (images: N×height×width) but the header says rank 1", e.Message);

        var stub = dir.File("stub");
        File.WriteAllBytes(stub, [0, 0, 8, 3, 0, 0]);
        e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(stub));
        Assert.Equal("stub: expected 3 dimension sizes (12 bytes) after the magic number but the file ends after 2", e.Message);

        var empty = dir.File("empty");
        File.WriteAllBytes(empty, []);
        e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(empty));
        Assert.StartsWith("empty: expected a 4-byte IDX magic number", e.Message);
    }

    [Fact]
    public void SmallHandWrittenFileRoundTrips()
    {
        using var dir = new TempDirectory();
        var path = dir.File("tiny");
        byte[] payload = Enumerable.Range(0, 2 * 3 * 2).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2, .. payload]);

        var data = IdxReader.Read(path, expectedRank: 3);
        Assert.Equal(new[] { 2, 3, 2 }, data.Dimensions);
        Assert.Equal(payload, data.Data);
    }
}
