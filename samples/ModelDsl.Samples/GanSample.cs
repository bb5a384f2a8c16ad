using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ModelDsl.Data;
using ModelDsl.Metrics;
using ModelDsl.Models.Classifier;
using ModelDsl.Models.Dcgan;
using ModelDsl.Samples.Harness;
using ModelDsl.Training;
using ModelDsl.Weights;
using Spectre.Console;
using TorchSharp;
using static System.FormattableString;
using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>
/// <c>gan</c>: the <see cref="Dcgan"/> pair (Adam 2e-4, β1 0.5, BCE with logits, batch 64) on MNIST-10k,
/// Fashion-MNIST or any IDX folder. A grid of samples from a fixed noise batch after every epoch, a loss plot, the
/// generator's weights, and at the end the classifier's Inception-style score and Fréchet distance of generated
/// images beside the real data's own.
/// </summary>
public static class GanSample
{
    public sealed record Settings
    {
        [Option("--dataset", ImageSource.DatasetHelp, Choices = ["mnist", "fashion"])] public string Dataset { get; init; } = "mnist";
        [Option("--data", ImageSource.DataHelp, HelpName = "DIR", MayChangeOnResume = true)] public string? Data { get; init; }
        [Option("--epochs", "Passes over the training images", Min = 1, Max = 1_000_000, MayChangeOnResume = true)] public int Epochs { get; init; } = 5;
        [Option("--steps", "Training steps (overrides --epochs)", Min = 1, Max = RunOptions.MaxSteps, MayChangeOnResume = true)] public long? Steps { get; init; }
        [Option("--batch", "Images per step (at least 2: batch normalisation)", Min = 2, Max = 1_000_000)] public int Batch { get; init; } = 64;
        [Option("--lr", "Adam learning rate of both networks", Min = 1e-12, Max = 10)] public double LearningRate { get; init; } = 2e-4;
        [Option("--beta1", "Adam β1", Min = 0, Max = 1, BelowMax = true)] public double Beta1 { get; init; } = 0.5;
        [Option("--width", "Width of both networks (channels of the first convolution)", Min = 1, Max = 4096)] public int Width { get; init; } = 64;
        [Option("--noise", "Size of the noise vector", Min = 1, Max = 65536)] public int Noise { get; init; } = 100;
        [Option("--grid", "Images in each sample grid", Min = 1, Max = 1024, MayChangeOnResume = true)] public int Grid { get; init; } = 64;
        [Option("--eval-samples", "Generated (and real) images scored at the end (0: no metrics)", Min = 0, Max = 1_000_000, MayChangeOnResume = true)] public int EvalSamples { get; init; } = 1000;
        [Option("--classifier", "The metrics classifier (from `classify`; default out/classify[-<data set>]/classifier.mdl, trained first if absent)", HelpName = "FILE", MayChangeOnResume = true)] public string? Classifier { get; init; }
    }

    public static Command Command(Host host) => SampleRun.Create<Settings>(host, "gan", "DCGAN",
        "Train the DCGAN on MNIST-style images; sample grids, loss plot, Inception-style score and Fréchet distance",
        new RunOptions { CheckpointEvery = 100 }, ["generator.safetensors", "samples.png", "samples-epoch-*.png", "losses.png", "metrics.json"], Train);

    /// <summary>Both networks in one module, so that one checkpoint holds them.</summary>
    private sealed class GanModules : nn.Module
    {
        public GanModules(Dcgan gan) : base(nameof(Dcgan))
        {
            register_module("generator", gan.Generator);
            register_module("discriminator", gan.Discriminator);
        }
    }

