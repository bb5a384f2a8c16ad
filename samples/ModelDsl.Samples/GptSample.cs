using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.Models.Transformers;
using ModelDsl.Samples.Harness;
using ModelDsl.Training;
using ModelDsl.Weights;
using TorchSharp.Modules;
using static System.FormattableString;
using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>
/// <c>gpt</c>: a character-level <see cref="Gpt"/> trained as nanoGPT's shakespeare_char CPU run, then sampled.
/// The text's first 90% trains, the rest validates; every <c>--eval-interval</c> steps the mean loss of
/// <c>--eval-iters</c> batches of each split is printed (nanoGPT's <c>estimate_loss</c>), and at the end the loss
/// over the whole validation split. Writes <c>losses.png</c>, <c>sample.txt</c>, <c>summary.json</c> and
/// <c>gpt.safetensors</c> (the weights, with the vocabulary and options that <c>generate</c> needs).
/// </summary>
public static class GptSample
{
    /// <summary>The options; the defaults are nanoGPT's CPU configuration.</summary>
    public sealed record Settings
    {
        [Option("--data", "A UTF-8 text file to train on (default: tiny Shakespeare, downloaded once)", HelpName = "FILE", MayChangeOnResume = true)]
        public string? Data { get; init; }

        [Option("--steps", "Training steps", Min = 1, Max = RunOptions.MaxSteps, MayChangeOnResume = true)]
        public long Steps { get; init; } = 2000;

        [Option("--layers", "Transformer blocks", Min = 1, Max = 1024)] public int Layers { get; init; } = 4;
        [Option("--heads", "Attention heads (they divide --embed)", Min = 1, Max = 1024)] public int Heads { get; init; } = 4;
        [Option("--embed", "Embedding width", Min = 1, Max = 65536)] public int Embed { get; init; } = 128;
        [Option("--block", "Context length in characters", Min = 1, Max = 1_000_000)] public int Block { get; init; } = 64;
        [Option("--batch", "Sequences per step", Min = 1, Max = 1_000_000)] public int Batch { get; init; } = 12;
        [Option("--dropout", "Dropout rate", Min = 0, Max = 1, BelowMax = true)] public double Dropout { get; init; }
        [Option("--lr", "Peak learning rate (AdamW)", Min = 1e-12, Max = 10)] public double LearningRate { get; init; } = 1e-3;
        [Option("--min-lr", "Learning rate at the end of the cosine decay (at most --lr)", Min = 0, Max = 10)] public double MinLearningRate { get; init; } = 1e-4;
        [Option("--warmup", "Linear warmup steps", Min = 0, Max = RunOptions.MaxSteps)] public long Warmup { get; init; } = 100;
        [Option("--decay-steps", "Step where the cosine decay ends (default: --steps)", Min = 1, Max = RunOptions.MaxSteps)] public long? DecaySteps { get; init; }
        [Option("--weight-decay", "AdamW weight decay of weight matrices and embeddings", Min = 0, Max = 10)] public double WeightDecay { get; init; } = 0.1;
        [Option("--beta2", "AdamW β2", Min = 0, Max = 1, BelowMax = true)] public double Beta2 { get; init; } = 0.99;
        [Option("--grad-clip", "Clip the gradient norm to this (0: off)", Min = 0, Max = 1e9)] public double GradClip { get; init; } = 1.0;

        [Option("--eval-interval", "Steps between train/val loss estimates", Min = 1, Max = RunOptions.MaxSteps, MayChangeOnResume = true)]
        public long EvalInterval { get; init; } = 250;

