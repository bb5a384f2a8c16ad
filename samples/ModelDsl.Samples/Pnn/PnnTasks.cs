using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Pnn;

/// <summary>Builds the task sequences of the <c>pnn</c> sample.</summary>
public static class PnnTasks
{
    /// <summary>Split MNIST's five two-class tasks: 0/1, 2/3, 4/5, 6/7, 8/9.</summary>
    public static readonly IReadOnlyList<long[]> SplitMnistLabels = [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]];

    /// <summary>
    /// Split MNIST: one task per label group, labels relabelled to their position in the group (0, 1), so every
    /// task has the same two-way head. Takes the validation set from each task's training images.
    /// </summary>
    public static List<PnnTask> Split(ImageDataset train, ImageDataset test, IReadOnlyList<long[]> groups, double validationFraction = 0.1, int maxValidation = 1000, int seed = 0)
    {
        var tasks = new List<PnnTask>(groups.Count);
        for (var t = 0; t < groups.Count; t++)
        {
            var group = groups[t];
            using var taskTrain = train.WithLabels(group, relabel: true);
            var (fit, validation) = HoldOut(taskTrain, validationFraction, maxValidation, seed + t);
            tasks.Add(new PnnTask(string.Join("/", group), group.Length, fit, validation, test.WithLabels(group, relabel: true)));
        }

        return tasks;
    }

    /// <summary>Split MNIST from an MNIST folder (the shipped 10k subset by default).</summary>
    public static List<PnnTask> SplitMnist(string directory, int seed = 0)
    {
        using var train = ImageDataset.Load(directory, DatasetSplit.Train);
        using var test = ImageDataset.Load(directory, DatasetSplit.Test);
        return Split(train, test, SplitMnistLabels, seed: seed);
    }

    /// <summary>Two ten-class tasks: MNIST, then Fashion-MNIST.</summary>
    /// <exception cref="DirectoryNotFoundException">Fashion-MNIST is not installed; the message says how to get it.</exception>
    public static List<PnnTask> MnistThenFashion(string mnistDirectory, string? fashionDirectory, int seed = 0)
    {
        fashionDirectory ??= DataPaths.FindFashionMnist() ?? throw new DirectoryNotFoundException(
            $"Fashion-MNIST was not found in {DataPaths.FashionMnistDirectory}. Install Debian's package " +
            $"'dataset-fashion-mnist' (apt-get install dataset-fashion-mnist), set {DataPaths.FashionMnistVariable} to a folder " +
            "with its four IDX files, or use the default --sequence split-mnist.");
        return [Whole("MNIST", mnistDirectory, seed), Whole("Fashion-MNIST", fashionDirectory, seed + 1)];
    }

    /// <summary>Every image of a ten-class IDX folder as one task.</summary>
    public static PnnTask Whole(string name, string directory, int seed = 0)
    {
        using var train = ImageDataset.Load(directory, DatasetSplit.Train);
        var (fit, validation) = HoldOut(train, 0.1, 1000, seed);
        return new PnnTask(name, 10, fit, validation, ImageDataset.Load(directory, DatasetSplit.Test));
    }

    /// <summary>
    /// Splits <paramref name="data"/> at random (from <paramref name="seed"/>) into training images and a validation
    /// set of <paramref name="fraction"/> of them, at most <paramref name="max"/> and at least one.
    /// </summary>
    public static (ImageDataset Train, ImageDataset Validation) HoldOut(ImageDataset data, double fraction, int max, int seed)
    {
        if (fraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in (0, 1)");
        if (data.Count < 2)
            throw new ArgumentException("A task needs at least two images to hold one out.", nameof(data));
        var count = Math.Clamp((int)Math.Round(data.Count * fraction), 1, Math.Min(max, data.Count - 1));
        var order = Enumerable.Range(0, data.Count).Select(i => (long)i).ToArray();
        new Random(seed).Shuffle(order);
        return (Subset(data, order[count..]), Subset(data, order[..count]));
    }

    /// <summary>The images at <paramref name="indices"/>, in that order, as a new data set.</summary>
    public static ImageDataset Subset(ImageDataset data, long[] indices)
    {
        using var index = tensor(indices);
        return new ImageDataset(data.Images.index_select(0, index), data.Labels.index_select(0, index));
    }
}
