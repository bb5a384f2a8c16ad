using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Samples;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>Runs the samples app in-process and builds tiny data sets for it.</summary>
internal static class SamplesHarness
{
    /// <summary>Runs <c>ModelDsl.Samples</c> with <paramref name="args"/>; returns the exit code and everything it printed.</summary>
    public static (int Code, string Output) Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>As <see cref="Run(string[])"/>, with a token that interrupts training as Ctrl+C would.</summary>
    public static (int Code, string Output) Run(CancellationToken interrupt, params string[] args)
    {
        var threads = get_num_threads();
        var output = new StringWriter();
        try
        {
            var code = SamplesApp.Run(args, output, output, interrupt);
            return (code, output.ToString());
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    /// <summary>A text file of a few thousand characters of made-up words, for a tiny GPT.</summary>
    public static string WriteText(TempDirectory dir)
    {
        var random = new Random(7);
        var words = new[] { "the", "king", "shall", "speak", "to", "thee", "and", "my", "lord", "of", "york", "now", "is", "winter" };
        var text = new StringBuilder();
        while (text.Length < 6000)
        {
            text.Append(words[random.Next(words.Length)]);
            text.Append(random.Next(8) == 0 ? ".\n" : " ");
        }
        var path = dir.File("corpus.txt");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>An IDX folder with the first <paramref name="train"/> / <paramref name="test"/> digits of the shipped MNIST subset.</summary>
    public static string WriteSmallMnist(TempDirectory dir, int train, int test)
    {
        var folder = Path.Combine(dir.Path, "mnist-small");
        Directory.CreateDirectory(folder);
        foreach (var (split, count) in new[] { ("train", train), ("t10k", test) })
        {
            Copy($"{split}-images-idx3-ubyte.gz", folder, count, itemBytes: 28 * 28, headerBytes: 16);
            Copy($"{split}-labels-idx1-ubyte.gz", folder, count, itemBytes: 1, headerBytes: 8);
        }
        return folder;
    }

    private static void Copy(string name, string folder, int count, int itemBytes, int headerBytes)
    {
        var raw = MnistFiles.Raw(name);
        var bytes = raw.Take(headerBytes + count * itemBytes).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        using var gz = new GZipStream(File.Create(Path.Combine(folder, name)), CompressionLevel.Fastest);
        gz.Write(bytes);
    }
}
