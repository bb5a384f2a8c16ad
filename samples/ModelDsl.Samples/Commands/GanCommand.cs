using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.Metrics;
using ModelDsl.Models.Classifier;
using ModelDsl.Models.Dcgan;
using ModelDsl.Samples.Cli;
using ModelDsl.Samples.Imaging;
using ModelDsl.Training;
using ModelDsl.Weights;
using Spectre.Console;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Commands;

/// <summary>
/// <c>gan</c>: trains the <see cref="Dcgan"/> (Adam 2e-4, β1 0.5, BCE with logits, batch 64) on MNIST-10k,
/// Fashion-MNIST or any IDX folder; writes a grid of samples from a fixed noise batch after every epoch and a loss
/// plot; at the end scores generated images with the classifier's Inception-style score and Fréchet distance,
/// beside the real data's own scores.
/// </summary>
public static class GanCommand
{
    private const int DefaultEpochs = 5;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions("gan", defaultEpochs: DefaultEpochs, defaultCheckpointEvery: 100,
            dataDescription: "A folder of MNIST-style IDX files (train-*/t10k-*, raw or .gz); overrides --dataset");
        var dataset = ImageDataSource.CreateDatasetOption();
        var batch = new Option<int>("--batch") { Description = "Images per step", DefaultValueFactory = _ => 64, HelpName = "N" };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate of both networks", DefaultValueFactory = _ => 2e-4 };
        var beta1 = new Option<double>("--beta1") { Description = "Adam β1", DefaultValueFactory = _ => 0.5 };
        var width = new Option<int>("--width") { Description = "Width of both networks (channels of the first convolution)", DefaultValueFactory = _ => 64, HelpName = "N" };
        var noise = new Option<int>("--noise") { Description = "Size of the noise vector", DefaultValueFactory = _ => 100, HelpName = "N" };
        var evalSamples = new Option<int>("--eval-samples")
        {
            Description = "Generated (and real) images scored at the end; 0 skips the metrics",
            DefaultValueFactory = _ => 1000,
            HelpName = "N",
        };
        var classifier = new Option<string?>("--classifier")
        {
            Description = "The metrics classifier (from `classify`); default out/classify/classifier.mdl (per data set), trained first if absent",
            HelpName = "FILE",
        };
        var grid = new Option<int>("--grid") { Description = "Images in each sample grid", DefaultValueFactory = _ => 64, HelpName = "N" };
        var command = new Command("gan", "Train the DCGAN on MNIST-style images; sample grids, loss plot, Inception score and Fréchet distance")
        {
            dataset, batch, lr, beta1, width, noise, evalSamples, classifier, grid,
        };
        common.AddTo(command, CommonOption.EpochTraining);
        command.SetAction(parseResult =>
        {
            var run = common.Read(parseResult);
            var options = new GanOptions(
                parseResult.GetValue(batch), parseResult.GetValue(lr), parseResult.GetValue(beta1), parseResult.GetValue(width),
                parseResult.GetValue(noise), parseResult.GetValue(evalSamples), parseResult.GetValue(classifier), parseResult.GetValue(grid));
            options.Validate();
            var source = ImageDataSource.Resolve(parseResult.GetValue(dataset), run.Data);
            return Execute(run, source, options);
        });
        return command;
    }

    private sealed record GanOptions(int Batch, double LearningRate, double Beta1, int Width, int Noise, int EvalSamples, string? Classifier, int Grid)
    {
        public void Validate()
        {
            if (Batch < 2) throw new UsageException("--batch must be at least 2 (batch normalisation).");
            if (!(LearningRate > 0)) throw new UsageException("--lr must be positive.");
            if (Beta1 is < 0 or >= 1) throw new UsageException("--beta1 must be in [0, 1).");
            if (Width < 1 || Noise < 1) throw new UsageException("--width and --noise must be at least 1.");
            if (EvalSamples is < 0 or (> 0 and < 20)) throw new UsageException("--eval-samples must be 0 (no metrics) or at least 20.");
            if (Grid is < 1 or > 1024) throw new UsageException("--grid must be between 1 and 1024.");
        }

        public string Config => string.Create(CultureInfo.InvariantCulture, $"batch={Batch} lr={LearningRate} beta1={Beta1} width={Width} noise={Noise}");
    }

    /// <summary>The generator and discriminator as one module, so that one checkpoint holds both.</summary>
    private sealed class GanModules : nn.Module
    {
        public GanModules(DcganGenerator generator, DcganDiscriminator discriminator) : base(nameof(Dcgan))
        {
            Generator = generator;
            Discriminator = discriminator;
            register_module("generator", generator);
            register_module("discriminator", discriminator);
        }

        public DcganGenerator Generator { get; }

        public DcganDiscriminator Discriminator { get; }
    }

    private static int Execute(RunSettings run, ImageDataSource source, GanOptions options)
    {
        var console = run.Context.Console;
        using var train = source.Load(DatasetSplit.Train, PixelScaling.MinusOneToOne);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Data: {source.Description}: {train.Count:N0} training images of {train.Height}×{train.Width}."));
        if (train.Height != train.Width || train.Height % 4 != 0)
            throw new InvalidDataException($"The DCGAN needs square images whose size is a multiple of 4; {source.Description} has {train.Height}×{train.Width}.");

        // The classifier first: trained (with its own seed) if absent, before this run's seed is set.
        using var metricsClassifier = options.EvalSamples > 0 ? ClassifyCommand.LoadOrTrainForMetrics(source, options.Classifier, run) : null;
        if (options.EvalSamples > 0 && metricsClassifier is null)
            return ExitCodes.Interrupted;

        Seeding.Seed(run.Seed);
        var gan = new Dcgan(
            new DcganGenerator(options.Noise, channels: 1, size: train.Height, width: options.Width),
            new DcganDiscriminator(channels: 1, size: train.Height, width: options.Width));
        DcganInitialization.Apply(gan.Generator);
        DcganInitialization.Apply(gan.Discriminator);
        using var modules = new GanModules(gan.Generator, gan.Discriminator);
        var (generator, discriminator) = (gan.Generator, gan.Discriminator);
        // One Adam over both networks: each step gives gradients to one network only, and Adam skips parameters
        // without a gradient, so this is exactly two Adams with the same settings, in one checkpointable state.
        using var optimizer = optim.Adam(modules.parameters(), options.LearningRate, beta1: options.Beta1, beta2: 0.999);

        var batches = new EpochBatches(train, options.Batch, run.Seed, dropLast: true);
        var total = run.Steps ?? run.Epochs * batches.StepsPerEpoch;
        var session = new TrainingSession(run, modules, optimizer, total, options.Batch, "img");
        session.Properties["config"] = options.Config;
        session.Properties["dataset"] = source.Key;
        session.Resume("config", "dataset");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training the DCGAN (generator {generator.ParameterCount:N0}, discriminator {discriminator.ParameterCount:N0} parameters): " +
            $"{total:N0} steps of {options.Batch} ({(double)total / batches.StepsPerEpoch:0.##} epochs of {batches.StepsPerEpoch:N0}), Adam lr {options.LearningRate} β1 {options.Beta1}, {run.Threads} threads."));

        // A fixed noise batch from its own stream: the grids show the same latent points every epoch.
        using var fixedNoise = randn([options.Grid, options.Noise], generator: new Generator((ulong)StepSeeds.Derive(run.Seed, StepSeeds.Sampling)));

        var outcome = session.Run(step =>
        {
            using var scope = NewDisposeScope();
            generator.train();
            discriminator.train();
            var (real, _) = batches.Get(step);
            var size = real.shape[0];
            var ones = torch.ones(size, 1);
            var zeros = torch.zeros(size, 1);
            var fake = generator.forward(randn(size, options.Noise));

            // Discriminator: real → 1, generated → 0 (the generator gets no gradient: fake is detached).
            modules.zero_grad();
            var lossD = nn.functional.binary_cross_entropy_with_logits(discriminator.forward(real), ones)
                + nn.functional.binary_cross_entropy_with_logits(discriminator.forward(fake.detach()), zeros);
            var valueD = LossGuard.Check(lossD, step);
            lossD.backward();
            optimizer.step();

            // Generator: make the updated discriminator say 1; drop the discriminator's gradients before the step.
            modules.zero_grad();
            var lossG = nn.functional.binary_cross_entropy_with_logits(discriminator.forward(fake), ones);
            var valueG = LossGuard.Check(lossG, step);
            lossG.backward();
            discriminator.zero_grad();
            optimizer.step();

            if (batches.EndsEpoch(step))
            {
                var epoch = batches.EpochOf(step) + 1;
                SaveGrid(generator, fixedNoise, run.OutFile($"samples-epoch-{epoch}.png"));
                SaveLossPlot(run, session, source);
                session.Log(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch}: D {session.Losses.RecentMean("D", (int)batches.StepsPerEpoch):0.000}, G {session.Losses.RecentMean("G", (int)batches.StepsPerEpoch):0.000} (epoch means); {run.OutFile($"samples-epoch-{epoch}.png")}"));
            }
            return [("D", valueD), ("G", valueG)];
        }, "gan");
        if (outcome != TrainingOutcome.Completed)
            return TrainingSession.ExitCode(outcome);

        SaveGrid(generator, fixedNoise, run.OutFile("samples.png"));
        SaveLossPlot(run, session, source);
        SafetensorsFile.Save(run.OutFile("generator.safetensors"), generator);
        console.WriteLine($"Samples: {run.OutFile("samples.png")} (and samples-epoch-N.png per epoch); losses: {run.OutFile("losses.png")}; generator weights {run.OutFile("generator.safetensors")}.");

        if (metricsClassifier is not null)
            Score(run, source, generator, metricsClassifier, options);
        return ExitCodes.Success;
    }

    private static void SaveGrid(DcganGenerator generator, Tensor noise, string path)
    {
        var wasTraining = generator.training;
        generator.eval();
        try
        {
            using var noGrad = no_grad();
            using var images = generator.forward(noise);
            ImageGrid.SavePng(images, path, PixelRange.MinusOneToOne, columns: (int)Math.Ceiling(Math.Sqrt(noise.shape[0])));
        }
        finally
        {
            generator.train(wasTraining);
        }
    }

    private static void SaveLossPlot(RunSettings run, TrainingSession session, ImageDataSource source) =>
        LossPlot.SavePng(run.OutFile("losses.png"), $"DCGAN on {source.ShortName}",
            [new LossCurve("discriminator", session.Losses["D"], Smooth: true), new LossCurve("generator", session.Losses["G"], Smooth: true)]);

    // Inception-style score and Fréchet distance in the classifier's logit / 128-d feature space, with the real
    // data's own scores for scale: IS of the held-out images, and FID of a training subset against them.
    private static void Score(RunSettings run, ImageDataSource source, DcganGenerator generator, MnistClassifier classifier, GanOptions options)
    {
        var console = run.Context.Console;
        using var test = source.Load(DatasetSplit.Test, PixelScaling.ZeroToOne);
        using var train = source.Load(DatasetSplit.Train, PixelScaling.ZeroToOne);
        var n = Math.Min(options.EvalSamples, Math.Min(test.Count, train.Count));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Scoring {n:N0} generated images against {n:N0} held-out (t10k) images …"));

        using var scope = NewDisposeScope();
        Tensor generated;
        generator.eval();
        using (no_grad())
        {
            var sampler = new Generator((ulong)StepSeeds.Derive(run.Seed, StepSeeds.Sampling, 1));
            var parts = new List<Tensor>();
            for (var start = 0; start < n; start += 250)
                parts.Add(generator.forward(randn([Math.Min(250, n - start), options.Noise], generator: sampler)));
            generated = (cat(parts, 0) + 1) / 2;
        }
        generator.train();

        var realTest = test.Images.narrow(0, 0, n);
        var order = Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray();
        StepSeeds.For(run.Seed, StepSeeds.Evaluation).Shuffle(order);
        var realTrain = train.Images.index_select(0, tensor(order.AsSpan(0, n).ToArray()));

        var (genLogits, genFeatures) = ClassifyCommand.LogitsAndFeatures(classifier, generated);
        var (testLogits, testFeatures) = ClassifyCommand.LogitsAndFeatures(classifier, realTest);
        var (_, trainFeatures) = ClassifyCommand.LogitsAndFeatures(classifier, realTrain);
        var splits = Math.Min(10, n / 10);
        var isGenerated = InceptionScore.Compute(genLogits, splits);
        var isReal = InceptionScore.Compute(testLogits, splits);
        var fidGenerated = FrechetDistance.Compute(genFeatures, testFeatures);
        var fidReal = FrechetDistance.Compute(trainFeatures, testFeatures);

        var table = new Table().Title($"DCGAN metrics on {Markup.Escape(source.ShortName)} (classifier logits / 128-d features, {n:N0} images)")
            .AddColumn("images").AddColumn(new TableColumn("Inception-style score ↑").RightAligned()).AddColumn(new TableColumn("Fréchet distance to t10k ↓").RightAligned());
        table.AddRow("generated", Invariant($"{isGenerated.Mean:0.00} ± {isGenerated.StandardDeviation:0.00}"), Invariant($"{fidGenerated:0.00}"));
        table.AddRow("real (t10k / train subset)", Invariant($"{isReal.Mean:0.00} ± {isReal.StandardDeviation:0.00}"), Invariant($"{fidReal:0.00}"));
        console.Write(table);
        console.WriteLine(Invariant(
            $"metrics: IS {isGenerated.Mean:0.00} (real {isReal.Mean:0.00}), FID {fidGenerated:0.00} (real {fidReal:0.00}), {n} samples"));

        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["dataset"] = source.Key,
            ["samples"] = n,
            ["inceptionScore"] = isGenerated.Mean,
            ["inceptionScoreStd"] = isGenerated.StandardDeviation,
            ["frechetDistance"] = fidGenerated,
            ["realInceptionScore"] = isReal.Mean,
            ["realFrechetDistance"] = fidReal,
        }, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(run.OutFile("metrics.json"), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