        [Option("--eval-iters", "Batches per loss estimate", Min = 1, Max = 1_000_000, MayChangeOnResume = true)] public int EvalIters { get; init; } = 20;
        [Option("--sample-chars", "Characters to generate at the end (0: none)", Min = 0, Max = 1_000_000, MayChangeOnResume = true)] public int SampleChars { get; init; } = 500;
        [Option("--temperature", "Sampling temperature (0: greedy)", Min = 0, Max = 100, MayChangeOnResume = true)] public double Temperature { get; init; } = 0.8;
        [Option("--top-k", "Sample among the k likeliest characters", Min = 1, Max = 1_000_000, MayChangeOnResume = true)] public int TopK { get; init; } = 200;
        [Option("--prompt", "Text the sample continues (default: a newline)", MayChangeOnResume = true)] public string? Prompt { get; init; }
        [Option("--cache-dir", "Download cache folder (default ~/.cache/modeldsl)", HelpName = "DIR", NotRecorded = true)] public string? CacheDir { get; init; }
        [Option("--download-url", "Where to download the corpus from", Hidden = true, NotRecorded = true)] public string DownloadUrl { get; init; } = TinyShakespeare.Url;
    }

    public static Command Command(Host host) => SampleRun.Create<Settings>(host, "gpt", "GPT",
        "Train a character-level GPT on tiny Shakespeare (nanoGPT's CPU configuration) and sample from it",
        new RunOptions { CheckpointEvery = 250 }, ["gpt.safetensors", "losses.png", "sample.txt", "summary.json"], Train);

