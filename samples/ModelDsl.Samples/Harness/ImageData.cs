using ModelDsl.Data;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Harness;

/// <summary>An MNIST-style IDX folder chosen by <c>--dataset</c> or <c>--data DIR</c>.</summary>
/// <param name="Name">For messages and folder names: <c>mnist-10k</c>, <c>fashion-mnist</c> or the folder's name.</param>
/// <param name="Key">Identifies the data in a classifier file: the GAN metrics mean nothing with another data set's classifier.</param>
public sealed record ImageSource(string Name, string Description, string Directory, string Key)
{
    public const string DatasetHelp = "mnist: the shipped MNIST subset (data/mnist-10k: 9,000 train, 1,000 test); fashion: Fashion-MNIST (Debian package dataset-fashion-mnist)";
    public const string DataHelp = "A folder of MNIST-style IDX files (train-*, t10k-*, raw or .gz); overrides --dataset";

    /// <exception cref="UsageException">The folder does not exist or Fashion-MNIST is not installed.</exception>
    public static ImageSource Resolve(string dataset, string? data)
    {
        if (!string.IsNullOrEmpty(data))
        {
            var full = Path.GetFullPath(data);
            return System.IO.Directory.Exists(full)
                ? new ImageSource(Path.GetFileName(full.TrimEnd('/')), $"IDX data in {full}", full, "dir:" + full)
                : throw new UsageException($"--data: '{data}' is not a folder; it must hold MNIST-style IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-…).");
        }
        if (dataset == "fashion")
        {
            var fashion = DataPaths.FindFashionMnist() ?? throw new UsageException(
                $"--dataset fashion: Fashion-MNIST is not in {DataPaths.FashionMnistDirectory}. Install it (apt-get install dataset-fashion-mnist), " +
                $"or pass a folder of its four IDX files with --data DIR (or set {DataPaths.FashionMnistVariable}).");
            return new ImageSource("fashion-mnist", $"Fashion-MNIST ({fashion})", fashion, "fashion-mnist");
        }
        var mnist = DataPaths.Mnist10k();
        return new ImageSource("mnist-10k", $"MNIST-10k (shipped, {mnist})", mnist, "mnist-10k");
    }

    public ImageDataset Load(DatasetSplit split, PixelScaling scaling) => ImageDataset.Load(Directory, split, scaling);
}

/// <summary>
/// Shuffled mini-batches addressed by the step: step <c>s</c> is batch <c>s mod StepsPerEpoch</c> of epoch
/// <c>s / StepsPerEpoch</c>, so a resumed run goes straight to the batch the uninterrupted run would have drawn next.
/// </summary>
public sealed class EpochBatches
{
    private readonly ImageDataset _data;
    private readonly int _batchSize;
    private readonly Func<long, Random> _shuffleOfEpoch;
    private long _epoch = -1;
    private long[] _order = [];

    /// <summary>Epoch <c>e</c> shuffled by <see cref="Random"/> <paramref name="shuffleOfEpoch"/>(e).</summary>
    public EpochBatches(ImageDataset data, int batchSize, bool dropLast, Func<long, Random> shuffleOfEpoch)
    {
        (_data, _batchSize, _shuffleOfEpoch) = (data, batchSize, shuffleOfEpoch);
        StepsPerEpoch = dropLast ? data.Count / batchSize : (data.Count + batchSize - 1) / batchSize;
        if (StepsPerEpoch < 1)
            throw new InvalidDataException($"The data set has {data.Count:N0} images, fewer than one batch of {batchSize}.");
    }

    /// <summary>Epoch <c>e</c> shuffled by <c>StepSeeds.For(seed, Shuffle, e)</c>.</summary>
    public EpochBatches(ImageDataset data, int batchSize, int seed, bool dropLast)
        : this(data, batchSize, dropLast, epoch => StepSeeds.For(seed, StepSeeds.Shuffle, epoch)) { }

    /// <summary>
    /// Epoch after epoch shuffled by one <see cref="Random"/>, as <see cref="ImageDataset.Batches(int, Random, bool, bool, Device?)"/>
    /// called once per epoch does: epoch <c>e</c> replays the <c>e</c> shuffles before it.
    /// </summary>
    public static EpochBatches Sequential(ImageDataset data, int batchSize, int seed, bool dropLast)
    {
        var random = new Random(seed);
        long drawn = 0;
        return new EpochBatches(data, batchSize, dropLast, epoch =>
        {
            if (epoch < drawn)
                (random, drawn) = (new Random(seed), 0);
            for (; drawn < epoch; drawn++)
                Shuffle(data.Count, random);
            drawn++;
            return random;
        });
    }

    public long StepsPerEpoch { get; }

    public long EpochOf(long step) => step / StepsPerEpoch;

    public bool EndsEpoch(long step) => (step + 1) % StepsPerEpoch == 0;

    /// <summary>The images and labels of <paramref name="step"/>; the caller disposes both.</summary>
    public (Tensor X, Tensor Y) Get(long step)
    {
        if (EpochOf(step) != _epoch)
        {
            _epoch = EpochOf(step);
            _order = Shuffle(_data.Count, _shuffleOfEpoch(_epoch));
        }
        var start = (int)(step % StepsPerEpoch) * _batchSize;
        using var index = tensor(_order.AsSpan(start, Math.Min(_batchSize, _order.Length - start)).ToArray());
        return (_data.Images.index_select(0, index), _data.Labels.index_select(0, index));
    }

    // Fisher–Yates, as ImageDataset.Batches shuffles.
    private static long[] Shuffle(int n, Random random)
    {
        var order = new long[n];
        for (var i = 0; i < n; i++)
            order[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
