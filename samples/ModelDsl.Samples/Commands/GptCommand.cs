using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.Models.Transformers;
using ModelDsl.Samples.Cli;
using ModelDsl.Samples.Imaging;
using ModelDsl.Samples.Text;
using ModelDsl.Training;
using ModelDsl.Weights;
using Spectre.Console;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Commands;

/// <summary>
/// <c>gpt</c>: a character-level <see cref="Gpt"/> on tiny Shakespeare with nanoGPT's CPU configuration (4 layers,
/// 4 heads, 128 wide, context 64, batch 12, 2,000 steps; AdamW lr 1e-3 → 1e-4 cosine, warmup 100, β2 0.99, weight
/// decay 0.1, gradient clip 1.0, no dropout), evaluated on the last 10% every 250 steps, then sampled.
/// </summary>
public static class GptCommand
{
    /// <summary>The model and optimisation settings.</summary>
    public sealed record GptOptions
    {
        /// <summary>Transformer blocks.</summary>
        public int Layers { get; init; } = 4;

        /// <summary>Attention heads.</summary>
        public int Heads { get; init; } = 4;

        /// <summary>Embedding width.</summary>
        public int Embed { get; init; } = 128;

        /// <summary>Context length.</summary>
        public int Block { get; init; } = 64;

        /// <summary>Sequences per step.</summary>
        public int Batch { get; init; } = 12;

        /// <summary>Peak learning rate.</summary>
        public double LearningRate { get; init; } = 1e-3;

        /// <summary>Final learning rate.</summary>
        public double MinLearningRate { get; init; } = 1e-4;

        /// <summary>Linear warmup steps.</summary>
        public int Warmup { get; init; } = 100;

        /// <summary>End of the cosine decay; null: the run's step count.</summary>
        public long? DecaySteps { get; init; }

        /// <summary>AdamW weight decay of matrices and embeddings (not of biases and norms).</summary>
        public double WeightDecay { get; init; } = 0.1;

        /// <summary>AdamW β2.</summary>
        public double Beta2 { get; init; } = 0.99;

        /// <summary>Gradient norm clip; 0 disables.</summary>
        public double GradClip { get; init; } = 1.0;

        /// <summary>Dropout.</summary>
        public double Dropout { get; init; }

        /// <summary>Steps between evaluations.</summary>
        public int EvalInterval { get; init; } = 250;

        /// <summary>Batches per evaluation and split.</summary>
        public int EvalIters { get; init; } = 20;

        /// <summary>Characters sampled at the end.</summary>
        public int SampleChars { get; init; } = 500;

        /// <summary>Sampling temperature.</summary>
        public double Temperature { get; init; } = 0.8;

        /// <summary>Sampling top-k (capped at the vocabulary).</summary>
        public int TopK { get; init; } = 200;

        /// <summary>The text the sample continues.</summary>
        public string Prompt { get; init; } = "\n";

        /// <summary>What must not change on --resume (the step count, and with it the default end of the decay, may).</summary>
        public string Config => string.Create(CultureInfo.InvariantCulture,
            $"layers={Layers} heads={Heads} embed={Embed} block={Block} batch={Batch} lr={LearningRate} minLr={MinLearningRate} warmup={Warmup} wd={WeightDecay} beta2={Beta2} clip={GradClip} dropout={Dropout} evalInterval={EvalInterval} evalIters={EvalIters}");