    private static int Train(SampleRun run, Settings s)
    {
        if (s.Embed % s.Heads != 0)
            throw new UsageException($"--embed ({s.Embed}) must be a multiple of --heads ({s.Heads}).");
        if (s.MinLearningRate > s.LearningRate)
            throw new UsageException($"--min-lr ({s.MinLearningRate}) must not exceed --lr ({s.LearningRate}).");

        // Data: the text's characters as tokens; batches of Block-long windows at offsets drawn from (seed, step).
        var path = s.Data ?? TinyShakespeare.Obtain(run.Host, s.CacheDir, s.DownloadUrl);
        if (!File.Exists(path))
            throw new UsageException($"--data: there is no file '{path}'.");
        run.UseData(path);
        using var data = CharDataset.FromText(TextCorpus.Read(run, path), s.Block, name: Path.GetFileName(path));
        var vocab = data.Tokenizer.VocabularySize;
        CheckMemory(s, vocab);
        run.Log(Invariant($"Corpus {Path.GetFileName(path)}: {data.Train.shape[0] + data.Validation.shape[0]:N0} characters, vocabulary {vocab}; {data.Train.shape[0]:N0} train, {data.Validation.shape[0]:N0} validation."));

        // Model and optimiser: nanoGPT's initialisation; AdamW decays matrices and embeddings, not biases and norms.
        Seeding.Seed(run.Seed);
        using var model = new Gpt(vocab, s.Block, s.Layers, s.Heads, s.Embed, s.Dropout);
        model.InitializeLikeNanoGpt();
        var parameters = model.parameters().ToList(); // the head shares the token embedding's Parameter: listed once
        using var optimizer = optim.AdamW(
            [
                new AdamW.ParamGroup(parameters.Where(p => p.dim() >= 2), lr: s.LearningRate, beta1: 0.9, beta2: s.Beta2, weight_decay: s.WeightDecay),
                new AdamW.ParamGroup(parameters.Where(p => p.dim() < 2), lr: s.LearningRate, beta1: 0.9, beta2: s.Beta2, weight_decay: 0),
            ],
            s.LearningRate, beta1: 0.9, beta2: s.Beta2, weight_decay: s.WeightDecay);
        var decay = s.DecaySteps ?? s.Steps;
        var warmup = Math.Min(s.Warmup, Math.Max(0, decay - 1));
        var schedule = new LearningRateSchedule(s.LearningRate, s.MinLearningRate, warmup, Math.Max(warmup + 1, decay));
        var counted = parameters.Sum(p => p.numel());

        var training = run.Train(model, optimizer, s.Steps, (long)s.Batch * s.Block, "tok");
        run.Log(Invariant($"Training Gpt ({counted:N0} parameters; {s.Layers} layers, {s.Heads} heads, {s.Embed} wide, context {s.Block}): {s.Steps:N0} steps of {s.Batch}×{s.Block} tokens, AdamW lr {s.LearningRate}→{s.MinLearningRate} (warmup {warmup}, cosine to step {decay}), {run.Options.ThreadsText}."));
        double Estimate(TextSplit split) => TextLoss.Estimate(model, data, split, s.Batch, s.EvalIters, run.Seed, (x, y) => Loss(model, x, y));
        void Evaluate(long step)
        {
            var (train, validation) = (Estimate(TextSplit.Train), Estimate(TextSplit.Validation));
            training.Losses.Add("train (estimate)", step, train);
            training.Losses.Add("val", step, validation);
            run.Log(Invariant($"step {step:N0}: train loss {train:0.0000}, val loss {validation:0.0000}"));
        }

        var stepClock = new Stopwatch();
        foreach (var step in training.Steps())
        {
            if (step == 0)
                Evaluate(0);
            stepClock.Start();
            using (NewDisposeScope())
            {
                schedule.Apply(optimizer, step);
                model.train();
                var (x, y) = data.GetBatch(TextSplit.Train, s.Batch, StepSeeds.For(run.Seed, StepSeeds.Batch, step));
                var loss = nn.functional.cross_entropy(model.forward(x).view(-1, vocab), y.view(-1));
                training.Record("train", loss);
                optimizer.zero_grad();
                loss.backward();
                if (s.GradClip > 0)
                    nn.utils.clip_grad_norm_(parameters, s.GradClip);
                optimizer.step();
            }
            stepClock.Stop();
            if ((step + 1) % s.EvalInterval == 0 || step + 1 == s.Steps)
                Evaluate(step + 1);
        }
        if (training.Stopped)
            return training.ExitCode;

        // Outputs: the loss plot, the final losses, a sample, a summary and the weights.
        Plots.Save(run.OutFile("losses.png"), $"Character-level GPT on {Path.GetFileName(path)}", YAxis.Linear, "loss",
            new Curve("train (per step)", training.Losses["train"], Smooth: true), new Curve("train (estimate)", training.Losses["train (estimate)"]), new Curve("val", training.Losses["val"]));
        var wholeSplit = TextLoss.WholeValidationSplit(model, data, (x, y) => Loss(model, x, y));
        var (finalTrain, finalVal) = (training.Losses.Last("train (estimate)"), training.Losses.Last("val"));
        run.Log(Invariant($"Final: train loss {finalTrain:0.0000}, val loss {finalVal:0.0000} at step {training.Step:N0} ({s.EvalIters}-batch estimates); val loss over the whole validation split {wholeSplit:0.0000}."));
        var msPerStep = training.StepsThisRun > 0 ? 1000 * stepClock.Elapsed.TotalSeconds / training.StepsThisRun : (double?)null;
        if (msPerStep is { } ms)
            run.Log(Invariant($"{training.StepsThisRun:N0} steps in {TrainingLoop.Duration(training.Seconds)}: {training.StepsThisRun / training.Seconds:0.00} it/s overall, {ms:0.0} ms per training step without evaluation."));
        if (s.SampleChars > 0)
        {
            var sample = Sample(model, data.Tokenizer, s.Prompt ?? "\n", s.SampleChars, s.Temperature, s.TopK, run.Seed, out _);
            AtomicFile.Write(run.OutFile("sample.txt"), stream => stream.Write(Encoding.UTF8.GetBytes(sample)));
            run.Log(Invariant($"Sample ({s.SampleChars} characters, temperature {s.Temperature}, top-k {Math.Min(s.TopK, vocab)}):\n----\n{sample}\n----"));
        }
        var summary = new Dictionary<string, object?>
        {
            ["steps"] = training.Step,
            ["trainLoss"] = finalTrain,
            ["valLoss"] = finalVal,
            ["valLossWholeSplit"] = wholeSplit,
            ["parameters"] = counted,
            ["secondsThisRun"] = training.Seconds,
            ["stepsThisRun"] = training.StepsThisRun,
            ["itersPerSecond"] = training.Seconds > 0 ? training.StepsThisRun / training.Seconds : null,
            ["msPerTrainStep"] = msPerStep,
            ["threads"] = run.Options.Threads,
        };
        AtomicFile.Write(run.OutFile("summary.json"), stream => JsonSerializer.Serialize(stream, summary, new JsonSerializerOptions { WriteIndented = true }));
        WeightsFile.Save(run.OutFile("gpt.safetensors"), model, new Dictionary<string, string>
        {
            ["kind"] = "gpt",
            ["vocabulary"] = JsonSerializer.Serialize(data.Tokenizer.Vocabulary.Select(c => (int)c)), // UTF-16 code units
            ["block"] = $"{s.Block}",
            ["layers"] = $"{s.Layers}",
            ["heads"] = $"{s.Heads}",
            ["embed"] = $"{s.Embed}",
            ["steps"] = $"{training.Step}",
            ["trained-on"] = Path.GetFileName(path),
        });
        run.Log($"Loss plot {run.OutFile("losses.png")}; checkpoint {run.CheckpointPath}; weights {run.OutFile("gpt.safetensors")} (`generate {run.OutDir}` samples from them).");
        return ExitCodes.Success;
    }

