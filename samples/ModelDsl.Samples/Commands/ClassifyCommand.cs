using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using ModelDsl.Data;
using ModelDsl.Models.Classifier;
using ModelDsl.Samples.Cli;
using ModelDsl.Samples.Imaging;
using ModelDsl.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Commands;

/// <summary>
/// <c>classify</c>: trains the <see cref="MnistClassifier"/> (Adam, cross-entropy) on MNIST-10k, Fashion-MNIST or any
/// IDX folder, prints the test accuracy after every epoch, and saves <c>&lt;out&gt;/classifier.mdl</c>, the classifier
/// whose logits and 128-d features score the <c>gan</c> command's samples.
/// </summary>
public static class ClassifyCommand
{
    /// <summary>Epochs of the default run (and of the classifier <c>gan</c> trains when none is cached).</summary>
    public const int DefaultEpochs = 5;

    /// <summary>The trained classifier's file name in the output folder.</summary>
    public const string ClassifierFileName = "classifier.mdl";

    /// <summary>The checkpoint property naming the data set a classifier was trained on.</summary>
    public const string DatasetProperty = "dataset";

    private const int DefaultBatch = 64;
    private const double DefaultLearningRate = 1e-3;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions("classify", defaultEpochs: DefaultEpochs, defaultCheckpointEvery: 500,
            dataDescription: "A folder of MNIST-style IDX files (train-*/t10k-*, raw or .gz); overrides --dataset");
        var dataset = ImageDataSource.CreateDatasetOption();
        var batch = new Option<int>("--batch") { Description = "Images per step", DefaultValueFactory = _ => DefaultBatch, HelpName = "N" };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => DefaultLearningRate };
        var command = new Command("classify", "Train the MNIST classifier (the feature extractor of the GAN metrics) and print its test accuracy")
        {
            dataset, batch, lr,
        };
        common.AddTo(command, CommonOption.EpochTraining);
        command.SetAction(parseResult =>
        {
            var run = common.Read(parseResult);
            var source = ImageDataSource.Resolve(parseResult.GetValue(dataset), run.Data);
            if (run.OutIsDefault)
                run = run with { OutDir = DefaultOutDir(source) };
            var batchSize = parseResult.GetValue(batch);
            var rate = parseResult.GetValue(lr);
            if (batchSize < 1 || !(rate > 0))
                throw new UsageException("--batch must be at least 1 and --lr positive.");
            return Execute(run, source, batchSize, rate, out _);
        });
        return command;
    }

    /// <summary>Where <c>classify</c> writes by default: <c>out/classify</c> for MNIST-10k, <c>out/classify-&lt;data set&gt;</c> otherwise.</summary>
    public static string DefaultOutDir(ImageDataSource source) =>
        source.Key == "mnist-10k" ? Path.Combine("out", "classify") : Path.Combine("out", "classify-" + source.ShortName);

    /// <summary>Trains (or resumes), evaluates and saves the classifier; returns the exit code.</summary>
    internal static int Execute(RunSettings run, ImageDataSource source, int batchSize, double learningRate, out double accuracy)
    {
        accuracy = double.NaN;
        var console = run.Context.Console;
        using var train = source.Load(DatasetSplit.Train, PixelScaling.ZeroToOne);
        using var test = source.Load(DatasetSplit.Test, PixelScaling.ZeroToOne);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Data: {source.Description}: {train.Count:N0} training and {test.Count:N0} test images of {train.Height}×{train.Width}."));
        if (train.Height != 28 || train.Width != 28)
            throw new InvalidDataException($"The classifier takes 28×28 images; {source.Description} has {train.Height}×{train.Width}.");

        Seeding.Seed(run.Seed);
        var batches = new EpochBatches(train, batchSize, run.Seed, dropLast: false);
        var total = run.Steps ?? run.Epochs * batches.StepsPerEpoch;
        using var model = new MnistClassifier();
        using var optimizer = optim.Adam(model.parameters(), learningRate);
        var session = new TrainingSession(run, model, optimizer, total, batchSize, "img");
        session.Properties[DatasetProperty] = source.Key;
        session.Properties["config"] = string.Create(CultureInfo.InvariantCulture, $"batch={batchSize} lr={learningRate}");
        session.Resume(DatasetProperty, "config");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training MnistClassifier ({MnistClassifier.ParameterCount:N0} parameters): {total:N0} steps of {batchSize} ({(double)total / batches.StepsPerEpoch:0.##} epochs), Adam lr {learningRate}, {run.Threads} threads."));

        var outcome = session.Run(step =>
        {
            using var scope = NewDisposeScope();
            model.train();
            var (x, y) = batches.Get(step);
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            var value = LossGuard.Check(loss, step);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (batches.EndsEpoch(step))
            {
                var epochAccuracy = Accuracy(model, test);
                session.Losses.Add("test accuracy", step + 1, epochAccuracy);
                session.Log(string.Create(CultureInfo.InvariantCulture, $"epoch {batches.EpochOf(step) + 1}: test accuracy {100 * epochAccuracy:0.00}%"));
            }
            return [("loss", value)];
        }, "classify");
        if (outcome != TrainingOutcome.Completed)
            return TrainingSession.ExitCode(outcome);

        accuracy = Accuracy(model, test);
        var path = run.OutFile(ClassifierFileName);
        Checkpoint.Save(path, model, new CheckpointMetadata
        {
            Step = session.Step,
            Seed = run.Seed,
            Properties = new Dictionary<string, string>
            {
                [DatasetProperty] = source.Key,
                ["accuracy"] = accuracy.ToString("R", CultureInfo.InvariantCulture),
            },
        });
        LossPlot.SavePng(run.OutFile("losses.png"), $"MnistClassifier on {source.ShortName}",
            [new LossCurve("train loss", session.Losses["loss"], Smooth: true)]);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Test accuracy: {100 * accuracy:0.00}% on {test.Count:N0} images of {source.ShortName}. Classifier saved to {path}; loss plot {run.OutFile("losses.png")}."));
        return ExitCodes.Success;
    }

    /// <summary>
    /// The classifier for the GAN metrics on <paramref name="source"/>: loaded from <paramref name="path"/> (default
    /// <c>&lt;classify's default out&gt;/classifier.mdl</c>), or trained there first with <c>classify</c>'s defaults when absent.
    /// Returns null when that training was interrupted.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is a classifier of another data set.</exception>
    internal static MnistClassifier? LoadOrTrainForMetrics(ImageDataSource source, string? path, RunSettings gan)
    {
        path ??= Path.Combine(DefaultOutDir(source), ClassifierFileName);
        var console = gan.Context.Console;
        if (!File.Exists(path))
        {
            console.WriteLine($"No metrics classifier at {path}: training one first ({DefaultEpochs} epochs of `classify`).");
            var run = gan with
            {
                CommandName = "classify",
                OutDir = Path.GetDirectoryName(Path.GetFullPath(path))!,
                Seed = CommonOptions.DefaultSeed,
                Steps = null,
                Epochs = DefaultEpochs,
                Resume = false,
                CheckpointEvery = 500,
                StopAfter = null,
                LogEvery = null,
            };
            var code = Execute(run, source, DefaultBatch, DefaultLearningRate, out _);
            if (code != ExitCodes.Success)
                return null;
            var trained = Path.Combine(run.OutDir, ClassifierFileName);
            if (!string.Equals(Path.GetFullPath(trained), Path.GetFullPath(path), StringComparison.Ordinal))
                File.Move(trained, path, overwrite: true);
        }

        var info = Checkpoint.ReadInfo(path);
        info.Metadata.Properties.TryGetValue(DatasetProperty, out var trainedOn);
        if (trainedOn != source.Key)
            throw new InvalidDataException(
                $"The classifier {path} was trained on {trainedOn ?? "an unknown data set"}, not {source.Key}; its scores would mean nothing. " +
                "Pass --classifier with one trained by `classify` on the same data, or delete the file to train a new one.");
        var classifier = new MnistClassifier();
        Checkpoint.Load(path, classifier, restoreRngState: false);
        classifier.eval();
        info.Metadata.Properties.TryGetValue("accuracy", out var accuracyText);
        var accuracy = double.TryParse(accuracyText, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) ? a : double.NaN;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Metrics classifier: {path} (test accuracy {100 * accuracy:0.00}%)."));
        return classifier;
    }

    /// <summary>The fraction of <paramref name="data"/> that <paramref name="model"/> classifies right.</summary>
    public static double Accuracy(MnistClassifier model, ImageDataset data)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            long correct = 0;
            for (long start = 0; start < data.Count; start += 500)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(500, data.Count - start);
                var predicted = model.forward(data.Images.narrow(0, start, length)).argmax(1);
                correct += predicted.eq(data.Labels.narrow(0, start, length)).sum().item<long>();
            }
            return (double)correct / data.Count;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Logits <c>[N, 10]</c> and 128-d features <c>[N, 128]</c> of images <c>[N, 1, 28, 28]</c> in [0, 1], in chunks.</summary>
    public static (Tensor Logits, Tensor Features) LogitsAndFeatures(MnistClassifier model, Tensor images)
    {
        model.eval();
        using var noGrad = no_grad();
        var logits = new List<Tensor>();
        var features = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += 500)
        {
            var length = Math.Min(500, images.shape[0] - start);
            using var chunk = images.narrow(0, start, length);
            logits.Add(model.forward(chunk));
            features.Add(model.Features.forward(chunk));
        }
        var result = (cat(logits, 0), cat(features, 0));
        foreach (var t in logits)
            t.Dispose();
        foreach (var t in features)
            t.Dispose();
        return result;
    }
}
