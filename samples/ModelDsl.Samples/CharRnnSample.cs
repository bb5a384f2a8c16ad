using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.Models.Zoo;
using ModelDsl.Samples.Harness;
using ModelDsl.Training;
using TorchSharp.Modules;
using static System.FormattableString;
using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>
/// <c>charrnn</c>: Karpathy's char-rnn (<see cref="CharRnn"/>, an LSTM written in the DSL) on tiny Shakespeare, beside
/// the <c>gpt</c> sample: the same corpus, split, context length, batches and loss estimates, so the two losses
/// compare directly. Training windows start from a zero state, as the GPT's do; sampling carries the LSTM's state
/// <c>(h, c)</c> from one character to the next. Writes <c>losses.png</c>, <c>sample.txt</c>, <c>summary.json</c> and
/// <c>charrnn.safetensors</c>.
/// </summary>
public static class CharRnnSample
{
    /// <summary>The options; the defaults are char-rnn's two-layer model at the GPT sample's context and step count.</summary>
    public sealed record Settings
    {
        [Option("--data", "A UTF-8 text file to train on (default: tiny Shakespeare, downloaded once)", HelpName = "FILE", MayChangeOnResume = true)]
        public string? Data { get; init; }

        [Option("--steps", "Training steps", Min = 1, Max = RunOptions.MaxSteps, MayChangeOnResume = true)]
        public long Steps { get; init; } = 2000;

        [Option("--layers", "LSTM layers", Min = 1, Max = 64)] public int Layers { get; init; } = 2;
        [Option("--hidden", "LSTM width", Min = 1, Max = 16384)] public int Hidden { get; init; } = 256;
        [Option("--block", "Characters per training window", Min = 1, Max = 100_000)] public int Block { get; init; } = 64;
        [Option("--batch", "Windows per step", Min = 1, Max = 100_000)] public int Batch { get; init; } = 12;
        [Option("--dropout", "Dropout between and after the LSTM layers", Min = 0, Max = 1, BelowMax = true)] public double Dropout { get; init; }
        [Option("--lr", "Peak learning rate (Adam)", Min = 1e-12, Max = 10)] public double LearningRate { get; init; } = 2e-3;
        [Option("--min-lr", "Learning rate at the end of the cosine decay (at most --lr)", Min = 0, Max = 10)] public double MinLearningRate { get; init; } = 2e-4;
        [Option("--warmup", "Linear warmup steps", Min = 0, Max = RunOptions.MaxSteps)] public long Warmup { get; init; } = 100;
        [Option("--grad-clip", "Clip the gradient norm to this (0: off)", Min = 0, Max = 1e9)] public double GradClip { get; init; } = 5.0;

        [Option("--eval-interval", "Steps between train/val loss estimates", Min = 1, Max = RunOptions.MaxSteps, MayChangeOnResume = true)]
        public long EvalInterval { get; init; } = 250;

        [Option("--eval-iters", "Batches per loss estimate", Min = 1, Max = 1_000_000, MayChangeOnResume = true)] public int EvalIters { get; init; } = 20;
        [Option("--sample-chars", "Characters to generate at the end (0: none)", Min = 0, Max = 1_000_000, MayChangeOnResume = true)] public int SampleChars { get; init; } = 500;
        [Option("--temperature", "Sampling temperature (0: greedy)", Min = 0, Max = 100, MayChangeOnResume = true)] public double Temperature { get; init; } = 0.8;
        [Option("--prompt", "Text the sample continues (default: a newline)", MayChangeOnResume = true)] public string? Prompt { get; init; }
        [Option("--cache-dir", "Download cache folder (default ~/.cache/modeldsl)", HelpName = "DIR", NotRecorded = true)] public string? CacheDir { get; init; }
        [Option("--download-url", "Where to download the corpus from", Hidden = true, NotRecorded = true)] public string DownloadUrl { get; init; } = TinyShakespeare.Url;
    }

    public static Command Command(Host host) => SampleRun.Create<Settings>(host, "charrnn", "char-rnn",
        "Train Karpathy's char-rnn (a two-layer LSTM) on tiny Shakespeare beside the GPT, and sample from it",
        new RunOptions { CheckpointEvery = 250 }, ["charrnn.safetensors", "losses.png", "sample.txt", "summary.json"], Train);