    private static int Train(SampleRun run, Settings s)
    {
        if (s.EvalSamples is > 0 and < 20)
            throw new UsageException($"--eval-samples must be 0 (no metrics) or at least 20; got {s.EvalSamples}.");

        // Data: images scaled to [−1, 1] (the generator ends in tanh), shuffled per epoch from (seed, epoch).
        var source = ImageSource.Resolve(s.Dataset, s.Data);
        run.UseDataIn(source.Directory, "train-");
        using var images = source.Load(DatasetSplit.Train, PixelScaling.MinusOneToOne);
        run.Log($"Data: {source.Description}: {images.Count:N0} training images of {images.Height}×{images.Width}.");
        if (images.Height != images.Width || images.Height % 4 != 0)
            throw new InvalidDataException($"The DCGAN needs square images whose size is a multiple of 4; {source.Description} has {images.Height}×{images.Width}.");
        var batches = new EpochBatches(images, s.Batch, run.Seed, dropLast: true);
        var total = s.Steps ?? s.Epochs * batches.StepsPerEpoch;

        // The metrics classifier first: trained with its own seed if absent, before this run seeds libtorch.
        using var classifier = s.EvalSamples > 0 ? ClassifySample.ForMetrics(run, source, s.Classifier) : null;
        if (s.EvalSamples > 0 && classifier is null)
            return ExitCodes.Signal(run.Host.StopSignal); // its training was stopped, with a checkpoint

        // Models and optimiser: the DCGAN paper's N(0, 0.02) initialisation. One Adam over both networks is exactly
        // two Adams: each step gives gradients to one network only, and Adam skips parameters without a gradient.
        Seeding.Seed(run.Seed);
        var gan = new Dcgan(new DcganGenerator(s.Noise, channels: 1, size: images.Height, width: s.Width), new DcganDiscriminator(channels: 1, size: images.Height, width: s.Width));
        var (generator, discriminator) = (gan.Generator, gan.Discriminator);
        DcganInitialization.Apply(generator);
        DcganInitialization.Apply(discriminator);
        using var modules = new GanModules(gan);
        using var optimizer = optim.Adam(modules.parameters(), s.LearningRate, beta1: s.Beta1, beta2: 0.999);
        // A fixed noise batch from its own stream: every grid shows the same latent points.
        using var fixedNoise = randn([s.Grid, s.Noise], generator: new Generator((ulong)StepSeeds.Derive(run.Seed, StepSeeds.Sampling)));

        var training = run.Train(modules, optimizer, total, s.Batch, "img");
        run.Log(Invariant($"Training the DCGAN (generator {generator.ParameterCount:N0}, discriminator {discriminator.ParameterCount:N0} parameters): {total:N0} steps of {s.Batch} ({(double)total / batches.StepsPerEpoch:0.##} epochs of {batches.StepsPerEpoch:N0}), Adam lr {s.LearningRate} β1 {s.Beta1}, {run.Options.Threads} threads."));
        foreach (var step in training.Steps())
        {
            using (NewDisposeScope())
            {
                generator.train();
                discriminator.train();
                var (real, _) = batches.Get(step);
                var (ones, zeros) = (torch.ones(real.shape[0], 1), torch.zeros(real.shape[0], 1));
                var fake = generator.forward(randn(real.shape[0], s.Noise));

                // Discriminator: real → 1, generated → 0 (fake is detached: no gradient reaches the generator).
                modules.zero_grad();
                var lossD = nn.functional.binary_cross_entropy_with_logits(discriminator.forward(real), ones)
                    + nn.functional.binary_cross_entropy_with_logits(discriminator.forward(fake.detach()), zeros);
                training.Record("D", lossD);
                lossD.backward();
                optimizer.step();

                // Generator: make the updated discriminator say 1; the discriminator's gradients are dropped before the step.
                modules.zero_grad();
                var lossG = nn.functional.binary_cross_entropy_with_logits(discriminator.forward(fake), ones);
                training.Record("G", lossG);
                lossG.backward();
                discriminator.zero_grad();
                optimizer.step();
            }
            if (batches.EndsEpoch(step))
            {
                var epoch = batches.EpochOf(step) + 1;
                SaveGrid(generator, fixedNoise, run.OutFile($"samples-epoch-{epoch}.png"));
                SaveLossPlot(run, training, source);
                var n = (int)batches.StepsPerEpoch;
                run.Log(Invariant($"epoch {epoch}: D {training.Losses.RecentMean("D", n):0.000}, G {training.Losses.RecentMean("G", n):0.000} (epoch means); {run.OutFile($"samples-epoch-{epoch}.png")}"));
            }
        }
        if (training.Stopped)
            return training.ExitCode;

        SaveGrid(generator, fixedNoise, run.OutFile("samples.png"));
        SaveLossPlot(run, training, source);
        WeightsFile.Save(run.OutFile("generator.safetensors"), generator, new Dictionary<string, string>
        {
            ["kind"] = "gan",
            ["noise"] = $"{s.Noise}",
            ["size"] = $"{images.Height}",
            ["width"] = $"{s.Width}",
            ["steps"] = $"{training.Step}",
            ["trained-on"] = source.Name,
        });
        run.Log($"Samples {run.OutFile("samples.png")} (and samples-epoch-N.png per epoch); losses {run.OutFile("losses.png")}; generator weights {run.OutFile("generator.safetensors")} (`generate {run.OutDir}` draws new samples).");
        if (classifier is not null)
            Score(run, source, generator, classifier, s);
        return ExitCodes.Success;
    }

