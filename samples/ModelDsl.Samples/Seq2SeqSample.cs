using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ModelDsl.IO;
using ModelDsl.Models.Transformers;
using ModelDsl.Samples.Harness;
using ModelDsl.Training;
using ModelDsl.Weights;
using Spectre.Console;
using static System.FormattableString;
using static TorchSharp.torch;
using V = ModelDsl.Samples.Seq2SeqVocabulary;

namespace ModelDsl.Samples;

/// <summary>
/// <c>seq2seq</c>: the encoder–decoder <see cref="Transformer"/> on a synthetic task that needs no data files
/// (<see cref="Seq2SeqTask"/>: reverse, sort or add digit strings), trained with teacher forcing and scored by the
/// exact match of greedy decodes on held-out sequences it never trained on.
/// </summary>
public static class Seq2SeqSample
{
    public sealed record Settings
    {
        [Option("--task", "reverse: reverse a digit string; sort: sort its digits; add: the sum of \"a+b\"", Choices = ["reverse", "sort", "add"])]
        public string Task { get; init; } = "reverse";

        [Option("--min-length", "Shortest digit string (reverse, sort)", Min = 1, Max = 256)] public int MinLength { get; init; } = 3;
        [Option("--max-length", "Longest source; add uses operands of up to (max-length − 1) / 2 digits", Min = 1, Max = 256)] public int MaxLength { get; init; } = 8;
        [Option("--held-out", "Held-out sequences for the exact match, never trained on", Min = 1, Max = 1_000_000)] public int HeldOut { get; init; } = 500;
        [Option("--steps", "Training steps (the cosine decay ends at the last)", Min = 1, Max = RunOptions.MaxSteps, MayChangeOnResume = true)] public long Steps { get; init; } = 2000;
        [Option("--layers", "Encoder and decoder layers (each)", Min = 1, Max = 1024)] public int Layers { get; init; } = 2;
        [Option("--heads", "Attention heads (they divide --embed)", Min = 1, Max = 1024)] public int Heads { get; init; } = 4;
        [Option("--embed", "Model width", Min = 1, Max = 65536)] public int Embed { get; init; } = 64;
        [Option("--hidden", "Feed-forward width", Min = 1, Max = 1 << 20)] public int Hidden { get; init; } = 128;
        [Option("--separate-embeddings", "Give the source and target embeddings and the output layer a matrix each (default: one shared matrix, as the paper)")] public bool SeparateEmbeddings { get; init; }
        [Option("--dropout", "Dropout rate (0 suits an endless synthetic stream, which cannot be overfitted)", Min = 0, Max = 1, BelowMax = true)] public double Dropout { get; init; }
        [Option("--batch", "Sequences per step", Min = 1, Max = 1_000_000)] public int Batch { get; init; } = 64;
        [Option("--lr", "Peak learning rate (Adam, β2 0.98)", Min = 1e-12, Max = 10)] public double LearningRate { get; init; } = 2e-3;
        [Option("--min-lr", "Learning rate at the end of the cosine decay (at most --lr)", Min = 0, Max = 10)] public double MinLearningRate { get; init; } = 1e-4;
        [Option("--warmup", "Linear warmup steps", Min = 0, Max = RunOptions.MaxSteps)] public long Warmup { get; init; } = 200;
        [Option("--eval-every", "Steps between exact-match checks on the first 200 held-out sequences (0: only at the end)", Min = 0, Max = RunOptions.MaxSteps, MayChangeOnResume = true)] public long EvalEvery { get; init; } = 250;
        [Option("--examples", "Example decodes printed at the end", Min = 0, Max = 10_000, MayChangeOnResume = true)] public int Examples { get; init; } = 8;
    }

    public static Command Command(Host host) => SampleRun.Create<Settings>(host, "seq2seq", "encoder–decoder Transformer",
        "Train the encoder–decoder Transformer on a synthetic digit task (reverse, sort, add) and report the exact match of greedy decodes",
        new RunOptions { CheckpointEvery = 500 }, ["transformer.safetensors", "losses.png", "exact-match.png", "summary.json"], Train);

