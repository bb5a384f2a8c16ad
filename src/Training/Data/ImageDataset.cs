using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Data;

/// <summary>
/// Labelled greyscale images held in memory: <see cref="Images"/> <c>[N, 1, H, W]</c> float32 and
/// <see cref="Labels"/> <c>[N]</c> int64, served as deterministic shuffled mini-batches.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    /// <summary>Takes ownership of <paramref name="images"/> <c>[N, 1, H, W]</c> float and <paramref name="labels"/> <c>[N]</c> int64.</summary>
    /// <exception cref="ArgumentException">The shapes or dtypes are not those, or the counts differ.</exception>
    public ImageDataset(Tensor images, Tensor labels)
    {
        if (images.dim() != 4 || images.shape[1] != 1 || !images.is_floating_point())
            throw new ArgumentException($"Images must be a float tensor [N, 1, H, W]; got {images.dtype} [{string.Join(", ", images.shape)}].", nameof(images));
        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"Labels must be an int64 tensor [N]; got {labels.dtype} [{string.Join(", ", labels.shape)}].", nameof(labels));
        if (images.shape[0] != labels.shape[0])
            throw new ArgumentException($"There are {images.shape[0]} images but {labels.shape[0]} labels.", nameof(labels));
        Images = images;
        Labels = labels;
    }

    /// <summary>The images, <c>[N, 1, H, W]</c> float32.</summary>
    public Tensor Images { get; }

    /// <summary>The labels, <c>[N]</c> int64.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of images.</summary>
    public int Count => (int)Images.shape[0];

    /// <summary>Image height in pixels.</summary>
    public int Height => (int)Images.shape[2];

    /// <summary>Image width in pixels.</summary>
    public int Width => (int)Images.shape[3];

    /// <summary>
    /// Loads the <paramref name="split"/> of an MNIST-style folder (<c>train-*</c> or <c>t10k-*</c>, raw or
    /// <c>.gz</c>), as shipped in <c>data/mnist-10k</c> or installed for Fashion-MNIST.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists the names tried.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or the image and label counts differ.</exception>
    public static ImageDataset Load(string directory, DatasetSplit split, PixelScaling scaling = PixelScaling.ZeroToOne)
    {
        var images = IdxReader.Read(IdxFileNames.Find(directory, split, images: true), expectedRank: 3);
        var labels = IdxReader.Read(IdxFileNames.Find(directory, split, images: false), expectedRank: 1);
        return FromIdx(images, labels, scaling);
    }

    /// <summary>Builds a dataset from already-read IDX images <c>[N, H, W]</c> and labels <c>[N]</c>.</summary>
    /// <exception cref="InvalidDataException">The ranks are wrong or the counts differ.</exception>
    public static ImageDataset FromIdx(IdxData images, IdxData labels, PixelScaling scaling = PixelScaling.ZeroToOne)
    {
        if (images.Dimensions.Count != 3)
            throw new InvalidDataException($"{images.FileName}: expected images N×height×width but found rank {images.Dimensions.Count}.");
        if (labels.Dimensions.Count != 1)
            throw new InvalidDataException($"{labels.FileName}: expected labels N but found rank {labels.Dimensions.Count}.");
        if (images.Count != labels.Count)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{images.FileName} has {images.Count:N0} images but {labels.FileName} has {labels.Count:N0} labels; they must pair up one to one."));

        long[] shape = [images.Count, 1, images.Dimensions[1], images.Dimensions[2]];
        using var bytes = tensor(images.Data, shape, ScalarType.Byte);
        var pixels = scaling == PixelScaling.ZeroToOne
            ? bytes.to_type(ScalarType.Float32).div_(255f)
            : bytes.to_type(ScalarType.Float32).div_(127.5f).sub_(1f);
        using var labelBytes = tensor(labels.Data, [labels.Count], ScalarType.Byte);
        var classes = labelBytes.to_type(ScalarType.Int64);
        return new ImageDataset(pixels, classes);
    }

    /// <summary>
    /// The images whose label is in <paramref name="labels"/> (e.g. one task of split MNIST), as a new dataset;
    /// with <paramref name="relabel"/> their labels become positions in <paramref name="labels"/> (0, 1, …).
    /// </summary>
    public ImageDataset WithLabels(IReadOnlyList<long> labels, bool relabel = false)
    {
        using var scope = NewDisposeScope();
        using var wanted = tensor(labels.ToArray());
        var mask = Labels.unsqueeze(1).eq(wanted.unsqueeze(0));
        var index = mask.any(1).nonzero().squeeze(1);
        var images = Images.index_select(0, index);
        var kept = Labels.index_select(0, index);
        if (relabel)
            kept = mask.index_select(0, index).to_type(ScalarType.Int64).argmax(1);
        return new ImageDataset(images.MoveToOuterDisposeScope(), kept.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// One epoch of mini-batches <c>(x [B, 1, H, W], y [B])</c> in an order drawn from <paramref name="random"/>:
    /// the same seed gives the same batches. The caller disposes each pair.
    /// </summary>
    /// <param name="batchSize">Images per batch; the last batch is smaller unless <paramref name="dropLast"/>.</param>
    /// <param name="random">Source of the shuffle; advanced once per epoch, so consecutive epochs differ.</param>
    /// <param name="shuffle">False keeps file order (evaluation).</param>
    /// <param name="dropLast">Skips a final partial batch (keeps batch statistics uniform).</param>
    /// <param name="device">Where the batches go; the dataset itself stays where it is.</param>
    public IEnumerable<(Tensor X, Tensor Y)> Batches(int batchSize, Random random, bool shuffle = true, bool dropLast = false, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentNullException.ThrowIfNull(random);
        // Drawn eagerly so that the shuffle happens at the call, not at the first MoveNext.
        var order = shuffle ? Permutation.Shuffled(Count, random) : Enumerable.Range(0, Count).Select(i => (long)i).ToArray();
        return Enumerate(order, batchSize, dropLast, device);
    }

    /// <summary>One epoch of mini-batches shuffled by <c>new Random(seed)</c>; see <see cref="Batches(int, Random, bool, bool, Device?)"/>.</summary>
    public IEnumerable<(Tensor X, Tensor Y)> Batches(int batchSize, int seed, bool shuffle = true, bool dropLast = false, Device? device = null) =>
        Batches(batchSize, new Random(seed), shuffle, dropLast, device);

    private IEnumerable<(Tensor X, Tensor Y)> Enumerate(long[] order, int batchSize, bool dropLast, Device? device)
    {
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var size = Math.Min(batchSize, order.Length - start);
            if (size < batchSize && dropLast)
                yield break;
            using var index = tensor(order.AsSpan(start, size).ToArray());
            var x = Images.index_select(0, index);
            var y = Labels.index_select(0, index);
            if (device is not null)
            {
                x = MoveTo(x, device);
                y = MoveTo(y, device);
            }
            yield return (x, y);
        }
    }

    private static Tensor MoveTo(Tensor t, Device device)
    {
        var moved = t.to(device);
        if (!ReferenceEquals(moved, t))
            t.Dispose();
        return moved;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
