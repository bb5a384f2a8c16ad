using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using ModelDsl.Data;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>IDX files forged or damaged the ways that once got through: each is one clear InvalidDataException naming the file.</summary>
public sealed class IdxHostileFileTests
{
    private static byte[] Header(params int[] dims)
    {
        var header = new byte[4 + 4 * dims.Length];
        header[2] = 0x08;
        header[3] = (byte)dims.Length;
        for (var i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dims[i]);
        return header;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(bytes);
        return buffer.ToArray();
    }

    private static InvalidDataException Refused(byte[] file, string name = "images-idx3-ubyte")
    {
        using var dir = new TempDirectory();
        var path = dir.File(name);
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.StartsWith(name + ": ", e.Message);
        return e;
    }

    /// <summary>A 78 KB file whose header claims 60,000 images of 200×150 once allocated 1.8 GB before looking at the file's length.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Header_claiming_more_than_the_file_holds_allocates_nothing_for_it(bool gzip)
    {
        var raw = Header(60000, 200, 150).Concat(new byte[78_000]).ToArray();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Refused(gzip ? Gzip(raw) : raw);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.EndsWith("expected 1,800,000,000 bytes of pixels for 60,000 images of 200×150 but the file ends after 78,000", e.Message);
        Assert.True(allocated < 16 << 20, $"{allocated:N0} bytes allocated to refuse a 78 KB file");
    }

    /// <summary>[3, 2³¹−1, 2³¹−1] overflowed the size (OverflowException); [2²¹, 2²¹, 2²²] wrapped it to 0 and loaded.</summary>
    [Theory]
    [InlineData(3, int.MaxValue, int.MaxValue)]
    [InlineData(1 << 21, 1 << 21, 1 << 22)]
    public void Dimensions_whose_product_overflows_are_refused(int n, int height, int width)
    {
        var e = Refused(Header(n, height, width));
        Assert.Contains($"the header's dimensions {n}×{height}×{width} describe", e.Message);
    }

    [Fact]
    public void Gzip_without_its_trailer_is_refused()
    {
        var gz = Gzip(Header(2, 2, 2).Concat(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }).ToArray());
        var e = Refused(gz[..^8], "cut.gz");
        Assert.StartsWith("cut.gz: expected 8 bytes of pixels for 2 images of 2×2 but the file ends after ", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0x1F, 0x8B, 3 })]
    [InlineData(new byte[] { 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65 })]
    public void Gzip_with_bytes_after_its_end_is_refused(byte[] garbage)
    {
        var gz = Gzip(Header(2, 2, 2).Concat(new byte[8]).ToArray());
        var e = Refused([.. gz, .. garbage], "junk.gz");
        Assert.StartsWith("junk.gz: the gzip data ends before the file does", e.Message);
    }

    [Fact]
    public void Gzip_with_a_wrong_crc_names_the_file()
    {
        var gz = Gzip(Header(2, 2, 2).Concat(new byte[8]).ToArray());
        gz[^8] ^= 0x01;
        var e = Refused(gz, "crc.gz");
        Assert.Equal("crc.gz: the gzip trailer does not match the data: 24 bytes with CRC-32 " + Crc(gz) + " were decompressed, but the trailer says 24 bytes with CRC-32 " + (BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8))).ToString("X8") + "; the file is cut short or corrupt", e.Message);
    }

    // The true CRC of a file whose stored one has had its lowest bit flipped.
    private static string Crc(byte[] gz) => (BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8)) ^ 1).ToString("X8");

    /// <summary>A file that ends with a copy of its own trailer after junk: the last 8 bytes match, the end does not.</summary>
    [Fact]
    public void Gzip_ending_in_a_copy_of_its_trailer_is_refused()
    {
        var gz = Gzip(Header(2, 2, 2).Concat(new byte[8]).ToArray());
        var e = Refused([.. gz, 1, 2, 3, .. gz[^8..]], "copy.gz");
        Assert.StartsWith("copy.gz: the gzip data ends before the file does", e.Message);
    }

    [Fact]
    public void Shipped_gzip_files_pass_the_trailer_check()
    {
        var images = IdxReader.Read(MnistFiles.PathOf("t10k-images-idx3-ubyte.gz"), expectedRank: 3);
        Assert.Equal(1000 * 28 * 28, images.Data.Length);
    }

    [Fact]
    public void Folder_in_place_of_the_file_says_so()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.Read(dir.Path));
        Assert.Equal($"'{dir.Path}' is a folder, not an IDX file.", e.Message);
    }
}
