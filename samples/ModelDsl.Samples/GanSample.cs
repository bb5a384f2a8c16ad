using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ModelDsl.Data;
using ModelDsl.IO;
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
/// <c>gan</c>: by default the <see cref="DeepDcgan"/> pair (Adam 1e-3, β1 0.5, BCE with logits plus a class-entropy
/// term, batch 64, the discriminator learning the real images' classes too, samples from a moving average of the
/// generator) on MNIST-10k, Fashion-MNIST or any IDX folder; <c>--arch</c> and <c>--conditional</c> choose the
/// other pairs. A grid of samples from a fixed noise batch after every epoch, a loss plot, the generator's weights,
/// and at the end the classifier's Inception-style score and Fréchet distance of generated images beside the real
/// data's own.
/// </summary>
public static class GanSample
{
    public sealed record Settings
    {
        [Option("--dataset", ImageSource.DatasetHelp, Choices = ["mnist", "fashion"])] public string Dataset { get; init; } = "mnist";
        [Option("--data", ImageSource.DataHelp, HelpName = "DIR", MayChangeOnResume = true)] public string? Data { get; init; }
        [Option("--epochs", "Passes over the training images", Min = 1, Max = 1_000_000, MayChangeOnResume = true)] public int Epochs { get; init; } = 15;
        [Option("--steps", "Training steps (overrides --epochs)", Min = 1, Max = RunOptions.MaxSteps, MayChangeOnResume = true)] public long? Steps { get; init; }
        [Option("--batch", "Images per step (at least 2: batch normalisation)", Min = 2, Max = 1_000_000)] public int Batch { get; init; } = 64;
        [Option("--lr", "Adam learning rate of the generator (and of the discriminator unless --lr-d is given). Default: 1e-3 for --arch deep, 2e-4 (the DCGAN paper's) for the others", Min = 1e-12, Max = 10)] public double? LearningRate { get; init; }
        [Option("--lr-d", "Adam learning rate of the discriminator (two time-scale update rule; default: --lr)", Min = 1e-12, Max = 10)] public double? DiscriminatorLearningRate { get; init; }
        [Option("--beta1", "Adam β1", Min = 0, Max = 1, BelowMax = true)] public double Beta1 { get; init; } = 0.5;
        [Option("--loss", "bce: the non-saturating GAN loss (BCE with logits); hinge: the hinge loss", Choices = ["bce", "hinge"])] public string Loss { get; init; } = "bce";
        [Option("--real-label", "Target of real images in the discriminator's BCE loss (one-sided label smoothing below 1)", Min = 0.5, Max = 1)] public double RealLabel { get; init; } = 1.0;
        [Option("--ema", "Decay of the moving average of the generator's weights that draws the samples (0: the trained weights). Default: 0.999 for --arch deep, 0 for the others", Min = 0, Max = 1, BelowMax = true)] public double? Ema { get; init; }
        [Option("--arch", "deep (the default; compact with --conditional): the compact DCGAN whose generator draws the image from full-resolution features; compact: the compact DCGAN (4×4 kernels, batch normalisation in both networks); tutorial: TensorFlow's DCGAN tutorial (5×5 kernels, a dropout discriminator)", Choices = [GanShape.Deep, GanShape.Compact, GanShape.Tutorial])] public string? Architecture { get; init; }
        [Option("--discriminator", "classes: one logit per class, trained on the real images' labels as well (the semi-supervised GAN; the generator stays unconditional); binary: one real-or-generated logit. Default: classes for --arch deep and compact, binary for --arch tutorial and --conditional", Choices = [ClassesHead, BinaryHead])] public string? Discriminator { get; init; }
        [Option("--class-entropy", "With --discriminator classes: weight of the generator's class-entropy term (CatGAN's), which asks the discriminator to be sure of each generated image's class and the batch to spread over all classes (0: off). Default: 0.5 for --arch deep, 0 for the others", Min = 0, Max = 100)] public double? ClassEntropy { get; init; }
        [Option("--class-shift", "With --discriminator classes: the discriminator learns the classes of real images shifted by up to this many pixels each way (DiffAugment's translation, for the class loss only; the real-or-generated game sees the images as they are; 0: off)", Min = 0, Max = 64)] public int ClassShift { get; init; }
        [Option("--width", "Width of both networks (channels of the first convolution)", Min = 1, Max = 4096)] public int Width { get; init; } = 64;
        [Option("--noise", "Size of the noise vector", Min = 1, Max = 65536)] public int Noise { get; init; } = 100;
        [Option("--conditional", "Train the conditional DCGAN (the class label joined to the noise and to the image): grids show class i in row i")] public bool Conditional { get; init; }
        [Option("--digit", "With --conditional: the sample grids show only this class (0–9)", Min = 0, Max = 9, MayChangeOnResume = true)] public int? Digit { get; init; }
        [Option("--grid", "Images in each sample grid (with --conditional and no --digit: 10 per class)", Min = 1, Max = 1024, MayChangeOnResume = true)] public int Grid { get; init; } = 64;
        [Option("--eval-samples", "Generated (and real) images scored after every epoch (0: no metrics)", Min = 0, Max = 1_000_000, MayChangeOnResume = true)] public int EvalSamples { get; init; } = 1000;
        [Option("--classifier", "The metrics classifier (from `classify`; default out/classify[-<data set>]/classifier.mdl, trained first if absent)", HelpName = "FILE", MayChangeOnResume = true)] public string? Classifier { get; init; }
    }

