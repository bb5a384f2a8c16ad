using System.Security.Cryptography;

namespace ModelDsl.Samples.Harness;

/// <summary>The tiny Shakespeare corpus of char-rnn (1,115,394 bytes): downloaded once into a cache folder and checked against its SHA-256.</summary>
public static class TinyShakespeare
{
    public const string Url = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt";
    public const string Sha256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed";
    public const string FileName = "tinyshakespeare.txt";

    /// <summary><c>$XDG_CACHE_HOME/modeldsl</c>, else <c>~/.cache/modeldsl</c>.</summary>
    public static string DefaultCacheDirectory() => Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "modeldsl");

    /// <summary>The cached corpus, downloaded from <paramref name="url"/> and verified first when absent or different.</summary>
    /// <exception cref="IOException">The download failed or is not the corpus; the message says how to pass it with <c>--data</c>.</exception>
    public static string Obtain(Host host, string? cacheDirectory, string url)
    {
        var path = Path.Combine(cacheDirectory ?? DefaultCacheDirectory(), FileName);
        if (File.Exists(path) && HashOf(path) == Sha256)
        {
            host.WriteLine($"Data: tiny Shakespeare (cached, {path}).");
            return path;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".part";
        host.WriteLine($"Downloading tiny Shakespeare from {url} to {path} …");
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var response = client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult().EnsureSuccessStatusCode();
            using (var input = response.Content.ReadAsStream())
            using (var output = File.Create(partial))
                input.CopyTo(output);
            if (HashOf(partial) is var hash && hash != Sha256)
                throw new IOException($"The file is not tiny Shakespeare (SHA-256 {hash}, expected {Sha256}).");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException or UriFormatException)
        {
            File.Delete(partial);
            throw new IOException(
                $"Could not download tiny Shakespeare from {url}: {e.Message.ReplaceLineEndings(" ")} " +
                $"Download it yourself (curl -L -o {FileName} {Url}) and pass it with --data {FileName}, or put it in {path}.", e);
        }
        File.Move(partial, path, overwrite: true);
        host.WriteLine($"Downloaded {new FileInfo(path).Length:N0} bytes; SHA-256 checked.");
        return path;
    }

    private static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
