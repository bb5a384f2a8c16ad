using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.Models.Progressive;
using ModelDsl.Progressive;
using ModelDsl.Samples.Cli;
using ModelDsl.Samples.Pnn;
using ModelDsl.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Commands;

/// <summary>
/// <c>pnn</c>: a progressive network (Rusu et al. 2016) on a task sequence, one column per task — split MNIST (five
/// two-class tasks, the shipped MNIST-10k) or MNIST → Fashion-MNIST. After each task it prints every task's test
/// accuracy and checks bit for bit that earlier tasks' answers are unchanged, beside a fine-tuned single column that
/// forgets; at the end, each column's transfer against a fresh column and the parameters it added.
/// </summary>
public static class PnnCommand
{
    /// <summary>Default steps per column.</summary>
    public const long DefaultSteps = 300;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var defaults = new PnnSettings();
        var common = new CommonOptions("pnn", defaultSteps: DefaultSteps,
            dataDescription: "An MNIST-style IDX folder to split into tasks (default: the shipped MNIST-10k)");
        common.Steps.Description = "Optimizer steps per column (and per task for both baselines)";
        Option<T> Make<T>(string name, string description, T value) =>
            new(name) { Description = description, DefaultValueFactory = _ => value };
        var sequence = Make("--sequence", $"split-mnist: five two-class tasks 0/1, 2/3, 4/5, 6/7, 8/9; mnist-fashion: MNIST, then Fashion-MNIST (needs {DataPaths.FashionMnistDirectory})", "split-mnist");
        sequence.AcceptOnlyFromAmong("split-mnist", "mnist-fashion");
        var column = Make("--column", "mlp: MlpColumn (two hidden layers); conv: ConvColumn (two convolutions, one hidden layer)", "mlp");
        column.AcceptOnlyFromAmong("mlp", "conv");
        var hidden = Make("--hidden", "Units per hidden layer of an MlpColumn", 100);
        var batch = Make("--batch", "Images per step", defaults.BatchSize);
        var lr = Make("--lr", "Adam learning rate", defaults.LearningRate);
        var evalEvery = Make("--eval-every", "Steps between validation checks (learning curves, steps to threshold, growth)", defaults.EvalEvery);
        var threshold = Make("--threshold", "Validation accuracy whose first crossing the transfer table reports", defaults.Threshold);
        var grow = Make("--grow", "Grow extra columns for a task whose validation accuracy plateaus below --grow-target (PlateauGrowthPolicy)", false);
        var growTarget = Make("--grow-target", "With --grow: validation accuracy at which a task has enough columns", defaults.GrowTarget);
        var growPatience = Make("--grow-patience", "With --grow: validation checks without improvement that count as a plateau", defaults.GrowPatience);
        var maxColumns = Make("--max-columns", "With --grow: the most columns one task may get", defaults.MaxColumnsPerTask);
        var command = new Command("pnn", "Progressive neural network on split MNIST (or MNIST → Fashion-MNIST): no forgetting, checked bit for bit, against a fine-tuning baseline")
        {
            sequence, column, hidden, batch, lr, evalEvery, threshold, grow, growTarget, growPatience, maxColumns,
        };
        common.AddTo(command, CommonOption.Seed | CommonOption.Steps | CommonOption.Threads | CommonOption.Out | CommonOption.Data);
        command.SetAction(parseResult =>
        {
            var run = common.Read(parseResult);
            var settings = new PnnSettings
            {
                Steps = checked((int)(run.Steps ?? DefaultSteps)),
                BatchSize = parseResult.GetValue(batch),
                LearningRate = parseResult.GetValue(lr),
                EvalEvery = parseResult.GetValue(evalEvery),
                Threshold = parseResult.GetValue(threshold),
                Seed = run.Seed,
                Grow = parseResult.GetValue(grow),
                GrowTarget = parseResult.GetValue(growTarget),
                GrowPatience = parseResult.GetValue(growPatience),
                MaxColumnsPerTask = parseResult.GetValue(maxColumns),
            };
            try
            {
                settings.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException($"{e.ParamName}: {e.Message.Split(Environment.NewLine)[0]}");
            }
            var hiddenUnits = parseResult.GetValue(hidden);
            if (hiddenUnits < 1)
                throw new UsageException("--hidden must be at least 1.");
            return Execute(run, parseResult.GetValue(sequence) ?? "split-mnist", parseResult.GetValue(column) ?? "mlp", hiddenUnits, settings);
        });
        return command;
    }

    /// <summary>Loads the task sequence, runs the experiment and prints the tables; returns the exit code.</summary>
    internal static int Execute(RunSettings run, string sequence, string column, int hidden, PnnSettings settings)
    {
        var console = run.Context.Console;
        Seeding.Seed(run.Seed);
        var mnist = run.Data is { } data
            ? Directory.Exists(data) ? Path.GetFullPath(data) : throw new DirectoryNotFoundException($"--data: '{data}' is not a folder of MNIST-style IDX files.")
            : DataPaths.Mnist10k();
        var tasks = sequence == "mnist-fashion"
            ? PnnTasks.MnistThenFashion(mnist, null, run.Seed)
            : PnnTasks.SplitMnist(mnist, run.Seed);
        try
        {
            console.WriteLine($"Tasks ({sequence}, from {(sequence == "mnist-fashion" ? $"{mnist} and {DataPaths.FashionMnistDirectory}" : mnist)}):");
            foreach (var task in tasks)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {task.Name}: {task.Classes} classes, {task.Train.Count:N0} training, {task.Validation.Count:N0} validation, {task.Test.Count:N0} test images"));
            }

            var classes = tasks[0].Classes;
            return column == "conv"
                ? Run(run, tasks, () => new ConvColumn(classes), "ConvColumn", settings)
                : Run(run, tasks, () => new MlpColumn(hidden, classes), $"MlpColumn(hidden {hidden})", settings);
        }
        finally
        {
            foreach (var task in tasks)
                task.Dispose();
        }
    }

    private static int Run<TColumn>(RunSettings run, IReadOnlyList<PnnTask> tasks, Func<TColumn> createColumn, string columnName, PnnSettings settings)
        where TColumn : nn.Module<Tensor, Tensor>, IProgressiveColumn
    {
        var console = run.Context.Console;
        using var experiment = new PnnExperiment<TColumn>(tasks, createColumn, settings);
        var columnParameters = experiment.FineTuned.parameters().Sum(p => p.numel());
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Columns: {columnName}, {columnParameters:N0} parameters each before adapters. {settings.Steps:N0} steps of {settings.BatchSize} per column, Adam lr {settings.LearningRate}, {run.Threads} threads. " +
            $"Baselines on the same batches: one {columnName} fine-tuned task after task (shared head), and a fresh {columnName} per task."));
        if (settings.Grow)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Growth: a task gets another column (up to {settings.MaxColumnsPerTask}) when its validation accuracy stops improving for {settings.GrowPatience} checks below {PnnReport.Percent(settings.GrowTarget)}."));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        experiment.PhaseCompleted = (label, curve, seconds) =>
        {
            if (!run.Context.Interactive)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {label}: {curve.Steps} steps in {seconds:0.0}s, final loss {curve.LastLoss:0.0000}, validation {PnnReport.Percent(curve.FinalAccuracy)}"));
            }
        };
        try
        {
            while (experiment.TasksTrained < tasks.Count)
            {
                AfterTaskReport report;
                if (run.Context.Interactive)
                {
                    report = console.Progress()
                        .AutoClear(true)
                        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                        .Start(progress =>
                        {
                            var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                            experiment.Progress = (label, step, total, loss) =>
                            {
                                ThrowIfInterrupted(run);
                                if (!bars.TryGetValue(label, out var bar))
                                    bars[label] = bar = progress.AddTask(Markup.Escape(label), maxValue: total);
                                bar.Value = step;
                                bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{label}  loss {loss:0.0000}"));
                            };
                            return experiment.TrainNext();
                        });
                }
                else
                {
                    console.WriteLine($"Task {experiment.TasksTrained + 1}/{tasks.Count} ({tasks[experiment.TasksTrained].Name}):");
                    experiment.Progress = (_, _, _, _) => ThrowIfInterrupted(run);
                    report = experiment.TrainNext();
                }

                console.Write(PnnReport.AfterTask(report, tasks.Count));
            }
        }
        catch (OperationCanceledException)
        {
            console.WriteLine($"Interrupted during task {experiment.TasksTrained + 1}; the tables above hold every task finished before.");
            return ExitCodes.Interrupted;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        console.Write(PnnReport.Transfer(experiment.Transfer, settings.Threshold));
        if (settings.Grow)
        {
            if (experiment.Growth.Count > 0)
                console.Write(PnnReport.Growth(experiment.Growth));
            else
                console.WriteLine($"Growth: no task plateaued below {PnnReport.Percent(settings.GrowTarget)}; one column each.");
        }

        var final = experiment.Reports[^1].Rows;
        var allUnchanged = experiment.Reports.SelectMany(r => r.Rows).Where(r => !r.IsNew).All(r => r.ProgressiveUnchanged);
        var checks = experiment.Reports.SelectMany(r => r.Rows).Count(r => !r.IsNew);
        var networkParameters = experiment.Network.parameters().Sum(p => p.numel());
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Final mean test accuracy over {tasks.Count} tasks: progressive network {PnnReport.Percent(final.Average(r => r.ProgressiveNow))}, " +
            $"fine-tuning {PnnReport.Percent(final.Average(r => r.FineTuningNow))}, fresh column per task {PnnReport.Percent(experiment.Transfer.Average(r => r.FreshAccuracy))}."));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Forgetting: {(allUnchanged ? $"none — all {checks} later checks of earlier tasks were bit-identical" : "SOME EARLIER TASK CHANGED (a bug)")}. " +
            $"The network has {experiment.Network.ColumnCount} columns and {networkParameters:N0} parameters ({columnParameters:N0} per column before adapters). Total time {TrainingSession.FormatDuration(seconds)}."));

        Directory.CreateDirectory(run.OutDir);
        var path = run.OutFile("pnn.mdl");
        Checkpoint.Save(path, experiment.Network, new CheckpointMetadata
        {
            Step = experiment.Transfer.Sum(t => t.ProgressiveStepsRun),
            Seed = run.Seed,
            Properties = new Dictionary<string, string>
            {
                ["column"] = columnName,
                ["columns"] = experiment.Network.ColumnCount.ToString(CultureInfo.InvariantCulture),
                ["tasks"] = string.Join(";", tasks.Select(t => t.Name)),
                ["columnOfTask"] = string.Join(";", experiment.ColumnOfTask),
            },
        });
        var summary = new Dictionary<string, object?>
        {
            ["column"] = columnName,
            ["steps"] = settings.Steps,
            ["seconds"] = seconds,
            ["allEarlierTasksBitIdentical"] = allUnchanged,
            ["pnnAccuracy"] = final.ToDictionary(r => r.Task, r => r.ProgressiveNow),
            ["fineTuningAccuracy"] = final.ToDictionary(r => r.Task, r => r.FineTuningNow),
            ["fineTuningAccuracyWhenTrained"] = final.ToDictionary(r => r.Task, r => r.FineTuningRecorded),
            ["freshAccuracy"] = experiment.Transfer.ToDictionary(r => r.Task, r => r.FreshAccuracy),
            ["trainableParametersPerColumn"] = experiment.Transfer.ToDictionary(r => r.Task, r => r.TrainableParameters),
            ["networkParameters"] = networkParameters,
            ["growth"] = experiment.Growth.Select(g => new { g.Task, g.Column, g.AtStep, g.ValidationAccuracy }).ToList(),
        };
        AtomicFile.Write(run.OutFile("summary.json"), stream =>
            JsonSerializer.Serialize(stream, summary, new JsonSerializerOptions { WriteIndented = true }));
        PnnPlot.SavePng(run.OutFile("accuracy.png"), $"{columnName} columns: accuracy of each task as later tasks are learned", experiment.Reports);
        console.WriteLine($"Network saved to {path} ({experiment.Network.ColumnCount} columns); summary {run.OutFile("summary.json")}; plot {run.OutFile("accuracy.png")}.");
        return allUnchanged ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static void ThrowIfInterrupted(RunSettings run)
    {
        if (run.Context.InterruptRequested)
            throw new OperationCanceledException("Interrupted.");
    }
}