    /// <summary>Classes of a conditional DCGAN or a classifying discriminator: the ten digits (or Fashion-MNIST's ten kinds of clothing).</summary>
    public const int Classes = 10;

    private const string ClassesHead = "classes", BinaryHead = "binary";

    public static Command Command(Host host) => SampleRun.Create<Settings>(host, "gan", "DCGAN",
        "Train the DCGAN (or with --conditional the conditional DCGAN) on MNIST-style images; sample grids, losses beside the Inception-style score and Fréchet distance per epoch",
        new RunOptions { CheckpointEvery = 100 }, ["generator.safetensors", "samples.png", "samples-epoch-*.png", "losses.png", "metrics.json"], Train);

    /// <summary>The networks in one module, so that one checkpoint holds them (and the moving average of the generator, when there is one).</summary>
    private sealed class GanModules : nn.Module
    {
        public GanModules(nn.Module generator, nn.Module discriminator, nn.Module? average) : base(nameof(Dcgan))
        {
            register_module("generator", generator);
            register_module("discriminator", discriminator);
            if (average is not null)
                register_module("generator_ema", average);
        }
    }

    private static int Train(SampleRun run, Settings s)
    {
        if (s.EvalSamples is > 0 and < 20)
            throw new UsageException($"--eval-samples must be 0 (no metrics) or at least 20; got {s.EvalSamples}.");
        if (s.Digit is not null && !s.Conditional)
            throw new UsageException("--digit chooses the class a conditional DCGAN draws; add --conditional.");
        if (s.Conditional && s.Architecture is not (null or GanShape.Compact))
            throw new UsageException($"--conditional trains the conditional DCGAN, whose layers are the compact DCGAN's; leave --arch out (or give --arch {GanShape.Compact}).");
        var (architecture, classifying, learningRate, ema, classEntropy, classShift) = Recipe(s);
        if (s.RealLabel < 1 && s.Loss != "bce")
            throw new UsageException($"--real-label smooths the BCE loss's targets; --loss {s.Loss} has none. Leave --real-label out or use --loss bce.");

        // Data: images scaled to [−1, 1] (the generator ends in tanh), shuffled per epoch from (seed, epoch).
        var source = ImageSource.Resolve(s.Dataset, s.Data);
        run.UseDataIn(source.Directory, "train-");
        using var images = source.Load(DatasetSplit.Train, PixelScaling.MinusOneToOne);
        run.Log($"Data: {source.Description}: {images.Count:N0} training images of {images.Height}×{images.Width}.");
        if (images.Height != images.Width || images.Height % 4 != 0)
            throw new InvalidDataException($"The DCGAN needs square images whose size is a multiple of 4; {source.Description} has {images.Height}×{images.Width}.");
        if ((s.Conditional || classifying) && images.Labels.numel() > 0 && (images.Labels.min().item<long>() < 0 || images.Labels.max().item<long>() >= Classes))
            throw new InvalidDataException($"The {(s.Conditional ? "conditional DCGAN draws" : "classifying discriminator learns")} {Classes} classes, labelled 0–{Classes - 1}; {source.Description} has labels from {images.Labels.min().item<long>()} to {images.Labels.max().item<long>()}{(s.Conditional ? "" : $" (--discriminator {BinaryHead} needs no labels)")}.");
        var batches = new EpochBatches(images, s.Batch, run.Seed, dropLast: true);
        var total = s.Steps ?? s.Epochs * batches.StepsPerEpoch;

        // The metrics classifier first: trained with its own seed if absent, before this run seeds libtorch.
        using var classifier = s.EvalSamples > 0 ? ClassifySample.ForMetrics(run, source, s.Classifier) : null;
        if (s.EvalSamples > 0 && classifier is null)
            return ExitCodes.Signal(run.Host.StopSignal); // its training was stopped, with a checkpoint
        using var metrics = classifier is null ? null : GanMetrics.Create(run, source, classifier, s.EvalSamples);

        // Models: the DCGAN paper's N(0, 0.02) initialisation; the moving average starts as a copy of the generator.
        Seeding.Seed(run.Seed);
        var shape = new GanShape(architecture, s.Noise, s.Conditional ? Classes : 0, images.Height, s.Width, classifying ? Classes : 0);
        using var generator = shape.NewGenerator();
        using var discriminator = shape.NewDiscriminator();
        DcganInitialization.Apply(generator.Module);
        DcganInitialization.Apply(discriminator.Module);
        using var average = ema > 0 ? shape.NewGenerator() : null;
        average?.CopyFrom(generator);
        average?.Module.eval();
        using var modules = new GanModules(generator.Module, discriminator.Module, average?.Module);
        // One Adam with a parameter group per network is two Adams: each step gives gradients to one network only,
        // and Adam skips parameters without a gradient. The groups' rates may differ (TTUR).
        var lrD = s.DiscriminatorLearningRate ?? learningRate;
        using var optimizer = optim.Adam(
            [
                new TorchSharp.Modules.Adam.ParamGroup(generator.Module.parameters(), lr: learningRate, beta1: s.Beta1, beta2: 0.999),
                new TorchSharp.Modules.Adam.ParamGroup(discriminator.Module.parameters(), lr: lrD, beta1: s.Beta1, beta2: 0.999),
            ], learningRate, beta1: s.Beta1, beta2: 0.999);
        // Fixed noise (and labels) from its own stream: every grid shows the same latent points.
        var (gridNoise, gridLabels) = GridInputs(run.Seed, s, shape);
        using var fixedNoise = gridNoise;
        using var fixedLabels = gridLabels;
        var sampler = average ?? generator; // what draws the grids, the metrics and the saved weights

        var training = run.Train(modules, optimizer, total, s.Batch, "img");
        var kind = s.Conditional ? "conditional DCGAN" : "DCGAN";
        var recipe = Invariant($"{(classifying ? "a discriminator that learns the classes too, " : "")}{s.Loss} loss{(classEntropy > 0 ? $" + {classEntropy} × class entropy" : "")}{(classShift > 0 ? $", classes learnt from real images shifted by up to {classShift} px" : "")}{(s.RealLabel < 1 ? $" (real label {s.RealLabel})" : "")}, Adam lr {learningRate}{(lrD != learningRate ? $" (discriminator {lrD})" : "")} β1 {s.Beta1}{(ema > 0 ? $", samples from the moving average of the generator (decay {ema})" : "")}");
        run.Log(Invariant($"Training the {kind} (generator {generator.ParameterCount:N0}, discriminator {discriminator.ParameterCount:N0} parameters): {total:N0} steps of {s.Batch} ({(double)total / batches.StepsPerEpoch:0.##} epochs of {batches.StepsPerEpoch:N0}), {recipe}, {run.Options.ThreadsText}."));
        foreach (var step in training.Steps())
        {
            using (NewDisposeScope())
            {
                generator.Module.train();
                discriminator.Module.train();
                var (real, realLabels) = batches.Get(step);
                var n = real.shape[0];
                var fakeLabels = s.Conditional ? randint(0, Classes, [n], dtype: ScalarType.Int64) : null;
                var fake = generator.Generate(randn(n, s.Noise), fakeLabels);
                var conditionReal = s.Conditional ? realLabels : null;

                // Discriminator: real → 1 (or --real-label), generated → 0 (fake is detached: no gradient reaches the generator);
                // a classifying discriminator also learns the real images' classes.
                modules.zero_grad();
                var ((scoreReal, classLogits), (scoreFake, _)) = (discriminator.Score(real, conditionReal), discriminator.Score(fake.detach(), fakeLabels));
                var lossD = s.Loss == "hinge"
                    ? nn.functional.relu(1 - scoreReal).mean() + nn.functional.relu(1 + scoreFake).mean()
                    : nn.functional.binary_cross_entropy_with_logits(scoreReal, full_like(scoreReal, s.RealLabel))
                      + nn.functional.binary_cross_entropy_with_logits(scoreFake, zeros_like(scoreFake));
                training.Record("D", lossD);
                if (classLogits is not null)
                {
                    // The class loss may see the real images shifted (it learns digits, not the 9,000 images); the realness, as they are.
                    if (classShift > 0)
                        classLogits = discriminator.Score(ImageShift.Random(real, classShift, background: -1), null).ClassLogits!;
                    var classLoss = nn.functional.cross_entropy(classLogits, realLabels);
                    training.Record(ClassCurve, classLoss);
                    lossD += classLoss;
                }
                lossD.backward();
                optimizer.step();

                // Generator: make the updated discriminator say "real"; the discriminator's gradients are dropped before the step.
                modules.zero_grad();
                var (scoreGenerated, generatedClasses) = discriminator.Score(fake, fakeLabels);
                var lossG = s.Loss == "hinge"
                    ? -scoreGenerated.mean()
                    : nn.functional.binary_cross_entropy_with_logits(scoreGenerated, ones_like(scoreGenerated));
                training.Record("G", lossG);
                if (classEntropy > 0)
                {
                    var (perImage, ofBatch) = ClassEntropies(generatedClasses!);
                    training.Record(ClassEntropyCurve, perImage);
                    lossG += classEntropy * (perImage - ofBatch);
                }
                lossG.backward();
                discriminator.Module.zero_grad();
                optimizer.step();
                average?.Follow(generator, ema, step);
            }
            if (batches.EndsEpoch(step))
            {
                var epoch = batches.EpochOf(step) + 1;
                SaveGrid(sampler, fixedNoise, fixedLabels, run.OutFile($"samples-epoch-{epoch}.png"));
                var n = (int)batches.StepsPerEpoch;
                var scores = metrics is null ? "" : "; " + Evaluate(run, training, metrics, sampler, s, step + 1, batches.StepsPerEpoch).Describe();
                SaveLossPlot(run, training, source, metrics, kind);
                run.Log(Invariant($"epoch {epoch}: D {training.Losses.RecentMean("D", n):0.000}, G {training.Losses.RecentMean("G", n):0.000} (epoch means){scores}; {run.OutFile($"samples-epoch-{epoch}.png")}"));
            }
        }
        if (training.Stopped)
            return training.ExitCode;

        // A run that does not end on an epoch boundary (--steps) is scored once more at its last step.
        if (metrics is not null && training.Losses[InceptionCurve] is var history && (history.Count == 0 || history[^1].Step != training.Step))
            Evaluate(run, training, metrics, sampler, s, training.Step, batches.StepsPerEpoch);
        SaveGrid(sampler, fixedNoise, fixedLabels, run.OutFile("samples.png"));
        SaveLossPlot(run, training, source, metrics, kind);
        var metadata = new Dictionary<string, string>
        {
            ["kind"] = "gan",
            ["noise"] = $"{s.Noise}",
            ["size"] = $"{images.Height}",
            ["width"] = $"{s.Width}",
            ["arch"] = architecture,
            ["steps"] = $"{training.Step}",
            ["trained-on"] = source.Name,
            ["weights"] = average is null ? "trained" : Invariant($"moving average (decay {ema})"),
        };
        if (s.Conditional)
            metadata["classes"] = $"{Classes}";
        WeightsFile.Save(run.OutFile("generator.safetensors"), sampler.Module, metadata);
        var gridText = s.Conditional ? s.Digit is { } digit ? $"class {digit} only" : $"row i is class i" : "a fixed noise batch";
        run.Log($"Samples {run.OutFile("samples.png")} ({gridText}; and samples-epoch-N.png per epoch); losses and metrics {run.OutFile("losses.png")}; generator weights {run.OutFile("generator.safetensors")} (`generate {run.OutDir}` draws new samples).");
        if (metrics is not null)
            Report(run, source, training, metrics, kind, batches.StepsPerEpoch, s.Conditional ? ClassAccuracy(run, metrics, sampler, s) : null);
        return ExitCodes.Success;
    }