    /// <summary>Rebuilds the model of a <c>gpt.safetensors</c> from its metadata and weights.</summary>
    public static (Gpt Model, CharTokenizer Tokenizer) Load(string path, IReadOnlyDictionary<string, string> metadata)
    {
        int Number(string key) => int.Parse(metadata[key], CultureInfo.InvariantCulture);
        var tokenizer = new CharTokenizer(new string(JsonSerializer.Deserialize<int[]>(metadata["vocabulary"])!.Select(c => (char)c).ToArray()));
        var model = new Gpt(tokenizer.VocabularySize, Number("block"), Number("layers"), Number("heads"), Number("embed"), dropout: 0);
        SafetensorsFile.Load(path, model);
        return (model, tokenizer);
    }

    /// <summary>
    /// <paramref name="chars"/> characters continuing <paramref name="prompt"/> (whose characters outside the
    /// vocabulary are left out, listed in <paramref name="dropped"/>), drawn from the seed's sampling stream.
    /// </summary>
    public static string Sample(Gpt model, CharTokenizer tokenizer, string prompt, int chars, double temperature, int topK, int seed, out string dropped)
    {
        dropped = new string(prompt.Where(c => !tokenizer.Vocabulary.Contains(c)).Distinct().ToArray());
        var kept = new string(prompt.Where(tokenizer.Vocabulary.Contains).ToArray());
        if (kept.Length == 0)
            kept = tokenizer.Vocabulary[..1];
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)StepSeeds.Derive(seed, StepSeeds.Sampling));
        var output = model.Generate(tensor(tokenizer.Encode(kept)).unsqueeze(0), chars, temperature, Math.Min(topK, tokenizer.VocabularySize), generator);
        return tokenizer.Decode(output[0].data<long>().ToArray());
    }

    // Activation memory of one training step, measured here at contexts 64–4,096: about 16 floats per token, layer
    // and unit of width (attention is flash attention, linear in the context), plus the logits. With dropout,
    // attention falls back to materialising [batch, heads, context, context] scores per layer.
    private static void CheckMemory(Settings s, int vocab)
    {
        var tokens = (double)s.Batch * s.Block;
        var floats = tokens * s.Layers * 16 * s.Embed + 3 * tokens * vocab + (s.Dropout > 0 ? 3 * tokens * s.Heads * s.Block * s.Layers : 0);
        var need = 4 * floats;
        var have = (double)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (need > have)
            throw new UsageException(Invariant(
                $"--block {s.Block} with --batch {s.Batch}, --layers {s.Layers} and --embed {s.Embed}{(s.Dropout > 0 ? " and dropout" : "")}: a training step needs about {need / (1 << 30):N1} GiB for activations, more than the {have / (1 << 30):N1} GiB this machine has. Use a smaller --block or --batch."));
    }

    private static Tensor Loss(Gpt model, Tensor x, Tensor y)
    {
        var logits = model.forward(x);
        return nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), y.view(-1));
    }
}
