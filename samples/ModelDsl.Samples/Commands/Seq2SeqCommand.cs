using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using ModelDsl.Models.Transformers;
using ModelDsl.Samples.Cli;
using ModelDsl.Samples.Imaging;
using ModelDsl.Samples.Seq2Seq;
using ModelDsl.Training;
using ModelDsl.Weights;
using Spectre.Console;

namespace ModelDsl.Samples.Commands;

/// <summary>
/// <c>seq2seq</c>: the encoder–decoder <see cref="Transformer"/> on a synthetic task that needs no data files
/// (<c>reverse</c>, <c>sort</c> or <c>add</c> digit strings). Teacher forcing with cross-entropy that ignores PAD;
/// greedy decoding (<see cref="Transformer.GreedyDecode"/>) scored by exact match on held-out sequences drawn from a
/// separate seed stream and never trained on.
/// </summary>
public static class Seq2SeqCommand
{
    /// <summary>Default training steps.</summary>
    public const long DefaultSteps = 2000;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var defaults = new Seq2SeqSettings();
        var common = new CommonOptions("seq2seq", defaultSteps: DefaultSteps, defaultCheckpointEvery: 500);
        Option<T> Make<T>(string name, string description, T value) =>
            new(name) { Description = description, DefaultValueFactory = _ => value };
        var task = Make("--task", "reverse: reverse a digit string; sort: sort its digits; add: the sum of \"a+b\"", "reverse");
        task.AcceptOnlyFromAmong("reverse", "sort", "add");
        var minLength = Make("--min-length", "Shortest digit string (reverse, sort)", 3);
        var maxLength = Make("--max-length", "Longest source; add uses operands of up to (max-length − 1) / 2 digits", 8);
        var heldOut = Make("--held-out", "Held-out sequences for the exact-match accuracy (disjoint from training)", 500);
        var evalEvery = Make("--eval-every", "Steps between exact-match checks on the first 200 held-out sequences (0: only at the end)", 250);
        var examples = Make("--examples", "Example decodes printed at the end", 8);
        var layers = Make("--layers", "Encoder and decoder layers (each)", defaults.Layers);
        var heads = Make("--heads", "Attention heads", defaults.Heads);
        var embed = Make("--embed", "Model width", defaults.Embed);
        var hidden = Make("--hidden", "Feed-forward width", defaults.Hidden);
        var dropout = Make("--dropout", "Dropout rate", defaults.Dropout);
        var batch = Make("--batch", "Sequences per step", defaults.BatchSize);
        var lr = Make("--lr", "Peak learning rate (Adam, β2 0.98)", defaults.LearningRate);
        var minLr = Make("--min-lr", "Learning rate at the end of the cosine decay", defaults.MinLearningRate);
        var warmup = Make("--warmup", "Linear warmup steps", defaults.WarmupSteps);
        var command = new Command("seq2seq", "Train the encoder–decoder Transformer on a synthetic digit task (reverse, sort, add) and report exact-match accuracy of greedy decodes")
        {
            task, minLength, maxLength, heldOut, evalEvery, examples, layers, heads, embed, hidden, dropout, batch, lr, minLr, warmup,
        };
        common.AddTo(command, CommonOption.StepTraining & ~CommonOption.Data);
        command.SetAction(parseResult =>
        {
            var run = common.Read(parseResult);
            var settings = new Seq2SeqSettings
            {
                Layers = parseResult.GetValue(layers),
                Heads = parseResult.GetValue(heads),
                Embed = parseResult.GetValue(embed),
                Hidden = parseResult.GetValue(hidden),
                Dropout = parseResult.GetValue(dropout),
                BatchSize = parseResult.GetValue(batch),
                LearningRate = parseResult.GetValue(lr),
                MinLearningRate = parseResult.GetValue(minLr),
                WarmupSteps = parseResult.GetValue(warmup),
                Steps = run.Steps ?? DefaultSteps,
            };
            settings.Validate();
            var kind = Enum.Parse<Seq2SeqTaskKind>(parseResult.GetValue(task) ?? "reverse", ignoreCase: true);
            Seq2SeqTask problem;
            try
            {
                problem = new Seq2SeqTask(kind, parseResult.GetValue(minLength), parseResult.GetValue(maxLength));
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException($"--min-length/--max-length: {e.Message.Split(Environment.NewLine)[0]}");
            }
            var heldOutCount = parseResult.GetValue(heldOut);
            var every = parseResult.GetValue(evalEvery);
            var exampleCount = parseResult.GetValue(examples);
            if (heldOutCount < 1 || every < 0 || exampleCount < 0)
                throw new UsageException("--held-out must be at least 1; --eval-every and --examples at least 0.");
            return Execute(run, problem, settings, heldOutCount, every, exampleCount);
        });
        return command;
    }

    /// <summary>Trains (or resumes), evaluates and prints; returns the exit code.</summary>
    internal static int Execute(RunSettings run, Seq2SeqTask task, Seq2SeqSettings settings, int heldOutCount, int evalEvery, int exampleCount)
    {
        var console = run.Context.Console;
        Seeding.Seed(run.Seed);
        var data = new Seq2SeqData(task, run.Seed, heldOutCount);
        if (data.HeldOut.Count < heldOutCount)
            console.WriteLine($"Note: the {task} task has only {data.HeldOut.Count} distinct sources within reach; holding out all of them.");
        var sample = data.TrainingBatch(0, 3);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Task {task}: {Describe(task)}. Vocabulary {Seq2SeqVocabulary.Size} (PAD 0, BOS 1, EOS 2, digits 3–12, '+' 13). " +
            $"{data.HeldOut.Count:N0} held-out sequences from their own seed stream, never trained on. Training examples: {string.Join(", ", sample)}."));

        using var trainer = new Seq2SeqTrainer(data, settings);
        var session = new TrainingSession(run, trainer.Model, trainer.Optimizer, settings.Steps, settings.BatchSize, "seq");
        session.Properties["config"] = settings.Config;
        session.Properties["task"] = string.Create(CultureInfo.InvariantCulture, $"{task} length={task.MinLength}-{task.MaxLength} heldOut={heldOutCount}");
        session.Resume("config", "task");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Transformer: {settings.Layers}+{settings.Layers} layers, {settings.Heads} heads, width {settings.Embed}, feed-forward {settings.Hidden}, dropout {settings.Dropout}: {trainer.Model.ParameterCount:N0} parameters. " +
            $"{settings.Steps:N0} steps of {settings.BatchSize}, Adam lr {settings.LearningRate} (warmup {settings.WarmupSteps}, cosine to {settings.MinLearningRate}), {run.Threads} threads."));

        var probe = data.HeldOut.Take(200).ToList();
        var trainClock = new Stopwatch();
        var outcome = session.Run(step =>
        {
            trainClock.Start();
            var loss = trainer.Step(step);
            trainClock.Stop();
            if (evalEvery > 0 && (step + 1) % evalEvery == 0 && step + 1 < settings.Steps)
            {
                var check = trainer.Evaluate(probe);
                session.Losses.Add("held-out exact match", step + 1, check.ExactMatchRate);
                session.Log(string.Create(CultureInfo.InvariantCulture,
                    $"step {step + 1:N0}: loss {loss:0.0000}, exact match {check.ExactMatchRate:P1} of {probe.Count} held-out, token accuracy {check.TokenAccuracy:P1}"));
            }
            return [("loss", loss)];
        }, $"seq2seq {task}");
        if (outcome != TrainingOutcome.Completed)
            return TrainingSession.ExitCode(outcome);

        var evalClock = Stopwatch.StartNew();
        var evaluation = trainer.Evaluate();
        evalClock.Stop();
        session.Losses.Add("held-out exact match", session.Step, evaluation.ExactMatchRate);

        var results = new Table().Title($"seq2seq {task}: held-out greedy decodes").AddColumns("Measure", "Value");
        results.AddRow("Exact match", Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{evaluation.ExactMatches:N0} / {evaluation.Examples.Count:N0} = {evaluation.ExactMatchRate:P2}")));
        results.AddRow("Token accuracy (EOS included)", Markup.Escape(evaluation.TokenAccuracy.ToString("P2", CultureInfo.InvariantCulture)));
        results.AddRow("Steps", session.Step.ToString("N0", CultureInfo.InvariantCulture));
        if (session.StepsThisRun > 0)
        {
            results.AddRow("Training time (this run)", Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{TrainingSession.FormatDuration(session.ElapsedSeconds)} for {session.StepsThisRun:N0} steps; {1000 * trainClock.Elapsed.TotalSeconds / session.StepsThisRun:0.0} ms per training step")));
        }
        results.AddRow("Decoding time", Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{evalClock.Elapsed.TotalSeconds:0.0}s for {evaluation.Examples.Count:N0} sequences (greedy, batched)")));
        console.Write(results);

        if (exampleCount > 0)
            console.Write(ExampleTable(evaluation, exampleCount));

        LossPlot.SavePng(run.OutFile("losses.png"), $"Transformer on {task}", [new LossCurve("train loss", session.Losses["loss"], Smooth: true)]);
        LossPlot.SavePng(run.OutFile("exact-match.png"), $"Transformer on {task}: held-out exact match",
            [new LossCurve("exact match", session.Losses["held-out exact match"])], yLabel: "exact match");
        var summary = new Dictionary<string, object?>
        {
            ["task"] = task.ToString(),
            ["steps"] = session.Step,
            ["heldOut"] = evaluation.Examples.Count,
            ["exactMatches"] = evaluation.ExactMatches,
            ["exactMatchRate"] = evaluation.ExactMatchRate,
            ["tokenAccuracy"] = evaluation.TokenAccuracy,
            ["parameters"] = trainer.Model.ParameterCount,
            ["secondsThisRun"] = session.ElapsedSeconds,
            ["stepsThisRun"] = session.StepsThisRun,
            ["msPerTrainStep"] = session.StepsThisRun > 0 ? 1000 * trainClock.Elapsed.TotalSeconds / session.StepsThisRun : null,
            ["threads"] = run.Threads,
        };
        AtomicFile.Write(run.OutFile("summary.json"), stream =>
            JsonSerializer.Serialize(stream, summary, new JsonSerializerOptions { WriteIndented = true }));
        SafetensorsFile.Save(run.OutFile("transformer.safetensors"), trainer.Model);
        console.WriteLine($"Plots {run.OutFile("losses.png")}, {run.OutFile("exact-match.png")}; summary {run.OutFile("summary.json")}; checkpoint {session.CheckpointPath}; weights {run.OutFile("transformer.safetensors")}.");
        return ExitCodes.Success;
    }

    /// <summary>A few held-out decodes: the first <paramref name="count"/>, with any misses among the rest shown first.</summary>
    internal static Table ExampleTable(Seq2SeqEvaluation evaluation, int count)
    {
        var indexes = Enumerable.Range(0, evaluation.Examples.Count)
            .Where(i => !evaluation.Examples[i].IsExactMatch(evaluation.Decoded[i])).Take(count / 2)
            .Concat(Enumerable.Range(0, evaluation.Examples.Count))
            .Distinct().Take(count).Order().ToList();
        var table = new Table().Title("Example decodes (held out)").AddColumns("Source", "Expected", "Greedy decode", "");
        foreach (var i in indexes)
        {
            var example = evaluation.Examples[i];
            var decoded = evaluation.Decoded[i];
            var ok = example.IsExactMatch(decoded);
            table.AddRow(
                Markup.Escape(Seq2SeqVocabulary.Decode(example.Source)),
                Markup.Escape(Seq2SeqVocabulary.Decode(example.Target)),
                Markup.Escape(Seq2SeqVocabulary.Decode(decoded, stopAtEos: true) + (decoded.Contains(Seq2SeqVocabulary.Eos) ? "" : " (no EOS)")),
                ok ? "[green]✓[/]" : "[red]✗[/]");
        }
        return table;
    }

    private static string Describe(Seq2SeqTask task) => task.Kind switch
    {
        Seq2SeqTaskKind.Reverse => $"reverse strings of {task.MinLength}–{task.MaxLength} digits",
        Seq2SeqTaskKind.Sort => $"sort strings of {task.MinLength}–{task.MaxLength} digits",
        _ => $"add two numbers of 1–{task.OperandDigits} digits (\"a+b\" → sum)",
    };
}