    private static int Train(SampleRun run, Settings s)
    {
        if (s.Embed % s.Heads != 0)
            throw new UsageException($"--embed ({s.Embed}) must be a multiple of --heads ({s.Heads}).");
        if (s.MinLearningRate > s.LearningRate)
            throw new UsageException($"--min-lr ({s.MinLearningRate}) must not exceed --lr ({s.LearningRate}).");
        if (s.MaxLength < s.MinLength || (s.Task == "add" && s.MaxLength < 3))
            throw new UsageException($"--max-length ({s.MaxLength}) must be at least --min-length ({s.MinLength}), and 3 for add (\"a+b\").");

        // Data: held-out sequences from their own seed stream; training batches from (seed, step), minus those.
        Seeding.Seed(run.Seed);
        var task = new Seq2SeqTask(Enum.Parse<Seq2SeqTaskKind>(s.Task, ignoreCase: true), s.MinLength, s.MaxLength, run.Seed, s.HeldOut);
        if (task.HeldOut.Count < s.HeldOut)
            run.Log($"Note: the {task} task has only {task.HeldOut.Count} distinct sources within reach; holding out all of them.");
        run.Log($"Task {task}: {task.Description}. Vocabulary {V.Size} (PAD 0, BOS 1, EOS 2, digits 3–12, '+' 13). " +
            $"{task.HeldOut.Count:N0} held-out sequences, never trained on. Training examples: {string.Join(", ", task.TrainingBatch(0, 3))}.");

        // Model and optimiser: Adam with linear warmup and a cosine decay to --min-lr at the last step.
        using var model = new Transformer(V.Size, s.Layers, s.Heads, s.Embed, s.Hidden, s.Dropout, shareEmbeddings: !s.SeparateEmbeddings);
        using var optimizer = optim.Adam(model.parameters(), s.LearningRate, beta1: 0.9, beta2: 0.98);
        var warmup = Math.Min(s.Warmup, Math.Max(0, s.Steps - 1));
        var schedule = new LearningRateSchedule(s.LearningRate, s.MinLearningRate, warmup, Math.Max(warmup + 1, s.Steps - 1));

        var training = run.Train(model, optimizer, s.Steps, s.Batch, "seq");
        run.Log(Invariant($"Transformer: {s.Layers}+{s.Layers} layers, {s.Heads} heads, width {s.Embed}, feed-forward {s.Hidden}, dropout {s.Dropout}: {model.ParameterCount:N0} parameters. {s.Steps:N0} steps of {s.Batch}, Adam lr {s.LearningRate} (warmup {warmup}, cosine to {s.MinLearningRate}), {run.Options.ThreadsText}."));
        var probe = task.HeldOut.Take(200).ToList();
        var stepClock = new Stopwatch();
        foreach (var step in training.Steps())
        {
            stepClock.Start();
            using (NewDisposeScope())
            {
                model.train();
                schedule.Apply(optimizer, step);
                using var batch = Seq2SeqBatch.Create(task.TrainingBatch(step, s.Batch));
                optimizer.zero_grad();
                var loss = batch.Loss(model);
                training.Record("loss", loss);
                loss.backward();
                optimizer.step();
            }
            stepClock.Stop();
            if (s.EvalEvery > 0 && (step + 1) % s.EvalEvery == 0 && step + 1 < s.Steps)
            {
                var (decoded, exact, tokens) = Evaluate(model, probe, task.MaxTargetLength + 1);
                training.Losses.Add("held-out exact match", step + 1, (double)exact / probe.Count);
                run.Log(Invariant($"step {step + 1:N0}: loss {training.Losses.Last("loss"):0.0000}, exact match {(double)exact / probe.Count:P1} of {probe.Count} held-out, token accuracy {tokens:P1}"));
            }
        }
        if (training.Stopped)
            return training.ExitCode;

        // Evaluation: greedy decodes of every held-out sequence.
        var decodeClock = Stopwatch.StartNew();
        var (rows, exactMatches, tokenAccuracy) = Evaluate(model, task.HeldOut, task.MaxTargetLength + 1);
        decodeClock.Stop();
        var rate = (double)exactMatches / task.HeldOut.Count;
        training.Losses.Add("held-out exact match", training.Step, rate);
        var msPerStep = training.StepsThisRun > 0 ? 1000 * stepClock.Elapsed.TotalSeconds / training.StepsThisRun : (double?)null;
        var results = new Table().Title($"seq2seq {task}: held-out greedy decodes").AddColumns("Measure", "Value");
        results.AddRow("Exact match", Invariant($"{exactMatches:N0} / {task.HeldOut.Count:N0} = {rate:P2}"));
        results.AddRow("Token accuracy (EOS included)", Invariant($"{tokenAccuracy:P2}"));
        results.AddRow("Steps", Invariant($"{training.Step:N0}"));
        if (msPerStep is { } ms)
            results.AddRow("Training time (this run)", Invariant($"{TrainingLoop.Duration(training.Seconds)} for {training.StepsThisRun:N0} steps; {ms:0.0} ms per training step"));
        results.AddRow("Decoding time", Invariant($"{decodeClock.Elapsed.TotalSeconds:0.0}s for {task.HeldOut.Count:N0} sequences (greedy, batched)"));
        run.Host.Write(results);
        if (s.Examples > 0)
            run.Host.Write(ExampleTable(task.HeldOut, rows, s.Examples));

        // Outputs: plots (the loss falls by orders of magnitude: log scale), a summary and the weights.
        Plots.Save(run.OutFile("losses.png"), $"Transformer on {task}", YAxis.Log, "loss", new Curve("train loss", training.Losses["loss"], Smooth: true));
        Plots.Save(run.OutFile("exact-match.png"), $"Transformer on {task}: held-out exact match", YAxis.Percent, "exact match (%)", new Curve("exact match", training.Losses["held-out exact match"]));
        var summary = new Dictionary<string, object?>
        {
            ["task"] = task.ToString(),
            ["steps"] = training.Step,
            ["heldOut"] = task.HeldOut.Count,
            ["exactMatches"] = exactMatches,
            ["exactMatchRate"] = rate,
            ["tokenAccuracy"] = tokenAccuracy,
            ["parameters"] = model.ParameterCount,
            ["secondsThisRun"] = training.Seconds,
            ["stepsThisRun"] = training.StepsThisRun,
            ["msPerTrainStep"] = msPerStep,
            ["threads"] = run.Options.Threads,
        };
        AtomicFile.Write(run.OutFile("summary.json"), stream => JsonSerializer.Serialize(stream, summary, new JsonSerializerOptions { WriteIndented = true }));
        WeightsFile.Save(run.OutFile("transformer.safetensors"), model, new Dictionary<string, string>
        {
            ["kind"] = "seq2seq",
            ["task"] = task.ToString(),
            ["min-length"] = $"{s.MinLength}",
            ["max-length"] = $"{s.MaxLength}",
            ["layers"] = $"{s.Layers}",
            ["heads"] = $"{s.Heads}",
            ["embed"] = $"{s.Embed}",
            ["hidden"] = $"{s.Hidden}",
            ["share-embeddings"] = s.SeparateEmbeddings ? "false" : "true",
            ["steps"] = $"{training.Step}",
        });
        run.Log($"Plots {run.OutFile("losses.png")}, {run.OutFile("exact-match.png")}; summary {run.OutFile("summary.json")}; weights {run.OutFile("transformer.safetensors")} (`generate {run.OutDir} --input 31415` decodes with them).");
        return ExitCodes.Success;
    }