    /// <summary>
    /// The options left out, filled in for the pair: the deep DCGAN trains with its own recipe (lr 1e-3, samples from a
    /// moving average of the generator, a discriminator that learns the classes, a generator asked for clear and
    /// varied classes; measured in samples/README.md), the compact and tutorial pairs with the
    /// DCGAN paper's (lr 2e-4, the trained weights), and the conditional DCGAN is built on the compact layers. A
    /// classifying discriminator, or an option of one, asked of a pair that has none is a usage error.
    /// </summary>
    private static (string Architecture, bool Classifying, double LearningRate, double Ema, double ClassEntropy, int ClassShift) Recipe(Settings s)
    {
        var architecture = s.Architecture ?? (s.Conditional ? GanShape.Compact : GanShape.Deep);
        var deep = architecture == GanShape.Deep && !s.Conditional;
        var canClassify = !s.Conditional && architecture != GanShape.Tutorial;
        var classifying = (s.Discriminator ?? (canClassify ? ClassesHead : BinaryHead)) == ClassesHead;
        if (classifying && !canClassify)
            throw new UsageException($"--discriminator {ClassesHead} is the unconditional discriminator of --arch {GanShape.Deep} and {GanShape.Compact}; {(s.Conditional ? "the conditional DCGAN's discriminator is told the class" : "the tutorial's discriminator has one logit")}. Leave --discriminator out.");
        void NeedsClasses(string option, string purpose) => throw new UsageException(
            $"{option} {purpose}; this run's discriminator has {(s.Conditional ? "been told the class" : "one logit")}. Leave {option} out{(canClassify ? $" or add --discriminator {ClassesHead}" : "")}.");
        if (s.ClassEntropy > 0 && !classifying)
            NeedsClasses("--class-entropy", "weighs the entropy of a classifying discriminator's classes");
        if (s.ClassShift > 0 && !classifying)
            NeedsClasses("--class-shift", "augments the images a classifying discriminator learns the classes of");
        return (architecture, classifying, s.LearningRate ?? (deep ? 1e-3 : 2e-4), s.Ema ?? (deep ? 0.999 : 0), s.ClassEntropy ?? (deep && classifying ? 0.5 : 0), s.ClassShift);
    }