        /// <summary>Throws <see cref="UsageException"/> on unusable settings.</summary>
        public void Validate()
        {
            if (Layers < 1 || Heads < 1 || Embed < 1 || Block < 1 || Batch < 1)
                throw new UsageException("--layers, --heads, --embed, --block and --batch must be at least 1.");
            if (Embed % Heads != 0)
                throw new UsageException($"--embed ({Embed}) must be a multiple of --heads ({Heads}).");
            if (!(LearningRate > 0) || MinLearningRate < 0 || MinLearningRate > LearningRate)
                throw new UsageException("Need 0 <= --min-lr <= --lr and --lr > 0.");
            if (Warmup < 0 || WeightDecay < 0 || GradClip < 0 || Beta2 is < 0 or >= 1 || Dropout is < 0 or >= 1)
                throw new UsageException("--warmup, --weight-decay and --grad-clip must be >= 0; --beta2 and --dropout in [0, 1).");
            if (EvalInterval < 1 || EvalIters < 1)
                throw new UsageException("--eval-interval and --eval-iters must be at least 1.");
            if (SampleChars < 0 || Temperature < 0 || TopK < 1)
                throw new UsageException("--sample-chars and --temperature must be >= 0 and --top-k >= 1.");
        }
    }

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var defaults = new GptOptions();
        var common = new CommonOptions("gpt", defaultSteps: 2000, defaultCheckpointEvery: 250,
            dataDescription: $"A UTF-8 text file to train on (default: tiny Shakespeare, downloaded once from {TinyShakespeare.Url} into ~/.cache/modeldsl)");
        Option<T> Make<T>(string name, string description, T value) =>
            new(name) { Description = description, DefaultValueFactory = _ => value };
        var layers = Make("--layers", "Transformer blocks", defaults.Layers);
        var heads = Make("--heads", "Attention heads", defaults.Heads);
        var embed = Make("--embed", "Embedding width", defaults.Embed);
        var block = Make("--block", "Context length in characters", defaults.Block);
        var batch = Make("--batch", "Sequences per step", defaults.Batch);
        var lr = Make("--lr", "Peak learning rate (AdamW)", defaults.LearningRate);
        var minLr = Make("--min-lr", "Learning rate at the end of the cosine decay", defaults.MinLearningRate);
        var warmup = Make("--warmup", "Linear warmup steps", defaults.Warmup);
        var decay = new Option<long?>("--decay-steps") { Description = "Step where the cosine decay ends (default: --steps)" };
        var weightDecay = Make("--weight-decay", "AdamW weight decay of weight matrices and embeddings", defaults.WeightDecay);
        var beta2 = Make("--beta2", "AdamW β2", defaults.Beta2);
        var gradClip = Make("--grad-clip", "Clip the gradient norm to this (0: off)", defaults.GradClip);
        var dropout = Make("--dropout", "Dropout rate", defaults.Dropout);
        var evalInterval = Make("--eval-interval", "Steps between train/val loss estimates", defaults.EvalInterval);
        var evalIters = Make("--eval-iters", "Batches per loss estimate", defaults.EvalIters);
        var sampleChars = Make("--sample-chars", "Characters to generate at the end (0: none)", defaults.SampleChars);
        var temperature = Make("--temperature", "Sampling temperature", defaults.Temperature);
        var topK = Make("--top-k", "Sample among the k likeliest characters", defaults.TopK);
        var prompt = Make("--prompt", "Text the sample continues", defaults.Prompt);
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Download cache folder (default ~/.cache/modeldsl)", HelpName = "DIR" };
        var url = new Option<string>("--download-url") { Description = "Where to download the corpus from", DefaultValueFactory = _ => TinyShakespeare.Url, Hidden = true };
        var command = new Command("gpt", "Train a character-level GPT on tiny Shakespeare (nanoGPT's CPU configuration) and sample from it")
        {
            layers, heads, embed, block, batch, lr, minLr, warmup, decay, weightDecay, beta2, gradClip, dropout,
            evalInterval, evalIters, sampleChars, temperature, topK, prompt, cacheDir, url,
        };
        common.AddTo(command, CommonOption.StepTraining);
        command.SetAction(parseResult =>
        {
            var run = common.Read(parseResult);
            var options = new GptOptions
            {
                Layers = parseResult.GetValue(layers),
                Heads = parseResult.GetValue(heads),
                Embed = parseResult.GetValue(embed),
                Block = parseResult.GetValue(block),
                Batch = parseResult.GetValue(batch),
                LearningRate = parseResult.GetValue(lr),
                MinLearningRate = parseResult.GetValue(minLr),
                Warmup = parseResult.GetValue(warmup),
                DecaySteps = parseResult.GetValue(decay),
                WeightDecay = parseResult.GetValue(weightDecay),
                Beta2 = parseResult.GetValue(beta2),
                GradClip = parseResult.GetValue(gradClip),
                Dropout = parseResult.GetValue(dropout),
                EvalInterval = parseResult.GetValue(evalInterval),
                EvalIters = parseResult.GetValue(evalIters),
                SampleChars = parseResult.GetValue(sampleChars),
                Temperature = parseResult.GetValue(temperature),
                TopK = parseResult.GetValue(topK),
                Prompt = parseResult.GetValue(prompt) ?? "\n",
            };
            options.Validate();
            string path;
            if (run.Data is { } data)
            {
                if (!File.Exists(data))
                    throw new FileNotFoundException($"--data: there is no file '{data}'.", data);
                path = data;
                run.Context.Console.WriteLine($"Data: {Path.GetFullPath(data)}.");
            }
            else
            {
                path = TinyShakespeare.Obtain(run.Context, parseResult.GetValue(cacheDir), parseResult.GetValue(url) ?? TinyShakespeare.Url);
            }
            return Execute(run, path, options);
        });
        return command;
    }

    private static int Execute(RunSettings run, string path, GptOptions options)
    {
        var console = run.Context.Console;
        using var data = CharDataset.Load(path, options.Block);
        var vocab = data.Tokenizer.VocabularySize;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Corpus: {data.Train.shape[0] + data.Validation.shape[0]:N0} characters, vocabulary {vocab}; {data.Train.shape[0]:N0} for training, {data.Validation.shape[0]:N0} for validation."));

        var total = run.Steps ?? 2000;
        var decaySteps = options.DecaySteps ?? total;
        var warmup = Math.Min(options.Warmup, Math.Max(0, decaySteps - 1));
        var schedule = new LearningRateSchedule(options.LearningRate, options.MinLearningRate, warmup, Math.Max(warmup + 1, decaySteps));

        Seeding.Seed(run.Seed);
        using var model = new Gpt(vocab, options.Block, options.Layers, options.Heads, options.Embed, options.Dropout);
        model.InitializeLikeNanoGpt();
        // The head shares the token embedding's Parameter, which parameters() lists once.
        var parameters = model.parameters().ToList();
        var counted = parameters.Sum(p => p.numel());
        using var optimizer = optim.AdamW(
            [
                new AdamW.ParamGroup(parameters.Where(p => p.dim() >= 2), lr: options.LearningRate, beta1: 0.9, beta2: options.Beta2, weight_decay: options.WeightDecay),
                new AdamW.ParamGroup(parameters.Where(p => p.dim() < 2), lr: options.LearningRate, beta1: 0.9, beta2: options.Beta2, weight_decay: 0),
            ],
            options.LearningRate, beta1: 0.9, beta2: options.Beta2, weight_decay: options.WeightDecay);

        var session = new TrainingSession(run, model, optimizer, total, (long)options.Batch * options.Block, "tok");
        session.Properties["config"] = options.Config;
        session.Properties["schedule"] = string.Create(CultureInfo.InvariantCulture, $"warmup={warmup} decay={decaySteps} steps={total}");
        session.Properties["data"] = TinyShakespeare.HashOf(path);
        session.Properties["vocabulary"] = data.Tokenizer.Vocabulary;
        session.Resume("config", "data");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Training Gpt ({counted:N0} parameters; {options.Layers} layers, {options.Heads} heads, {options.Embed} wide, context {options.Block}): " +
            $"{total:N0} steps of {options.Batch}×{options.Block} tokens, AdamW lr {options.LearningRate}→{options.MinLearningRate} (warmup {warmup}, cosine to step {decaySteps}), {run.Threads} threads."));

        var trainClock = new Stopwatch();
        void Evaluate(long step)
        {
            var (train, validation) = EstimateLoss(model, data, options, run.Seed);
            session.Losses.Add("train (estimate)", step, train);
            session.Losses.Add("val", step, validation);
            session.Log(string.Create(CultureInfo.InvariantCulture, $"step {step:N0}: train loss {train:0.0000}, val loss {validation:0.0000}"));
        }

        var outcome = session.Run(step =>
        {
            if (step == 0)
                Evaluate(0);
            trainClock.Start();
            double value;
            using (var scope = NewDisposeScope())
            {
                schedule.Apply(optimizer, step);
                model.train();
                var (x, y) = data.GetBatch(TextSplit.Train, options.Batch, StepSeeds.For(run.Seed, StepSeeds.Batch, step));
                var logits = model.forward(x);
                var loss = nn.functional.cross_entropy(logits.view(-1, vocab), y.view(-1));
                value = LossGuard.Check(loss, step);
                optimizer.zero_grad();
                loss.backward();
                if (options.GradClip > 0)
                    nn.utils.clip_grad_norm_(parameters, options.GradClip);
                optimizer.step();
            }
            trainClock.Stop();
            if ((step + 1) % options.EvalInterval == 0 || step + 1 == total)
                Evaluate(step + 1);
            return [("train", value)];
        }, "gpt");
        if (outcome != TrainingOutcome.Completed)
            return TrainingSession.ExitCode(outcome);

        LossPlot.SavePng(run.OutFile("losses.png"), $"Character-level GPT on {Path.GetFileName(path)}",
        [
            new LossCurve("train (per step)", session.Losses["train"], Smooth: true),
            new LossCurve("train (estimate)", session.Losses["train (estimate)"]),
            new LossCurve("val", session.Losses["val"]),
        ]);

        var finalVal = session.Losses.Last("val");
        var finalTrain = session.Losses.Last("train (estimate)");
        var exactVal = ValidationLoss(model, data);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Final: train loss {finalTrain:0.0000}, val loss {finalVal:0.0000} at step {session.Step:N0} ({options.EvalIters}-batch estimates); " +
            $"val loss over the whole validation split {exactVal:0.0000}."));
        if (session.StepsThisRun > 0)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{session.StepsThisRun:N0} steps in {TrainingSession.FormatDuration(session.ElapsedSeconds)}: {session.StepsThisRun / session.ElapsedSeconds:0.00} it/s overall, " +
                $"{1000 * trainClock.Elapsed.TotalSeconds / session.StepsThisRun:0.0} ms per training step without evaluation."));
        }

        var summary = new Dictionary<string, object?>
        {
            ["steps"] = session.Step,
            ["trainLoss"] = finalTrain,
            ["valLoss"] = finalVal,
            ["valLossWholeSplit"] = exactVal,
            ["parameters"] = counted,
            ["secondsThisRun"] = session.ElapsedSeconds,
            ["stepsThisRun"] = session.StepsThisRun,
            ["itersPerSecond"] = session.ElapsedSeconds > 0 ? session.StepsThisRun / session.ElapsedSeconds : null,
            ["msPerTrainStep"] = session.StepsThisRun > 0 ? 1000 * trainClock.Elapsed.TotalSeconds / session.StepsThisRun : null,
            ["threads"] = run.Threads,
        };

        if (options.SampleChars > 0)
        {
            var text = Sample(model, data.Tokenizer, options, run.Seed);
            AtomicFile.Write(run.OutFile("sample.txt"), stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)));
            console.WriteLine($"Sample ({options.SampleChars} characters, temperature {options.Temperature.ToString(CultureInfo.InvariantCulture)}, top-k {Math.Min(options.TopK, vocab)}):");
            console.WriteLine("----");
            run.Context.Console.WriteLine(text);
            console.WriteLine("----");
        }
        AtomicFile.Write(run.OutFile("summary.json"), stream =>
            JsonSerializer.Serialize(stream, summary, new JsonSerializerOptions { WriteIndented = true }));
        SafetensorsFile.Save(run.OutFile("gpt.safetensors"), model);
        console.WriteLine($"Loss plot {run.OutFile("losses.png")}; checkpoint {session.CheckpointPath}; weights for PyTorch {run.OutFile("gpt.safetensors")}.");
        return ExitCodes.Success;
    }

    // nanoGPT's estimate_loss: the mean loss of EvalIters batches of each split, in eval mode. The batches are the
    // same at every evaluation (drawn from (seed, i)), so the curve compares like with like.
    private static (double Train, double Validation) EstimateLoss(Gpt model, CharDataset data, GptOptions options, int seed) =>
        Evaluating(model, () =>
        {
            double Mean(TextSplit split)
            {
                double sum = 0;
                for (var i = 0; i < options.EvalIters; i++)
                {
                    using var scope = NewDisposeScope();
                    var (x, y) = data.GetBatch(split, options.Batch, StepSeeds.For(seed, StepSeeds.Evaluation, split == TextSplit.Train ? i : 1_000_000 + i));
                    sum += Loss(model, x, y);
                }
                return sum / options.EvalIters;
            }
            return (Mean(TextSplit.Train), Mean(TextSplit.Validation));
        });

    // The validation split's exact loss: every complete block once, where EstimateLoss samples EvalIters batches
    // (whose estimate scatters by about ±0.01 at 20 batches).
    private static double ValidationLoss(Gpt model, CharDataset data) =>
        Evaluating(model, () =>
        {
            double sum = 0;
            long blocks = 0;
            foreach (var (x, y) in data.Blocks(TextSplit.Validation, batchSize: 64))
            {
                using (x)
                using (y)
                using (NewDisposeScope())
                {
                    sum += Loss(model, x, y) * x.shape[0];
                    blocks += x.shape[0];
                }
            }
            return sum / blocks;
        });

    private static double Loss(Gpt model, Tensor x, Tensor y)
    {
        var logits = model.forward(x);
        return nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), y.view(-1)).item<float>();
    }

    private static T Evaluating<T>(Gpt model, Func<T> measure)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            return measure();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static string Sample(Gpt model, CharTokenizer tokenizer, GptOptions options, int seed)
    {
        var prompt = new string(options.Prompt.Where(c => tokenizer.Vocabulary.Contains(c)).ToArray());
        if (prompt.Length == 0)
            prompt = tokenizer.Vocabulary[..1];
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)StepSeeds.Derive(seed, StepSeeds.Sampling));
        var idx = tensor(tokenizer.Encode(prompt)).unsqueeze(0);
        var output = model.Generate(idx, options.SampleChars, options.Temperature, Math.Min(options.TopK, tokenizer.VocabularySize), generator);
        return tokenizer.Decode(output[0].data<long>().ToArray());
    }
}
