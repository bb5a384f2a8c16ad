using System.CommandLine;
using System.Globalization;
using ModelDsl.Data;
using ModelDsl.Models.Classifier;
using ModelDsl.Samples.Harness;
using ModelDsl.Training;
using static System.FormattableString;
using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>
/// <c>classify</c>: the <see cref="MnistClassifier"/> (Adam, cross-entropy) on MNIST-10k, Fashion-MNIST or any IDX
/// folder, with the test accuracy after every epoch. Saves <c>classifier.mdl</c>, whose logits and 128-d features
/// score the <c>gan</c> command's samples.
/// </summary>
public static class ClassifySample
{
    public const string FileName = "classifier.mdl";
    private static readonly string[] Outputs = [FileName, "losses.png"];

    public sealed record Settings
    {
        [Option("--dataset", ImageSource.DatasetHelp, Choices = ["mnist", "fashion"])] public string Dataset { get; init; } = "mnist";
        [Option("--data", ImageSource.DataHelp, HelpName = "DIR", MayChangeOnResume = true)] public string? Data { get; init; }
        [Option("--epochs", "Passes over the training images", Min = 1, Max = 1_000_000, MayChangeOnResume = true)] public int Epochs { get; init; } = 5;
        [Option("--steps", "Training steps (overrides --epochs)", Min = 1, Max = RunOptions.MaxSteps, MayChangeOnResume = true)] public long? Steps { get; init; }
        [Option("--batch", "Images per step", Min = 1, Max = 1_000_000)] public int Batch { get; init; } = 64;
        [Option("--lr", "Adam learning rate", Min = 1e-12, Max = 10)] public double LearningRate { get; init; } = 1e-3;
    }

    public static Command Command(Host host) => SampleRun.Create<Settings>(host, "classify", "MNIST classifier",
        "Train the MNIST classifier (the feature extractor of the GAN metrics) and print its test accuracy",
        new RunOptions { CheckpointEvery = 500 }, Outputs, Train, s => DefaultOut(ImageSource.Resolve(s.Dataset, s.Data)));

    /// <summary><c>out/classify</c> for MNIST-10k, <c>out/classify-&lt;data set&gt;</c> otherwise.</summary>
    public static string DefaultOut(ImageSource source) => Path.Combine("out", source.Key == "mnist-10k" ? "classify" : "classify-" + source.Name);