    private static int Train(SampleRun run, Settings s)
    {
        if (s.MinLearningRate > s.LearningRate)
            throw new UsageException($"--min-lr ({s.MinLearningRate}) must not exceed --lr ({s.LearningRate}).");

        var path = s.Data ?? TinyShakespeare.Obtain(run.Host, s.CacheDir, s.DownloadUrl);
        if (!File.Exists(path))
            throw new UsageException($"--data: there is no file '{path}'.");
        run.UseData(path);
        using var data = CharDataset.FromText(TextCorpus.Read(run, path), s.Block, name: Path.GetFileName(path));
        var vocab = data.Tokenizer.VocabularySize;
        run.Log(Invariant($"Corpus {Path.GetFileName(path)}: {data.Train.shape[0] + data.Validation.shape[0]:N0} characters, vocabulary {vocab}; {data.Train.shape[0]:N0} train, {data.Validation.shape[0]:N0} validation."));

        Seeding.Seed(run.Seed);
        using var model = new CharRnn(vocab, s.Hidden, s.Layers, s.Dropout);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.Adam(parameters, s.LearningRate);
        var warmup = Math.Min(s.Warmup, Math.Max(0, s.Steps - 1));
        var schedule = new LearningRateSchedule(s.LearningRate, s.MinLearningRate, warmup, Math.Max(warmup + 1, s.Steps));

        var training = run.Train(model, optimizer, s.Steps, (long)s.Batch * s.Block, "tok");
        run.Log(Invariant($"Training CharRnn ({model.ParameterCount:N0} parameters; {s.Layers} LSTM layers of {s.Hidden}): {s.Steps:N0} steps of {s.Batch}×{s.Block} characters, Adam lr {s.LearningRate}→{s.MinLearningRate} (warmup {warmup}, cosine), {run.Options.ThreadsText}."));
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
                var loss = Loss(model, x, y);
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

        Plots.Save(run.OutFile("losses.png"), $"char-rnn (LSTM) on {Path.GetFileName(path)}", YAxis.Linear, "loss",
            new Curve("train (per step)", training.Losses["train"], Smooth: true), new Curve("train (estimate)", training.Losses["train (estimate)"]), new Curve("val", training.Losses["val"]));
        var wholeSplit = TextLoss.WholeValidationSplit(model, data, (x, y) => Loss(model, x, y));
        var (finalTrain, finalVal) = (training.Losses.Last("train (estimate)"), training.Losses.Last("val"));
        run.Log(Invariant($"Final: train loss {finalTrain:0.0000}, val loss {finalVal:0.0000} at step {training.Step:N0} ({s.EvalIters}-batch estimates); val loss over the whole validation split {wholeSplit:0.0000}."));
        var msPerStep = training.StepsThisRun > 0 ? 1000 * stepClock.Elapsed.TotalSeconds / training.StepsThisRun : (double?)null;
        if (msPerStep is { } ms)
            run.Log(Invariant($"{training.StepsThisRun:N0} steps in {TrainingLoop.Duration(training.Seconds)}: {ms:0.0} ms per training step without evaluation."));
        if (s.SampleChars > 0)
        {
            var sample = Sample(model, data.Tokenizer, s.Prompt ?? "\n", s.SampleChars, s.Temperature, run.Seed);
            AtomicFile.Write(run.OutFile("sample.txt"), stream => stream.Write(Encoding.UTF8.GetBytes(sample)));
            run.Log(Invariant($"Sample ({s.SampleChars} characters, temperature {s.Temperature}):\n----\n{sample}\n----"));
        }
        var summary = new Dictionary<string, object?>
        {
            ["steps"] = training.Step,
            ["trainLoss"] = finalTrain,
            ["valLoss"] = finalVal,
            ["valLossWholeSplit"] = wholeSplit,
            ["parameters"] = model.ParameterCount,
            ["secondsThisRun"] = training.Seconds,
            ["msPerTrainStep"] = msPerStep,
            ["threads"] = run.Options.Threads,
        };
        AtomicFile.Write(run.OutFile("summary.json"), stream => JsonSerializer.Serialize(stream, summary, new JsonSerializerOptions { WriteIndented = true }));
        WeightsFile.Save(run.OutFile("charrnn.safetensors"), model, new Dictionary<string, string>
        {
            ["kind"] = "charrnn",
            ["vocabulary"] = JsonSerializer.Serialize(data.Tokenizer.Vocabulary.Select(c => (int)c)), // UTF-16 code units
            ["layers"] = $"{s.Layers}",
            ["hidden"] = $"{s.Hidden}",
            ["steps"] = $"{training.Step}",
            ["trained-on"] = Path.GetFileName(path),
        });
        run.Log($"Loss plot {run.OutFile("losses.png")}; checkpoint {run.CheckpointPath}; weights {run.OutFile("charrnn.safetensors")}.");
        return ExitCodes.Success;
    }

    /// <summary>
    /// <paramref name="chars"/> characters continuing <paramref name="prompt"/> (characters outside the vocabulary left
    /// out): the prompt runs through once, then each drawn character goes in with the state the previous one left.
    /// </summary>
    public static string Sample(CharRnn model, CharTokenizer tokenizer, string prompt, int chars, double temperature, int seed)
    {
        var kept = new string(prompt.Where(tokenizer.Vocabulary.Contains).ToArray());
        if (kept.Length == 0)
            kept = tokenizer.Vocabulary[..1];
        var generator = new Generator((ulong)StepSeeds.Derive(seed, StepSeeds.Sampling));
        var drawn = new List<long>(chars);
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var state = zeros(model.Layers, 1, model.Hidden);
            var (logits, h, c) = model.Forward(tensor(tokenizer.Encode(kept)).unsqueeze(0), state, state);
            for (var i = 0; i < chars; i++)
            {
                var last = logits[0, -1];
                var next = temperature == 0
                    ? last.argmax().item<long>()
                    : multinomial(nn.functional.softmax(last / temperature, 0), 1, generator: generator).item<long>();
                drawn.Add(next);
                (logits, h, c) = model.Forward(tensor(new[] { next }).unsqueeze(0), h, c);
            }
        }
        finally
        {
            model.train();
        }
        return tokenizer.Decode(drawn.ToArray());
    }

    private static Tensor Loss(CharRnn model, Tensor x, Tensor y)
    {
        var state = zeros(model.Layers, x.shape[0], model.Hidden);
        var (logits, _, _) = model.Forward(x, state, state);
        return nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), y.view(-1));
    }
}
