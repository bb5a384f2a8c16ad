using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Data;

public sealed class ImageDatasetTests
{
    [Fact]
    public void LoadsShippedTrainSplit()
    {
        using var data = ImageDataset.Load(MnistFiles.Directory, DatasetSplit.Train);
        Assert.Equal(9000, data.Count);
        Assert.Equal(new long[] { 9000, 1, 28, 28 }, data.Images.shape);
        Assert.Equal(ScalarType.Float32, data.Images.dtype);
        Assert.Equal(ScalarType.Int64, data.Labels.dtype);
        Assert.Equal(1, data.Labels[0].item<long>());
        using var counts = data.Labels.bincount(null);
        Assert.Equal(new long[] { 905, 1017, 894, 949, 872, 769, 905, 964, 844, 881 }, counts.data<long>().ToArray());
        Assert.Equal(0f, data.Images.min().item<float>());
        Assert.Equal(1f, data.Images.max().item<float>());
    }

    [Fact]
    public void LoadsShippedTestSplitScaledToMinusOneOne()
    {
        using var data = ImageDataset.Load(MnistFiles.Directory, DatasetSplit.Test, PixelScaling.MinusOneToOne);
        Assert.Equal(1000, data.Count);
        Assert.Equal(6, data.Labels[0].item<long>());
        using var ones = data.Labels.eq(1).sum();
        Assert.Equal(110, ones.item<long>());
        Assert.Equal(-1f, data.Images.min().item<float>());
        Assert.Equal(1f, data.Images.max().item<float>());
    }

    [Fact]
    public void LoadsRawFilesUnderTheirPlainNames()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte"), MnistFiles.Raw("t10k-images-idx3-ubyte.gz"));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), MnistFiles.Raw("t10k-labels-idx1-ubyte.gz"));

        using var data = ImageDataset.Load(dir.Path, DatasetSplit.Test);
        Assert.Equal(1000, data.Count);
    }

    [Fact]
    public void DisagreeingCountsNameBothFiles()
    {
        using var dir = new TempDirectory();
        File.Copy(MnistFiles.PathOf("t10k-images-idx3-ubyte.gz"), dir.File("t10k-images-idx3-ubyte.gz"));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]);

        var e = Assert.Throws<InvalidDataException>(() => ImageDataset.Load(dir.Path, DatasetSplit.Test));
        Assert.Equal(
            "t10k-images-idx3-ubyte.gz has 1,000 images but t10k-labels-idx1-ubyte has 3 labels; they must pair up one to one.",
            e.Message);
    }

    [Fact]
    public void MissingFilesListTheNamesTried()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => ImageDataset.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("'train-images-idx3-ubyte.gz'", e.Message);
        Assert.Contains(dir.Path, e.Message);
    }

    [Fact]
    public void BatchesAreDeterministicPerSeedAndCoverEveryImageOnce()
    {
        using var data = ImageDataset.Load(MnistFiles.Directory, DatasetSplit.Test);
        var first = LabelsInOrder(data, seed: 7, out var sizes);
        var again = LabelsInOrder(data, seed: 7, out _);
        var other = LabelsInOrder(data, seed: 8, out _);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(Enumerable.Repeat(64, 15).Append(40), sizes);
        using var all = data.Labels.bincount(null);
        var counts = first.GroupBy(l => l).OrderBy(g => g.Key).Select(g => (long)g.Count());
        Assert.Equal(all.data<long>().ToArray(), counts);
    }

    [Fact]
    public void SharedRandomGivesDifferentConsecutiveEpochsAndDropLastSkipsPartialBatch()
    {
        using var data = ImageDataset.Load(MnistFiles.Directory, DatasetSplit.Test);
        var random = new Random(3);
        var epoch1 = FirstLabels(data.Batches(100, random));
        var epoch2 = FirstLabels(data.Batches(100, random));
        Assert.NotEqual(epoch1, epoch2);

        var batches = data.Batches(300, seed: 1, dropLast: true).ToList();
        Assert.Equal(3, batches.Count);
        Assert.All(batches, b => Assert.Equal(new long[] { 300, 1, 28, 28 }, b.X.shape));
        foreach (var (x, y) in batches)
        {
            x.Dispose();
            y.Dispose();
        }
    }

    [Fact]
    public void WithLabelsSelectsATaskAndCanRelabel()
    {
        using var data = ImageDataset.Load(MnistFiles.Directory, DatasetSplit.Test);
        using var task = data.WithLabels([2, 3], relabel: true);
        using var twos = data.Labels.eq(2).sum();
        using var threes = data.Labels.eq(3).sum();
        Assert.Equal(twos.item<long>() + threes.item<long>(), task.Count);
        using var relabelledTwos = task.Labels.eq(0).sum();
        Assert.Equal(twos.item<long>(), relabelledTwos.item<long>());
        Assert.Equal(1, task.Labels.max().item<long>());
    }

    private static List<long> LabelsInOrder(ImageDataset data, int seed, out List<int> sizes)
    {
        var labels = new List<long>();
        sizes = [];
        foreach (var (x, y) in data.Batches(64, seed))
        {
            sizes.Add((int)x.shape[0]);
            labels.AddRange(y.data<long>().ToArray());
            x.Dispose();
            y.Dispose();
        }
        return labels;
    }

    private static long[] FirstLabels(IEnumerable<(Tensor X, Tensor Y)> batches)
    {
        var (x, y) = batches.First();
        using (x)
        using (y)
            return y.data<long>().ToArray();
    }
}
