using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ModelDsl.Data;

/// <summary>
/// Finds the datasets the samples use: the MNIST subset shipped in the repository (<c>data/mnist-10k</c>),
/// found by walking up from the app and the working directory, and Debian's Fashion-MNIST package.
/// </summary>
public static class DataPaths
{
    /// <summary>Where the shipped MNIST subset lives, relative to the repository root.</summary>
    public const string Mnist10kRelativePath = "data/mnist-10k";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs Fashion-MNIST.</summary>
    public const string DebianFashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The environment variable that points the samples at Fashion-MNIST somewhere else.</summary>
    public const string FashionMnistVariable = "MODELDSL_FASHION_MNIST";

    /// <summary>Where Fashion-MNIST is looked for: <c>$MODELDSL_FASHION_MNIST</c> when set, else Debian's location.</summary>
    public static string FashionMnistDirectory =>
        Environment.GetEnvironmentVariable(FashionMnistVariable) is { Length: > 0 } directory ? directory : DebianFashionMnistDirectory;

    /// <summary>
    /// The first existing <paramref name="relativePath"/> (file or folder) below the app's folder, the working
    /// directory, or any of their ancestors; null when there is none.
    /// </summary>
    public static string? FindUpwards(string relativePath)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory }.Distinct())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (Directory.Exists(candidate) || File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }

    /// <summary>The shipped MNIST subset's folder (9,000 train / 1,000 test digits), or null when not found.</summary>
    public static string? FindMnist10k() => FindUpwards(Mnist10kRelativePath);

    /// <summary>The shipped MNIST subset's folder.</summary>
    /// <exception cref="DirectoryNotFoundException">It is not found; the message says where it was looked for.</exception>
    public static string Mnist10k() =>
        FindMnist10k() ?? throw new DirectoryNotFoundException(
            $"The MNIST subset '{Mnist10kRelativePath}' was not found above '{AppContext.BaseDirectory}' or '{Environment.CurrentDirectory}'. " +
            "Run from inside the ModelDsl repository or pass a data folder explicitly.");

    /// <summary>Fashion-MNIST's folder when it holds the training images (the Debian package is installed), else null.</summary>
    public static string? FindFashionMnist() =>
        HasSplit(FashionMnistDirectory, DatasetSplit.Train) ? FashionMnistDirectory : null;

    private static bool HasSplit(string directory, DatasetSplit split)
    {
        var stem = IdxFileNames.Stem(split, images: true);
        IEnumerable<string> names = [stem, stem + ".gz"];
        return names.Any(n => File.Exists(Path.Combine(directory, n)));
    }
}
