using System;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using ModelDsl.Samples.Cli;
using Spectre.Console;

namespace ModelDsl.Samples.Text;

/// <summary>
/// The tiny Shakespeare corpus of char-rnn (1,115,394 bytes): downloaded once from the canonical URL into a cache
/// folder and checked against its SHA-256, unless a file is given with <c>--data</c>.
/// </summary>
public static class TinyShakespeare
{
    /// <summary>The canonical char-rnn URL.</summary>
    public const string Url = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt";

    /// <summary>The SHA-256 of the corpus, lower-case hex.</summary>
    public const string Sha256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed";

    /// <summary>Its size in bytes.</summary>
    public const long Length = 1_115_394;

    /// <summary>The cache file's name.</summary>
    public const string FileName = "tinyshakespeare.txt";

    /// <summary>The cache folder: <c>$XDG_CACHE_HOME/modeldsl</c>, else <c>~/.cache/modeldsl</c>.</summary>
    public static string DefaultCacheDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "modeldsl");
    }

    /// <summary>
    /// The corpus file: <c>&lt;cache&gt;/tinyshakespeare.txt</c> when present with the right hash, else downloaded from
    /// <paramref name="url"/> with a progress display, verified, and moved into place.
    /// </summary>
    /// <exception cref="IOException">The download failed or the file is not the corpus; the message says how to pass it with <c>--data</c>.</exception>
    public static string Obtain(SampleContext context, string? cacheDirectory = null, string url = Url)
    {
        var directory = cacheDirectory ?? DefaultCacheDirectory();
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            if (HashOf(path) == Sha256)
            {
                context.Console.WriteLine($"Data: tiny Shakespeare (cached, {path}).");
                return path;
            }
            context.Console.WriteLine($"The cached {path} is not the expected file (SHA-256 differs); downloading it again.");
        }

        Directory.CreateDirectory(directory);
        var partial = path + ".part";
        context.Console.WriteLine($"Downloading tiny Shakespeare from {url} to {path} …");
        try
        {
            if (context.Interactive)
            {
                context.Console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                    .Start(progress =>
                    {
                        var task = progress.AddTask("tinyshakespeare.txt", maxValue: Length);
                        Download(url, partial, bytes => task.Value = bytes, total => task.MaxValue = total ?? Length);
                    });
            }
            else
            {
                long reported = 0;
                Download(url, partial, bytes =>
                {
                    if (bytes - reported >= 256 * 1024)
                    {
                        reported = bytes;
                        context.Console.WriteLine($"  {bytes / 1024:N0} KiB");
                    }
                }, _ => { });
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException or UriFormatException)
        {
            TryDelete(partial);
            throw new IOException(
                $"Could not download tiny Shakespeare from {url}: {e.Message.ReplaceLineEndings(" ")} " +
                $"Download it yourself (e.g. curl -L -o {FileName} {Url}) and pass it with --data {FileName}, or put it in {path}.", e);
        }

        var hash = HashOf(partial);
        if (hash != Sha256)
        {
            TryDelete(partial);
            throw new IOException(
                $"The download from {url} is not tiny Shakespeare (SHA-256 {hash}, expected {Sha256}). " +
                $"Pass a copy of the corpus with --data FILE.");
        }
        File.Move(partial, path, overwrite: true);
        return path;
    }

    private static void Download(string url, string path, Action<long> onBytes, Action<long?> onLength)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        onLength(response.Content.Headers.ContentLength);
        using var input = response.Content.ReadAsStream();
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            output.Write(buffer.AsSpan(0, read));
            total += read;
            onBytes(total);
        }
    }

    /// <summary>The lower-case hex SHA-256 of a file.</summary>
    public static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
