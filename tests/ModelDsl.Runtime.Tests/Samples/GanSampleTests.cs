using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.Runtime.Tests.Data;
using Xunit;
using static ModelDsl.Runtime.Tests.Samples.SamplesHarness;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>The <c>gan</c> sample's metrics: scored at every epoch, kept in <c>metrics.json</c> and plotted.</summary>
public sealed class GanSampleTests
{
    // 32 training digits in batches of 8: an epoch is 4 steps. A classifier trained for 2 steps on the same folder.
    private static (string Data, string Classifier) SmallDigitsAndClassifier(TempDirectory dir)
    {
        var data = WriteSmallMnist(dir, train: 32, test: 24);
        var classify = dir.File("classify");
        var (code, _, error) = Run("classify", "--data", data, "--out", classify, "--steps", "2", "--batch", "8", "--threads", "1");
        Assert.True(code == 0, error);
        return (data, Path.Combine(classify, "classifier.mdl"));
    }

    [Fact]
    public void MetricsAreScoredAtEveryEpochAndAtTheLastStep()
    {
        using var dir = new TempDirectory();
        var (data, classifier) = SmallDigitsAndClassifier(dir);
        var output = dir.File("gan");

        // 10 steps: epochs end at steps 4 and 8, and the run ends mid-epoch at 10.
        var (code, text, error) = Run(TinyGan(data, output, 10, "--eval-samples", "20", "--classifier", classifier));
        Assert.True(code == 0, error);
        Assert.Contains("epoch 1: D", text);
        Assert.Matches(@"epoch 2: D [0-9.]+, G [0-9.]+ \(epoch means\); IS [0-9.]+, FID [0-9.]+", text);

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        var root = metrics.RootElement;
        var history = root.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([4L, 8L, 10L], history.Select(h => h.GetProperty("step").GetInt64()));
        Assert.Equal([1.0, 2.0, 2.5], history.Select(h => h.GetProperty("epoch").GetDouble()));
        Assert.All(history, h => Assert.InRange(h.GetProperty("inceptionScore").GetDouble(), 1.0, 10.0));
        Assert.All(history, h => Assert.True(h.GetProperty("frechetDistance").GetDouble() >= 0));
        Assert.Equal(history[^1].GetProperty("frechetDistance").GetDouble(), root.GetProperty("frechetDistance").GetDouble());
        Assert.Equal(20, root.GetProperty("samples").GetInt32());
        Assert.True(root.GetProperty("realInceptionScore").GetDouble() >= 1.0);
        Assert.True(File.Exists(Path.Combine(output, "losses.png")));
    }

    [Fact]
    public void AResumedRunKeepsTheMetricHistory()
    {
        using var dir = new TempDirectory();
        var (data, classifier) = SmallDigitsAndClassifier(dir);
        var output = dir.File("gan");

        Assert.Equal(130, Run(TinyGan(data, output, 8, "--eval-samples", "20", "--classifier", classifier, "--stop-after", "6")).Code);
        var (code, _, error) = Run(TinyGan(data, output, 8, "--eval-samples", "20", "--classifier", classifier, "--resume"));
        Assert.True(code == 0, error);

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal([4L, 8L], metrics.RootElement.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("step").GetInt64()));
    }

    [Fact]
    public void ConditionalRunReportsAccuracyByClassAndGeneratesOneDigit()
    {
        using var dir = new TempDirectory();
        var (data, classifier) = SmallDigitsAndClassifier(dir);
        var output = dir.File("cgan");

        var (code, text, error) = Run(TinyGan(data, output, 4, "--conditional", "--ema", "0.9", "--eval-samples", "20", "--classifier", classifier));
        Assert.True(code == 0, error);
        Assert.Contains("Training the conditional DCGAN", text);
        Assert.Contains("row i is class i", text);
        Assert.Matches(@"class accuracy: [0-9.]+% \(by class 0:[0-9.]+% 1:", text);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json"))))
        {
            var byClass = metrics.RootElement.GetProperty("classAccuracyByClass").EnumerateArray().Select(a => a.GetDouble()).ToList();
            Assert.Equal(10, byClass.Count);
            Assert.All(byClass, a => Assert.InRange(a, 0.0, 1.0));
            Assert.Equal(byClass.Average(), metrics.RootElement.GetProperty("classAccuracy").GetDouble(), 12);
            Assert.Single(metrics.RootElement.GetProperty("history").EnumerateArray());
        }

        var sevens = dir.File("sevens.png");
        var (generated, said, generateError) = Run("generate", output, "--digit", "7", "--count", "9", "--image", sevens);
        Assert.True(generated == 0, generateError);
        Assert.Contains("9 images from", said);
        Assert.True(new FileInfo(sevens).Length > 0);
    }

    [Fact]
    public void DefaultDiscriminatorLearnsTheClassesAndTheTutorialsDoesNot()
    {
        using var dir = new TempDirectory();
        var data = WriteSmallMnist(dir, train: 16, test: 8);

        var (code, text, error) = Run(TinyGan(data, dir.File("deep"), 2));
        Assert.True(code == 0, error);
        Assert.Contains("Training the DCGAN (generator", text);
        Assert.Contains("a discriminator that learns the classes too", text);
        Assert.Contains("bce loss + 0.5 × class entropy, Adam lr 0.001", text);
        Assert.Matches(@"D [0-9.]+ +classes [0-9.]+ +G [0-9.]+ +class entropy [0-9.]+", text);

        (code, text, error) = Run(TinyGan(data, dir.File("tutorial"), 2, "--arch", "tutorial"));
        Assert.True(code == 0, error);
        Assert.DoesNotContain("learns the classes", text);

        (code, _, error) = Run(TinyGan(data, dir.File("conditional"), 2, "--conditional", "--discriminator", "classes"));
        Assert.Equal(2, code);
        Assert.Contains("--discriminator classes is the unconditional discriminator of --arch deep and compact; the conditional DCGAN's discriminator is told the class.", error);
        (code, _, error) = Run(TinyGan(data, dir.File("binary"), 2, "--discriminator", "binary", "--class-entropy", "1"));
        Assert.Equal(2, code);
        Assert.Contains("--class-entropy weighs the entropy of a classifying discriminator's classes; this run's discriminator has one logit. Leave --class-entropy out or add --discriminator classes.", error);
        (code, _, error) = Run(TinyGan(data, dir.File("tutorial-shift"), 2, "--arch", "tutorial", "--class-shift", "2"));
        Assert.Equal(2, code);
        Assert.Contains("--class-shift augments the images a classifying discriminator learns the classes of; this run's discriminator has one logit. Leave --class-shift out.", error);

        // The generator of the default pair draws again from its weights file.
        var (generated, said, generateError) = Run("generate", dir.File("deep"), "--count", "4", "--image", dir.File("four.png"));
        Assert.True(generated == 0, generateError);
        Assert.Contains("4 images from", said);
    }

    [Fact]
    public void DigitNeedsAConditionalModel()
    {
        using var dir = new TempDirectory();
        var data = WriteSmallMnist(dir, train: 16, test: 8);
        var (code, _, error) = Run(TinyGan(data, dir.File("gan"), 2, "--digit", "7"));
        Assert.Equal(2, code);
        Assert.Contains("--digit chooses the class a conditional DCGAN draws; add --conditional.", error);

        Assert.Equal(0, Run(TinyGan(data, dir.File("plain"), 2)).Code);
        var (generated, _, generateError) = Run("generate", dir.File("plain"), "--digit", "3");
        Assert.Equal(2, generated);
        Assert.Contains("is an unconditional DCGAN generator; train one with `gan --conditional`", generateError);
    }
}
