using System;
using System.CommandLine;
using System.IO;
using ModelDsl.Data;

namespace ModelDsl.Samples.Cli;

/// <summary>An MNIST-style IDX data set folder and how to describe it.</summary>
/// <param name="Key">Identifies the data set in checkpoints (a classifier is only valid for its own data set).</param>
/// <param name="Description">For messages, e.g. "MNIST-10k (shipped, data/mnist-10k)".</param>
/// <param name="Directory">The folder with <c>train-*</c> and <c>t10k-*</c> IDX files (raw or .gz).</param>
public sealed record ImageDataSource(string Key, string Description, string Directory)
{
    /// <summary><c>--dataset</c>: mnist (the shipped MNIST-10k) or fashion (Debian's Fashion-MNIST).</summary>
    public static Option<string> CreateDatasetOption()
    {
        var option = new Option<string>("--dataset")
        {
            Description = $"mnist: the shipped MNIST subset (data/mnist-10k, 9,000 train / 1,000 test); fashion: Fashion-MNIST from {DataPaths.FashionMnistDirectory} (Debian package dataset-fashion-mnist)",
            DefaultValueFactory = _ => "mnist",
        };
        option.AcceptOnlyFromAmong("mnist", "fashion");
        return option;
    }

    /// <summary>The data set chosen by <c>--data DIR</c> (wins) or <c>--dataset</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist or Fashion-MNIST is not installed.</exception>
    public static ImageDataSource Resolve(string? dataset, string? data)
    {
        if (!string.IsNullOrEmpty(data))
        {
            var full = Path.GetFullPath(data);
            if (!System.IO.Directory.Exists(full))
                throw new DirectoryNotFoundException($"--data: '{data}' is not a folder; it must hold MNIST-style IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-…).");
            return new ImageDataSource("dir:" + full, $"IDX data in {full}", full);
        }

        if (string.Equals(dataset, "fashion", StringComparison.OrdinalIgnoreCase))
        {
            var fashion = DataPaths.FindFashionMnist() ?? throw new DirectoryNotFoundException(
                $"--dataset fashion: Fashion-MNIST is not installed in {DataPaths.FashionMnistDirectory}. " +
                $"Install Debian's package (apt-get install dataset-fashion-mnist), or download the four IDX files and pass their folder with --data DIR (or set {DataPaths.FashionMnistVariable}).");
            return new ImageDataSource("fashion-mnist", $"Fashion-MNIST ({fashion})", fashion);
        }

        var mnist = DataPaths.Mnist10k();
        return new ImageDataSource("mnist-10k", $"MNIST-10k (shipped, {mnist})", mnist);
    }

    /// <summary>A short name for folder names: <c>mnist-10k</c>, <c>fashion-mnist</c> or the data folder's name.</summary>
    public string ShortName => Key.StartsWith("dir:", StringComparison.Ordinal) ? Path.GetFileName(Directory.TrimEnd('/')) : Key;

    /// <summary>Loads a split.</summary>
    public ImageDataset Load(DatasetSplit split, PixelScaling scaling) => ImageDataset.Load(Directory, split, scaling);
}
