using System.IO;
using System.IO.Compression;
using ModelDsl.Data;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

/// <summary>The shipped MNIST subset, and raw or re-compressed copies of its files for tampering with.</summary>
internal static class MnistFiles
{
    public static string Directory
    {
        get
        {
            var found = DataPaths.FindMnist10k();
            Assert.NotNull(found);
            return found;
        }
    }

    public static string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>The decompressed bytes of a shipped file.</summary>
    public static byte[] Raw(string name)
    {
        using var gz = new GZipStream(File.OpenRead(PathOf(name)), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gz.CopyTo(buffer);
        return buffer.ToArray();
    }

    public static void WriteGzip(string path, byte[] bytes)
    {
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(bytes);
    }
}
