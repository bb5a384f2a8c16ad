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
        using var metrics = classifier is null ? null : GanMetrics.Create(run, source, classifier, s.EvalSamples);

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
                var n = (int)batches.StepsPerEpoch;
                var scores = metrics is null ? "" : "; " + Evaluate(run, training, metrics, generator, s, step + 1, batches.StepsPerEpoch).Describe();
                SaveLossPlot(run, training, source, metrics);
                run.Log(Invariant($"epoch {epoch}: D {training.Losses.RecentMean("D", n):0.000}, G {training.Losses.RecentMean("G", n):0.000} (epoch means){scores}; {run.OutFile($"samples-epoch-{epoch}.png")}"));
            }
        }
        if (training.Stopped)
            return training.ExitCode;

        // A run that does not end on an epoch boundary (--steps) is scored once more at its last step.
        if (metrics is not null && training.Losses[InceptionCurve] is var history && (history.Count == 0 || history[^1].Step != training.Step))
            Evaluate(run, training, metrics, generator, s, training.Step, batches.StepsPerEpoch);
        SaveGrid(generator, fixedNoise, run.OutFile("samples.png"));
        SaveLossPlot(run, training, source, metrics);
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
        if (metrics is not null)
            Report(run, source, training, metrics);
        return ExitCodes.Success;
    }

    // The names of the metric curves in the training's loss log (saved in checkpoints, so a resumed run keeps them).
    private const string InceptionCurve = "IS", InceptionSpreadCurve = "IS std", FrechetCurve = "FID";

    /// <summary>The losses, with the Inception-style score and the Fréchet distance per evaluation beside them when there are metrics.</summary>
    private static void SaveLossPlot(SampleRun run, TrainingLoop training, ImageSource source, GanMetrics? metrics)
    {
        var losses = new PlotPanel($"DCGAN on {source.Name}: losses", YAxis.Linear, "loss",
            new Curve("discriminator", training.Losses["D"], Smooth: true), new Curve("generator", training.Losses["G"], Smooth: true));
        if (metrics is null)
        {
            Plots.SavePanels(run.OutFile("losses.png"), losses);
            return;
        }
        IReadOnlyList<LossPoint> Real(IReadOnlyList<LossPoint> curve, double value) =>
            curve.Count == 0 ? [] : [new LossPoint(0, value), new LossPoint(curve[^1].Step, value)];
        var inception = training.Losses[InceptionCurve];
        var frechet = training.Losses[FrechetCurve];
        Plots.SavePanels(run.OutFile("losses.png"), losses,
            new PlotPanel("Inception-style score ↑", YAxis.Linear, "score", new Curve("generated", inception), new Curve("real (t10k)", Real(inception, metrics.RealInceptionScore))),
            new PlotPanel("Fréchet distance to t10k ↓", YAxis.Log, "distance", new Curve("generated", frechet), new Curve("real (train subset)", Real(frechet, metrics.RealFrechetDistance))));
    }

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

    /// <summary>Scores <paramref name="generator"/> after <paramref name="step"/> steps, records the figures and rewrites <c>metrics.json</c>.</summary>
    private static GanScores Evaluate(SampleRun run, TrainingLoop training, GanMetrics metrics, DcganGenerator generator, Settings s, long step, long stepsPerEpoch)
    {
        using var scope = NewDisposeScope();
        // The same noise at every evaluation (its own stream): the curve shows the generator changing, not the draw.
        var sampler = new Generator((ulong)StepSeeds.Derive(run.Seed, StepSeeds.Sampling, 1));
        generator.eval();
        Tensor generated;
        using (no_grad())
        {
            var parts = Enumerable.Range(0, (metrics.Count + 249) / 250)
                .Select(i => generator.forward(randn([Math.Min(250, metrics.Count - 250 * i), s.Noise], generator: sampler))).ToList();
            generated = (cat(parts, 0) + 1) / 2;
        }
        generator.train();
        var scores = metrics.Score(generated);
        training.Losses.Add(InceptionCurve, step, scores.InceptionScore);
        training.Losses.Add(InceptionSpreadCurve, step, scores.InceptionScoreStd);
        training.Losses.Add(FrechetCurve, step, scores.FrechetDistance);
        WriteMetrics(run, training, metrics, stepsPerEpoch);
        return scores;
    }

    /// <summary><c>metrics.json</c>: the last figures, the real data's own, and every evaluation so far.</summary>
    private static void WriteMetrics(SampleRun run, TrainingLoop training, GanMetrics metrics, long stepsPerEpoch)
    {
        var (inception, spread, frechet) = (training.Losses[InceptionCurve], training.Losses[InceptionSpreadCurve], training.Losses[FrechetCurve]);
        var history = inception.Select((p, i) => new Dictionary<string, object>
        {
            ["step"] = p.Step,
            ["epoch"] = Math.Round((double)p.Step / stepsPerEpoch, 4),
            ["inceptionScore"] = p.Value,
            ["inceptionScoreStd"] = spread[i].Value,
            ["frechetDistance"] = frechet[i].Value,
        }).ToList();
        var file = new Dictionary<string, object>
        {
            ["dataset"] = metrics.Dataset,
            ["samples"] = metrics.Count,
            ["step"] = inception[^1].Step,
            ["inceptionScore"] = inception[^1].Value,
            ["inceptionScoreStd"] = spread[^1].Value,
            ["frechetDistance"] = frechet[^1].Value,
            ["realInceptionScore"] = metrics.RealInceptionScore,
            ["realFrechetDistance"] = metrics.RealFrechetDistance,
            ["history"] = history,
        };
        AtomicFile.Write(run.OutFile("metrics.json"), stream => JsonSerializer.Serialize(stream, file, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The final table: the last evaluation beside the real data's own figures.</summary>
    private static void Report(SampleRun run, ImageSource source, TrainingLoop training, GanMetrics metrics)
    {
        var (inception, spread, frechet) = (training.Losses[InceptionCurve][^1].Value, training.Losses[InceptionSpreadCurve][^1].Value, training.Losses[FrechetCurve][^1].Value);
        var table = new Table().Title($"DCGAN metrics on {Markup.Escape(source.Name)} (classifier logits / 128-d features, {metrics.Count:N0} images)")
            .AddColumn("images").AddColumn(new TableColumn("Inception-style score ↑").RightAligned()).AddColumn(new TableColumn("Fréchet distance to t10k ↓").RightAligned());
        table.AddRow("generated", Invariant($"{inception:0.00} ± {spread:0.00}"), Invariant($"{frechet:0.00}"));
        table.AddRow("real (t10k / train subset)", Invariant($"{metrics.RealInceptionScore:0.00} ± {metrics.RealInceptionScoreStd:0.00}"), Invariant($"{metrics.RealFrechetDistance:0.00}"));
        run.Host.Write(table);
        run.Log(Invariant($"metrics: IS {inception:0.00} (real {metrics.RealInceptionScore:0.00}), FID {frechet:0.00} (real {metrics.RealFrechetDistance:0.00}), {metrics.Count} samples; per evaluation in {run.OutFile("metrics.json")}, plotted in {run.OutFile("losses.png")}"));
    }
}