    /// <summary>
    /// The generator's class-entropy term, from the classifying discriminator's logits of a generated batch (CatGAN,
    /// Springenberg 2016): the mean entropy of each image's class distribution, which the generator lowers (draw
    /// images of one clear class), and the entropy of the batch's mean distribution, which it raises (draw all classes).
    /// </summary>
    private static (Tensor PerImage, Tensor OfBatch) ClassEntropies(Tensor classLogits)
    {
        var logProbabilities = nn.functional.log_softmax(classLogits, 1);
        var probabilities = logProbabilities.exp();
        var perImage = -(probabilities * logProbabilities).sum(1).mean();
        var batch = probabilities.mean([0]);
        var ofBatch = -(batch * batch.clamp_min(1e-8).log()).sum();
        return (perImage, ofBatch);
    }

    /// <summary>
    /// The grid's noise from its own stream and, for a conditional DCGAN, its labels: 10 images of each class, class i
    /// in row i, or <c>--grid</c> images of the class of <c>--digit</c>.
    /// </summary>
    private static (Tensor Noise, Tensor? Labels) GridInputs(int seed, Settings s, GanShape shape)
    {
        var count = s.Conditional && s.Digit is null ? 10 * shape.Classes : s.Grid;
        var noise = randn([count, s.Noise], generator: new Generator((ulong)StepSeeds.Derive(seed, StepSeeds.Sampling)));
        var labels = !s.Conditional ? null
            : s.Digit is { } digit ? full([count], digit, dtype: ScalarType.Int64)
            : arange(count, dtype: ScalarType.Int64).div(10, rounding_mode: RoundingMode.floor);
        return (noise, labels);
    }

