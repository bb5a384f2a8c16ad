using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Models.Classifier;
using ModelDsl.Samples.Harness;
using static System.FormattableString;
using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>One evaluation of generated images: the Inception-style score (mean and spread over splits) and the Fréchet distance.</summary>
public readonly record struct GanScores(double InceptionScore, double InceptionScoreStd, double FrechetDistance)
{
    public string Describe() => Invariant($"IS {InceptionScore:0.00}, FID {FrechetDistance:0.00}");
}

/// <summary>
/// The Inception-style score and Fréchet distance of generated images in a classifier's logit / 128-d feature space,
/// with the real data's own figures for scale: IS of <see cref="Count"/> held-out (t10k) images, FID of as many
/// training images against them. The held-out features are computed once, so scoring after every epoch costs one
/// pass of the small classifier over the generated images.
/// </summary>
public sealed class GanMetrics : IDisposable
{
    private readonly MnistClassifier _classifier;
    private readonly Tensor _testFeatures;

    private GanMetrics(MnistClassifier classifier, Tensor testFeatures, string dataset, int count, InceptionScoreResult realInception, double realFrechet)
    {
        (_classifier, _testFeatures, Dataset, Count) = (classifier, testFeatures, dataset, count);
        (RealInceptionScore, RealInceptionScoreStd, RealFrechetDistance) = (realInception.Mean, realInception.StandardDeviation, realFrechet);
    }

    public string Dataset { get; }

    /// <summary>Images scored per evaluation (generated, held-out and training images alike).</summary>
    public int Count { get; }

    public double RealInceptionScore { get; }
    public double RealInceptionScoreStd { get; }
    public double RealFrechetDistance { get; }

    /// <summary>The reference figures of <paramref name="source"/> for up to <paramref name="samples"/> images (fewer when a split is smaller).</summary>
    public static GanMetrics Create(SampleRun run, ImageSource source, MnistClassifier classifier, int samples)
    {
        using var test = source.Load(DatasetSplit.Test, PixelScaling.ZeroToOne);
        using var train = source.Load(DatasetSplit.Train, PixelScaling.ZeroToOne);
        var n = (int)Math.Min(samples, Math.Min(test.Count, train.Count));
        if (n < Splits(n))
            throw new InvalidDataException($"{source.Description} has {n} held-out images; the metrics need at least {Splits(n)}.");
        using var scope = NewDisposeScope();
        var order = Enumerable.Range(0, (int)train.Count).Select(i => (long)i).ToArray();
        StepSeeds.For(run.Seed, StepSeeds.Evaluation).Shuffle(order);
        var realTrain = train.Images.index_select(0, tensor(order.AsSpan(0, n).ToArray()));
        var (testLogits, testFeatures) = ClassifySample.LogitsAndFeatures(classifier, test.Images.narrow(0, 0, n));
        var (_, trainFeatures) = ClassifySample.LogitsAndFeatures(classifier, realTrain);
        var metrics = new GanMetrics(classifier, testFeatures.MoveToOuterDisposeScope(), source.Name, n,
            InceptionScore.Compute(testLogits, Splits(n)), FrechetDistance.Compute(trainFeatures, testFeatures));
        run.Log(Invariant($"Metrics on {n:N0} images, scored at every epoch: real data's Inception-style score {metrics.RealInceptionScore:0.00} (t10k), Fréchet distance {metrics.RealFrechetDistance:0.00} (training subset to t10k)."));
        return metrics;
    }

    /// <summary>Scores <see cref="Count"/> generated images <c>[N, 1, 28, 28]</c> in [0, 1].</summary>
    public GanScores Score(Tensor generated)
    {
        using var scope = NewDisposeScope();
        var (logits, features) = ClassifySample.LogitsAndFeatures(_classifier, generated);
        var inception = InceptionScore.Compute(logits, Splits((int)generated.shape[0]));
        return new GanScores(inception.Mean, inception.StandardDeviation, FrechetDistance.Compute(features, _testFeatures));
    }

    /// <summary>The classifier's predicted classes of generated images in [0, 1].</summary>
    public Tensor Classify(Tensor generated) => ClassifySample.LogitsAndFeatures(_classifier, generated).Logits.argmax(1);

    public void Dispose() => _testFeatures.Dispose();

    private static int Splits(int n) => Math.Max(1, Math.Min(10, n / 10));
}