    private static int Train(SampleRun run, Settings s)
    {
        // Data: images in [0, 1]; each epoch shuffled from (seed, epoch).
        var source = ImageSource.Resolve(s.Dataset, s.Data);
        run.UseDataIn(source.Directory, "train-");
        using var train = source.Load(DatasetSplit.Train, PixelScaling.ZeroToOne);
        using var test = source.Load(DatasetSplit.Test, PixelScaling.ZeroToOne);
        run.Log($"Data: {source.Description}: {train.Count:N0} training and {test.Count:N0} test images of {train.Height}×{train.Width}.");
        if (train.Height != 28 || train.Width != 28)
            throw new InvalidDataException($"The classifier takes 28×28 images; {source.Description} has {train.Height}×{train.Width}.");

        Seeding.Seed(run.Seed);
        var batches = new EpochBatches(train, s.Batch, run.Seed, dropLast: false);
        var total = s.Steps ?? s.Epochs * batches.StepsPerEpoch;
        using var model = new MnistClassifier();
        using var optimizer = optim.Adam(model.parameters(), s.LearningRate);

        var training = run.Train(model, optimizer, total, s.Batch, "img");
        run.Log(Invariant($"Training MnistClassifier ({MnistClassifier.ParameterCount:N0} parameters): {total:N0} steps of {s.Batch} ({(double)total / batches.StepsPerEpoch:0.##} epochs), Adam lr {s.LearningRate}, {run.Options.ThreadsText}."));
        foreach (var step in training.Steps())
        {
            using (NewDisposeScope())
            {
                model.train();
                var (x, y) = batches.Get(step);
                var loss = nn.functional.cross_entropy(model.forward(x), y);
                training.Record("loss", loss);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
            if (batches.EndsEpoch(step))
            {
                var accuracy = Accuracy(model, test);
                training.Losses.Add("test accuracy", step + 1, accuracy);
                run.Log(Invariant($"epoch {batches.EpochOf(step) + 1}: test accuracy {100 * accuracy:0.00}%"));
            }
        }
        if (training.Stopped)
            return training.ExitCode;

        var final = Accuracy(model, test);
        var properties = new Dictionary<string, string> { ["dataset"] = source.Key, ["accuracy"] = final.ToString("R", CultureInfo.InvariantCulture) };
        Checkpoint.Save(run.OutFile(FileName), model, new CheckpointMetadata { Step = training.Step, Seed = run.Seed, Properties = properties });
        Plots.Save(run.OutFile("losses.png"), $"MnistClassifier on {source.Name}", YAxis.Log, "loss", new Curve("train loss", training.Losses["loss"], Smooth: true));
        run.Log(Invariant($"Test accuracy: {100 * final:0.00}% on {test.Count:N0} images of {source.Name}. Classifier saved to {run.OutFile(FileName)}; loss plot {run.OutFile("losses.png")}."));
        return ExitCodes.Success;
    }

    /// <summary>
    /// The classifier that scores <c>gan</c>'s samples of <paramref name="source"/>: <paramref name="path"/> (default
    /// <see cref="DefaultOut"/>/classifier.mdl), trained there first with <c>classify</c>'s defaults when absent
    /// (null when that training was stopped).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is a classifier of another data set.</exception>
    public static MnistClassifier? ForMetrics(SampleRun gan, ImageSource source, string? path)
    {
        path ??= Path.Combine(DefaultOut(source), FileName);
        if (!File.Exists(path))
        {
            gan.Log($"No metrics classifier at {path}: training one first (`classify`, {new Settings().Epochs} epochs).");
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var (run, settings) = SampleRun.Nested(gan.Host, "classify", "MNIST classifier", folder, Outputs,
                new RunOptions { CheckpointEvery = 500, Threads = gan.Options.Threads },
                new Settings { Dataset = source.Key == "fashion-mnist" ? "fashion" : "mnist", Data = source.Key.StartsWith("dir:") ? source.Directory : null });
            if (Train(run, settings) != ExitCodes.Success)
                return null;
            if (Path.GetFileName(path) != FileName)
                File.Move(run.OutFile(FileName), path);
        }

        var info = Checkpoint.ReadInfo(path);
        if (info.Metadata.Properties.GetValueOrDefault("dataset") is var trainedOn && trainedOn != source.Key)
            throw new InvalidDataException($"The classifier {path} was trained on {trainedOn ?? "an unknown data set"}, not {source.Key}; its scores would mean nothing. Give --classifier one trained by `classify` on the same data, or delete the file to train a new one.");
        var classifier = new MnistClassifier();
        Checkpoint.Load(path, classifier, restoreRngState: false);
        classifier.eval();
        var accuracy = double.Parse(info.Metadata.Properties.GetValueOrDefault("accuracy") ?? "NaN", CultureInfo.InvariantCulture);
        gan.Log(Invariant($"Metrics classifier: {path} (test accuracy {100 * accuracy:0.00}%)."));
        return classifier;
    }

    /// <summary>The fraction of <paramref name="data"/> classified right, in eval mode.</summary>
    public static double Accuracy(MnistClassifier model, ImageDataset data)
    {
        model.eval();
        using var noGrad = no_grad();
        long correct = 0;
        for (long start = 0; start < data.Count; start += 500)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(500, data.Count - start);
            correct += model.forward(data.Images.narrow(0, start, length)).argmax(1).eq(data.Labels.narrow(0, start, length)).sum().item<long>();
        }
        model.train();
        return (double)correct / data.Count;
    }

    /// <summary>Logits <c>[N, 10]</c> and 128-d features <c>[N, 128]</c> of images <c>[N, 1, 28, 28]</c> in [0, 1].</summary>
    public static (Tensor Logits, Tensor Features) LogitsAndFeatures(MnistClassifier model, Tensor images)
    {
        model.eval();
        using var noGrad = no_grad();
        var chunks = Enumerable.Range(0, (int)((images.shape[0] + 499) / 500)).Select(i => images.narrow(0, 500L * i, Math.Min(500, images.shape[0] - 500L * i))).ToList();
        return (cat(chunks.Select(model.forward).ToList(), 0), cat(chunks.Select(model.Features.forward).ToList(), 0));
    }
}
