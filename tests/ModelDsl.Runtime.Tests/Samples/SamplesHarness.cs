using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Samples;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>Runs the samples app through its entry point (in-process or as a process) and builds tiny data for it.</summary>
internal static class SamplesHarness
{
    /// <summary>The app with <paramref name="args"/>, in-process: the exit code, standard output and standard error.</summary>
    public static (int Code, string Output, string Error) Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>As <see cref="Run(string[])"/>; cancelling <paramref name="stop"/> stops training as SIGINT does.</summary>
    public static (int Code, string Output, string Error) Run(CancellationToken stop, params string[] args)
    {
        var threads = get_num_threads();
        var (output, error) = (new StringWriter(), new StringWriter());
        try
        {
            var code = Program.Run(args, output, error, stop);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    /// <summary>Asserts exit code 2 with one line of error (no help text) that contains <paramref name="reason"/>; returns that line.</summary>
    public static string AssertRefused((int Code, string Output, string Error) result, string reason)
    {
        Assert.True(result.Code == 2, $"exit {result.Code}\n{result.Output}\n{result.Error}");
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length is 1 or 2, result.Error);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(reason, lines[0]);
        Assert.DoesNotContain("Usage:", result.Error + result.Output);
        return lines[0];
    }

    /// <summary>Every file under <paramref name="folder"/> with its SHA-256 and last write time: equal snapshots mean nothing was touched.</summary>
    public static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToDictionary(
            f => Path.GetRelativePath(folder, f),
            f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))) + " " + File.GetLastWriteTimeUtc(f).Ticks);

    /// <summary>The app as a process (the build's apphost beside the tests), for signals.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "ModelDsl.Samples.exe" : "ModelDsl.Samples"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    /// <summary>A few thousand characters of made-up words, for a tiny GPT.</summary>
    public static string WriteText(TempDirectory dir, string name = "corpus.txt", int seed = 7)
    {
        var random = new Random(seed);
        var words = new[] { "the", "king", "shall", "speak", "to", "thee", "and", "my", "lord", "of", "york", "now", "is", "winter" };
        var text = new StringBuilder();
        while (text.Length < 6000)
            text.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? ".\n" : " ");
        var path = dir.File(name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The options of a GPT that trains in milliseconds; <paramref name="extra"/> adds options or replaces these.</summary>
    public static string[] TinyGpt(string data, string output, int steps, params string[] extra) => With(
    [
        "gpt", "--data", data, "--out", output, "--steps", steps.ToString(), "--threads", "1",
        "--layers", "1", "--heads", "2", "--embed", "16", "--block", "16", "--batch", "4",
        "--warmup", "2", "--eval-interval", "3", "--eval-iters", "2", "--sample-chars", "20",
    ], extra);

    /// <summary>The options of a DCGAN on <paramref name="data"/> that trains in a second or two.</summary>
    public static string[] TinyGan(string data, string output, int steps, params string[] extra) => With(
    [
        "gan", "--data", data, "--out", output, "--steps", steps.ToString(), "--batch", "8", "--width", "4", "--noise", "8",
        "--grid", "4", "--eval-samples", "0", "--threads", "1",
    ], extra);

    // The command line with `extra` appended, after removing the options (and their values) that `extra` gives again.
    private static string[] With(string[] args, string[] extra)
    {
        var result = args.ToList();
        foreach (var option in extra.Where(e => e.StartsWith("--", StringComparison.Ordinal)))
        {
            var at = result.IndexOf(option);
            if (at >= 0)
                result.RemoveRange(at, at + 1 < result.Count && !result[at + 1].StartsWith("--", StringComparison.Ordinal) ? 2 : 1);
        }
        return [.. result, .. extra];
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
        var bytes = MnistFiles.Raw(name).Take(headerBytes + count * itemBytes).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        using var gz = new GZipStream(File.Create(Path.Combine(folder, name)), CompressionLevel.Fastest);
        gz.Write(bytes);
    }
}