    /// <summary>Greedy decodes (up to <paramref name="maxLength"/> tokens) of <paramref name="examples"/> in chunks: each row, the exact matches and the token accuracy (EOS included).</summary>
    public static (List<long[]> Rows, int ExactMatches, double TokenAccuracy) Evaluate(Transformer model, IReadOnlyList<Seq2SeqExample> examples, int maxLength)
    {
        var rows = new List<long[]>(examples.Count);
        long tokens = 0, right = 0;
        foreach (var chunk in examples.Chunk(250))
        {
            using var scope = NewDisposeScope();
            using var batch = Seq2SeqBatch.Create(chunk);
            var decoded = model.GreedyDecode(batch.Source, batch.SourcePadding, V.Bos, V.Eos, maxLength);
            for (var i = 0; i < chunk.Length; i++)
            {
                var row = decoded[i].data<long>().ToArray();
                rows.Add(row);
                var expected = chunk[i].Target.Append(V.Eos).ToArray();
                tokens += expected.Length;
                right += expected.Zip(row).Count(p => p.First == p.Second);
            }
        }
        return (rows, examples.Zip(rows).Count(p => p.First.IsExactMatch(p.Second)), tokens == 0 ? 0 : (double)right / tokens);
    }

    /// <summary>Rebuilds the model of a <c>transformer.safetensors</c> and its task from the file's metadata.</summary>
    public static (Transformer Model, Seq2SeqTask Task) Load(string path, IReadOnlyDictionary<string, string> metadata)
    {
        int Number(string key) => int.Parse(metadata[key], CultureInfo.InvariantCulture);
        var task = new Seq2SeqTask(Enum.Parse<Seq2SeqTaskKind>(metadata["task"], ignoreCase: true), Number("min-length"), Number("max-length"));
        // Files written before the option have separate matrices (and no entry for it).
        var shared = metadata.TryGetValue("share-embeddings", out var share) && share == "true";
        var model = new Transformer(V.Size, Number("layers"), Number("heads"), Number("embed"), Number("hidden"), dropout: 0, shareEmbeddings: shared);
        SafetensorsFile.Load(path, model);
        model.eval();
        return (model, task);
    }

    // A few held-out decodes: misses first (up to half), then the first ones.
    private static Table ExampleTable(IReadOnlyList<Seq2SeqExample> examples, List<long[]> rows, int count)
    {
        var indexes = Enumerable.Range(0, examples.Count).Where(i => !examples[i].IsExactMatch(rows[i])).Take(count / 2)
            .Concat(Enumerable.Range(0, examples.Count)).Distinct().Take(count).Order();
        var table = new Table().Title("Example decodes (held out)").AddColumns("Source", "Expected", "Greedy decode", "");
        foreach (var i in indexes)
        {
            table.AddRow(
                Markup.Escape(V.Decode(examples[i].Source)),
                Markup.Escape(V.Decode(examples[i].Target)),
                Markup.Escape(V.Decode(rows[i], stopAtEos: true) + (rows[i].Contains(V.Eos) ? "" : " (no EOS)")),
                examples[i].IsExactMatch(rows[i]) ? "[green]✓[/]" : "[red]✗[/]");
        }
        return table;
    }
}