    private static void SaveLossPlot(SampleRun run, TrainingLoop training, ImageSource source) =>
        Plots.Save(run.OutFile("losses.png"), $"DCGAN on {source.Name}", YAxis.Linear, "loss",
            new Curve("discriminator", training.Losses["D"], Smooth: true), new Curve("generator", training.Losses["G"], Smooth: true));

    private static void SaveGrid(DcganGenerator generator, Tensor noise, string path)
    {
        generator.eval();
        using (no_grad())
        using (var images = generator.forward(noise))
            Plots.SaveGrid(images, path);
        generator.train();
    }

    /// <summary>Rebuilds the generator of a <c>generator.safetensors</c> from its metadata and weights.</summary>
    public static DcganGenerator Load(string path, IReadOnlyDictionary<string, string> metadata)
    {
        int Number(string key) => int.Parse(metadata[key], CultureInfo.InvariantCulture);
        var generator = new DcganGenerator(Number("noise"), channels: 1, size: Number("size"), width: Number("width"));
        SafetensorsFile.Load(path, generator);
        generator.eval();
        return generator;
    }

    // The Inception-style score and Fréchet distance in the classifier's logit / 128-d feature space, with the real
    // data's own for scale: IS of the held-out images, FID of a training subset against them.
    private static void Score(SampleRun run, ImageSource source, DcganGenerator generator, MnistClassifier classifier, Settings s)
    {
        using var test = source.Load(DatasetSplit.Test, PixelScaling.ZeroToOne);
        using var train = source.Load(DatasetSplit.Train, PixelScaling.ZeroToOne);
        var n = Math.Min(s.EvalSamples, Math.Min(test.Count, train.Count));
        run.Log($"Scoring {n:N0} generated images against {n:N0} held-out (t10k) images …");
        using var scope = NewDisposeScope();
        Tensor generated;
        generator.eval();
        using (no_grad())
        {
            var sampler = new Generator((ulong)StepSeeds.Derive(run.Seed, StepSeeds.Sampling, 1));
            var parts = Enumerable.Range(0, (n + 249) / 250).Select(i => generator.forward(randn([Math.Min(250, n - 250 * i), s.Noise], generator: sampler))).ToList();
            generated = (cat(parts, 0) + 1) / 2;
        }
        var order = Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray();
        StepSeeds.For(run.Seed, StepSeeds.Evaluation).Shuffle(order);
        var realTrain = train.Images.index_select(0, tensor(order.AsSpan(0, n).ToArray()));

        var (genLogits, genFeatures) = ClassifySample.LogitsAndFeatures(classifier, generated);
        var (testLogits, testFeatures) = ClassifySample.LogitsAndFeatures(classifier, test.Images.narrow(0, 0, n));
        var (_, trainFeatures) = ClassifySample.LogitsAndFeatures(classifier, realTrain);
        var isGenerated = InceptionScore.Compute(genLogits, Math.Min(10, n / 10));
        var isReal = InceptionScore.Compute(testLogits, Math.Min(10, n / 10));
        var fidGenerated = FrechetDistance.Compute(genFeatures, testFeatures);
        var fidReal = FrechetDistance.Compute(trainFeatures, testFeatures);

        var table = new Table().Title($"DCGAN metrics on {Markup.Escape(source.Name)} (classifier logits / 128-d features, {n:N0} images)")
            .AddColumn("images").AddColumn(new TableColumn("Inception-style score ↑").RightAligned()).AddColumn(new TableColumn("Fréchet distance to t10k ↓").RightAligned());
        table.AddRow("generated", Invariant($"{isGenerated.Mean:0.00} ± {isGenerated.StandardDeviation:0.00}"), Invariant($"{fidGenerated:0.00}"));
        table.AddRow("real (t10k / train subset)", Invariant($"{isReal.Mean:0.00} ± {isReal.StandardDeviation:0.00}"), Invariant($"{fidReal:0.00}"));
        run.Host.Write(table);
        run.Log(Invariant($"metrics: IS {isGenerated.Mean:0.00} (real {isReal.Mean:0.00}), FID {fidGenerated:0.00} (real {fidReal:0.00}), {n} samples"));
        var metrics = new Dictionary<string, object>
        {
            ["dataset"] = source.Name,
            ["samples"] = n,
            ["inceptionScore"] = isGenerated.Mean,
            ["inceptionScoreStd"] = isGenerated.StandardDeviation,
            ["frechetDistance"] = fidGenerated,
            ["realInceptionScore"] = isReal.Mean,
            ["realFrechetDistance"] = fidReal,
        };
        AtomicFile.Write(run.OutFile("metrics.json"), stream => JsonSerializer.Serialize(stream, metrics, new JsonSerializerOptions { WriteIndented = true }));
    }
}
