using ModelDsl.Data;
using ModelDsl.Samples.Harness;
using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>One task of a continual-learning sequence; <paramref name="Validation"/> is held out of the training images.</summary>
public sealed record PnnTask(string Name, int Classes, ImageDataset Train, ImageDataset Validation, ImageDataset Test) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}

/// <summary>The task sequences of the <c>pnn</c> sample.</summary>
public static class PnnTasks
{
    public static readonly IReadOnlyList<long[]> SplitMnistLabels = [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]];

    /// <summary>One task per label group, relabelled to the position in the group (0, 1), so every task has the same two-way head.</summary>
    public static List<PnnTask> Split(ImageDataset train, ImageDataset test, IReadOnlyList<long[]> groups, double validationFraction = 0.1, int maxValidation = 1000, int seed = 0) =>
        groups.Select((group, t) =>
        {
            using var taskTrain = train.WithLabels(group, relabel: true);
            var (fit, validation) = HoldOut(taskTrain, validationFraction, maxValidation, seed + t);
            return new PnnTask(string.Join("/", group), group.Length, fit, validation, test.WithLabels(group, relabel: true));
        }).ToList();

    /// <summary>Split MNIST: five two-class tasks 0/1, 2/3, 4/5, 6/7, 8/9 of an MNIST folder.</summary>
    public static List<PnnTask> SplitMnist(string directory, int seed = 0)
    {
        using var train = ImageDataset.Load(directory, DatasetSplit.Train);
        using var test = ImageDataset.Load(directory, DatasetSplit.Test);
        return Split(train, test, SplitMnistLabels, seed: seed);
    }

    /// <summary>Two ten-class tasks: MNIST, then Fashion-MNIST.</summary>
    /// <exception cref="UsageException">Fashion-MNIST is not installed; the message says how to get it.</exception>
    public static List<PnnTask> MnistThenFashion(string mnist, string fashion, int seed = 0) =>
        [Whole("MNIST", mnist, seed), Whole("Fashion-MNIST", fashion, seed + 1)];

    /// <summary>Where Fashion-MNIST is.</summary>
    /// <exception cref="UsageException">It is not installed; the message says how to get it.</exception>
    public static string FashionDirectory() => DataPaths.FindFashionMnist() ?? throw new UsageException(
        $"--sequence mnist-fashion: Fashion-MNIST is not in {DataPaths.FashionMnistDirectory}. Install Debian's package 'dataset-fashion-mnist' " +
        $"(apt-get install dataset-fashion-mnist), set {DataPaths.FashionMnistVariable} to a folder with its four IDX files, or use --sequence split-mnist.");

    public static PnnTask Whole(string name, string directory, int seed = 0)
    {
        using var train = ImageDataset.Load(directory, DatasetSplit.Train);
        var (fit, validation) = HoldOut(train, 0.1, 1000, seed);
        return new PnnTask(name, 10, fit, validation, ImageDataset.Load(directory, DatasetSplit.Test));
    }

    /// <summary>A random split (from <paramref name="seed"/>) into training images and <paramref name="fraction"/> of them for validation (at most <paramref name="max"/>, at least one).</summary>
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

    private static ImageDataset Subset(ImageDataset data, long[] indices)
    {
        using var index = tensor(indices);
        return new ImageDataset(data.Images.index_select(0, index), data.Labels.index_select(0, index));
    }
}

/// <summary>
/// A network's answers on one task's test images: its logits (a CPU copy), predictions and accuracy; recorded
/// right after the task is trained and compared bit for bit later.
/// </summary>
public sealed class TaskSnapshot : IDisposable
{
    /// <summary>Takes ownership of <paramref name="logits"/> <c>[N, classes]</c>; <paramref name="labels"/> are the true labels <c>[N]</c>.</summary>
    public TaskSnapshot(Tensor logits, Tensor labels)
    {
        if (logits.dim() != 2 || labels.dim() != 1 || logits.shape[0] != labels.shape[0])
            throw new ArgumentException($"Need logits [N, C] and labels [N]; got [{string.Join(", ", logits.shape)}] and [{string.Join(", ", labels.shape)}].");
        Logits = logits;
        using var predictions = logits.argmax(1);
        Predictions = predictions.data<long>().ToArray();
        using var right = predictions.eq(labels.to(predictions.device)).sum();
        Correct = right.item<long>();
    }

    public Tensor Logits { get; }
    public long[] Predictions { get; }
    public long Correct { get; }
    public double Accuracy => Predictions.Length == 0 ? 0 : (double)Correct / Predictions.Length;

    /// <summary>The logits of every image of <paramref name="data"/> in eval mode, in fixed chunks (the same network gives the same bytes every time).</summary>
    public static TaskSnapshot Of(nn.Module module, Func<Tensor, Tensor> forward, ImageDataset data)
    {
        module.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = Enumerable.Range(0, (data.Count + 499) / 500).Select(i => forward(data.Images.narrow(0, 500L * i, Math.Min(500, data.Count - 500L * i)))).ToList();
        var snapshot = new TaskSnapshot(cat(logits, 0).cpu().MoveToOuterDisposeScope(), data.Labels);
        module.train();
        return snapshot;
    }

    /// <summary>The same answer bit for bit: identical logits (every float's bytes), hence predictions and accuracy.</summary>
    public bool IsIdenticalTo(TaskSnapshot later) =>
        later.Correct == Correct && later.Predictions.AsSpan().SequenceEqual(Predictions) && BitwiseEqual(Logits, later.Logits);

    /// <summary>The largest absolute logit difference (0 when identical).</summary>
    public double MaxAbsoluteDifference(TaskSnapshot later)
    {
        if (!later.Logits.shape.AsSpan().SequenceEqual(Logits.shape))
            return double.PositiveInfinity;
        using var difference = (Logits - later.Logits).abs().max();
        return difference.item<float>();
    }

    public static bool BitwiseEqual(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.AsSpan().SequenceEqual(b.shape))
            return false;
        using var x = a.detach().cpu().contiguous();
        using var y = b.detach().cpu().contiguous();
        return x.numel() == 0 || x.bytes.SequenceEqual(y.bytes);
    }

    public void Dispose() => Logits.Dispose();
}