    /// <summary>Balanced labels for <paramref name="count"/> samples: 0, 1, …, 9, 0, 1, … (null when unconditional).</summary>
    private static Tensor? BalancedLabels(GanShape shape, int count) =>
        shape.Classes == 0 ? null : arange(count, dtype: ScalarType.Int64).remainder(shape.Classes);

    // The names of the metric curves in the training's loss log (saved in checkpoints, so a resumed run keeps them).
    private const string InceptionCurve = "IS", InceptionSpreadCurve = "IS std", FrechetCurve = "FID", ClassCurve = "classes", ClassEntropyCurve = "class entropy";

    /// <summary>The losses, with the Inception-style score and the Fréchet distance per evaluation beside them when there are metrics.</summary>
    private static void SaveLossPlot(SampleRun run, TrainingLoop training, ImageSource source, GanMetrics? metrics, string kind)
    {
        Curve[] curves = [new Curve("discriminator", training.Losses["D"], Smooth: true), new Curve("generator", training.Losses["G"], Smooth: true)];
        if (training.Losses[ClassCurve].Count > 0)
            curves = [.. curves, new Curve("discriminator's class loss (real images)", training.Losses[ClassCurve], Smooth: true)];
        if (training.Losses[ClassEntropyCurve].Count > 0)
            curves = [.. curves, new Curve("class entropy of generated images", training.Losses[ClassEntropyCurve], Smooth: true)];
        var losses = new PlotPanel($"{kind} on {source.Name}: losses", YAxis.Linear, "loss", curves);
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

    private static void SaveGrid(GanNetwork generator, Tensor noise, Tensor? labels, string path)
    {
        using (no_grad())
        using (var images = generator.Sample(noise, labels))
            Plots.SaveGrid(images, path);
    }

    /// <summary>Rebuilds the generator of a <c>generator.safetensors</c> from its metadata and weights (a conditional one when it names its classes).</summary>
    public static GanNetwork Load(string path, IReadOnlyDictionary<string, string> metadata)
    {
        int Number(string key) => int.Parse(metadata[key], CultureInfo.InvariantCulture);
        var shape = new GanShape(metadata.GetValueOrDefault("arch") ?? GanShape.Tutorial, Number("noise"), metadata.ContainsKey("classes") ? Number("classes") : 0, Number("size"), Number("width"));
        var generator = shape.NewGenerator();
        SafetensorsFile.Load(path, generator.Module);
        generator.Module.eval();
        return generator;
    }

    /// <summary>Scores the sampling generator after <paramref name="step"/> steps, records the figures and rewrites <c>metrics.json</c>.</summary>
    private static GanScores Evaluate(SampleRun run, TrainingLoop training, GanMetrics metrics, GanNetwork generator, Settings s, long step, long stepsPerEpoch)
    {
        using var scope = NewDisposeScope();
        // The same noise (and labels) at every evaluation, from its own stream: the curve shows the generator changing, not the draw.
        var generated = Draw(run.Seed, metrics.Count, generator, s, BalancedLabels(generator.Shape, metrics.Count));
        var scores = metrics.Score(generated);
        training.Losses.Add(InceptionCurve, step, scores.InceptionScore);
        training.Losses.Add(InceptionSpreadCurve, step, scores.InceptionScoreStd);
        training.Losses.Add(FrechetCurve, step, scores.FrechetDistance);
        WriteMetrics(run, training, metrics, stepsPerEpoch, null);
        return scores;
    }

    /// <summary><paramref name="count"/> images in [0, 1] of the evaluation noise (and the given labels), in eval mode.</summary>
    private static Tensor Draw(int seed, int count, GanNetwork generator, Settings s, Tensor? labels)
    {
        var noise = new Generator((ulong)StepSeeds.Derive(seed, StepSeeds.Sampling, 1));
        using var noGrad = no_grad();
        var parts = Enumerable.Range(0, (count + 249) / 250).Select(i =>
        {
            var length = Math.Min(250, count - 250 * i);
            return generator.Sample(randn([length, s.Noise], generator: noise), labels?.narrow(0, 250 * i, length));
        }).ToList();
        return (cat(parts, 0) + 1) / 2;
    }

    /// <summary>
    /// The classifier's accuracy on conditional samples, by requested class: the fraction of the images drawn for
    /// class c that the classifier calls c (the same balanced labels and noise as the metrics).
    /// </summary>
    private static double[] ClassAccuracy(SampleRun run, GanMetrics metrics, GanNetwork generator, Settings s)
    {
        using var scope = NewDisposeScope();
        var labels = BalancedLabels(generator.Shape, metrics.Count)!;
        var predicted = metrics.Classify(Draw(run.Seed, metrics.Count, generator, s, labels));
        var correct = predicted.eq(labels).to_type(ScalarType.Float64);
        return Enumerable.Range(0, generator.Shape.Classes).Select(c => correct.masked_select(labels.eq(c)).mean().item<double>()).ToArray();
    }

    /// <summary><c>metrics.json</c>: the last figures, the real data's own, and every evaluation so far.</summary>
    private static void WriteMetrics(SampleRun run, TrainingLoop training, GanMetrics metrics, long stepsPerEpoch, double[]? accuracy)
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
        };
        if (accuracy is not null)
        {
            file["classAccuracy"] = accuracy.Average();
            file["classAccuracyByClass"] = accuracy;
        }
        file["history"] = history;
        AtomicFile.Write(run.OutFile("metrics.json"), stream => JsonSerializer.Serialize(stream, file, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The final table: the last evaluation beside the real data's own figures (and a conditional DCGAN's accuracy by class).</summary>
    private static void Report(SampleRun run, ImageSource source, TrainingLoop training, GanMetrics metrics, string kind, long stepsPerEpoch, double[]? accuracy)
    {
        var (inception, spread, frechet) = (training.Losses[InceptionCurve][^1].Value, training.Losses[InceptionSpreadCurve][^1].Value, training.Losses[FrechetCurve][^1].Value);
        var table = new Table().Title($"{kind} metrics on {Markup.Escape(source.Name)} (classifier logits / 128-d features, {metrics.Count:N0} images)")
            .AddColumn("images").AddColumn(new TableColumn("Inception-style score ↑").RightAligned()).AddColumn(new TableColumn("Fréchet distance to t10k ↓").RightAligned());
        table.AddRow("generated", Invariant($"{inception:0.00} ± {spread:0.00}"), Invariant($"{frechet:0.00}"));
        table.AddRow("real (t10k / train subset)", Invariant($"{metrics.RealInceptionScore:0.00} ± {metrics.RealInceptionScoreStd:0.00}"), Invariant($"{metrics.RealFrechetDistance:0.00}"));
        run.Host.Write(table);
        run.Log(Invariant($"metrics: IS {inception:0.00} (real {metrics.RealInceptionScore:0.00}), FID {frechet:0.00} (real {metrics.RealFrechetDistance:0.00}), {metrics.Count} samples; per evaluation in {run.OutFile("metrics.json")}, plotted in {run.OutFile("losses.png")}"));
        if (accuracy is not null)
        {
            var byClass = new Table().Title("The classifier's accuracy on generated images, by requested class");
            for (var c = 0; c < accuracy.Length; c++)
                byClass.AddColumn(new TableColumn($"{c}").RightAligned());
            byClass.AddColumn(new TableColumn("mean").RightAligned());
            byClass.AddRow([.. accuracy.Select(a => Invariant($"{100 * a:0.0}%")), Invariant($"{100 * accuracy.Average():0.0}%")]);
            run.Host.Write(byClass);
            run.Log(Invariant($"class accuracy: {100 * accuracy.Average():0.0}% (by class {string.Join(" ", accuracy.Select((a, c) => $"{c}:{100 * a:0.0}%"))})"));
            WriteMetrics(run, training, metrics, stepsPerEpoch, accuracy);
        }
    }
}
