using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ModelDsl.Data;
using ModelDsl.IO;
using ModelDsl.Models.Progressive;
using ModelDsl.Progressive;
using ModelDsl.Samples.Harness;
using ModelDsl.Training;
using static System.FormattableString;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>
/// <c>pnn</c>: a progressive network (Rusu et al. 2016), one column per task, over split MNIST (five two-class
/// tasks) or MNIST → Fashion-MNIST, beside two baselines on the same batches: one column fine-tuned from task to
/// task (it forgets) and a fresh column per task (the reference for transfer). After each task every earlier
/// task's answers are compared bit for bit with those recorded when it was trained.
/// </summary>
/// <remarks>
/// Each task trains in three phases of <c>--steps</c> steps: the network's new column (more with <c>--grow</c>),
/// then the fresh column, then the fine-tuned one. A column of task t and t's fresh column start from the same
/// weights (libtorch is seeded alike before each is made) and see the same batches, so their difference is the
/// lateral connections' doing. The checkpoint holds all three learners, the answers recorded so far and where
/// the run is, so <c>--resume</c> continues mid-phase as the uninterrupted run would.
/// </remarks>
public static class PnnSample
{
    public sealed record Settings
    {
        [Option("--sequence", "split-mnist: five two-class tasks 0/1, 2/3, 4/5, 6/7, 8/9; mnist-fashion: MNIST, then Fashion-MNIST", Choices = ["split-mnist", "mnist-fashion"])]
        public string Sequence { get; init; } = "split-mnist";

        [Option("--data", "An MNIST-style IDX folder to split into tasks (default: the shipped MNIST-10k)", HelpName = "DIR", MayChangeOnResume = true)] public string? Data { get; init; }
        [Option("--column", "mlp: MlpColumn (two hidden layers); conv: ConvColumn (two convolutions, one hidden layer)", Choices = ["mlp", "conv"])] public string Column { get; init; } = "mlp";
        [Option("--hidden", "Units per hidden layer of an MlpColumn", Min = 1, Max = 65536)] public int Hidden { get; init; } = 100;
        [Option("--steps", "Training steps per column (and per task for each baseline)", Min = 1, Max = 10_000_000)] public int Steps { get; init; } = 300;
        [Option("--batch", "Images per step", Min = 1, Max = 1_000_000)] public int Batch { get; init; } = 64;
        [Option("--lr", "Adam learning rate", Min = 1e-12, Max = 10)] public double LearningRate { get; init; } = 1e-3;
        [Option("--eval-every", "Steps between validation checks (learning curves, steps to threshold, growth)", Min = 1, Max = 10_000_000)] public int EvalEvery { get; init; } = 10;
        [Option("--threshold", "Validation accuracy whose first crossing the transfer table reports", Min = 1e-6, Max = 1)] public double Threshold { get; init; } = 0.97;
        [Option("--grow", "Grow extra columns for a task whose validation accuracy plateaus below --grow-target")] public bool Grow { get; init; }
        [Option("--grow-target", "With --grow: validation accuracy at which a task has enough columns", Min = 1e-6, Max = 1)] public double GrowTarget { get; init; } = 0.995;
        [Option("--grow-patience", "With --grow: validation checks without improvement that count as a plateau", Min = 1, Max = 1_000_000)] public int GrowPatience { get; init; } = 5;
        [Option("--max-columns", "With --grow: the most columns one task may get", Min = 1, Max = 1000)] public int MaxColumns { get; init; } = 3;
    }

    public static Command Command(Host host) => SampleRun.Create<Settings>(host, "pnn", "progressive network",
        "Progressive neural network on split MNIST (or MNIST → Fashion-MNIST): no forgetting, checked bit for bit, against a fine-tuning baseline",
        new RunOptions { CheckpointEvery = 200 }, ["pnn.mdl", "summary.json", "accuracy.png"], Train);

    private static int Train(SampleRun run, Settings s)
    {
        Seeding.Seed(run.Seed);
        var mnist = s.Data is null ? DataPaths.Mnist10k()
            : Directory.Exists(s.Data) ? Path.GetFullPath(s.Data) : throw new UsageException($"--data: '{s.Data}' is not a folder of MNIST-style IDX files.");
        var fashion = s.Sequence == "mnist-fashion" ? PnnTasks.FashionDirectory() : null;
        run.UseDataIn(mnist, "train-", "t10k-");
        if (fashion is not null)
            run.UseDataIn(fashion, "train-", "t10k-");
        var tasks = fashion is null ? PnnTasks.SplitMnist(mnist, run.Seed) : PnnTasks.MnistThenFashion(mnist, fashion, run.Seed);
        try
        {
            run.Log($"Tasks ({s.Sequence}, from {mnist}{(fashion is null ? "" : $" and {fashion}")}):");
            foreach (var task in tasks)
                run.Log($"  {task.Name}: {task.Classes} classes, {task.Train.Count:N0} training, {task.Validation.Count:N0} validation, {task.Test.Count:N0} test images");
            var classes = tasks[0].Classes;
            return s.Column == "conv"
                ? Run(run, s, tasks, () => new ConvColumn(classes), "ConvColumn")
                : Run(run, s, tasks, () => new MlpColumn(s.Hidden, classes), $"MlpColumn(hidden {s.Hidden})");
        }
        finally
        {
            tasks.ForEach(t => t.Dispose());
        }
    }

    private enum Phase { Column, Fresh, FineTuning }

    /// <summary>Where the run is and what it has found: saved in the checkpoint with the weights.</summary>
    private sealed class Progress
    {
        public int Task { get; set; }
        public Phase Phase { get; set; }
        public long PhaseStart { get; set; }
        public long PhaseEnd { get; set; }
        public long Total { get; set; }
        public bool GrowNext { get; set; }
        public List<Point> Curve { get; set; } = [];         // this phase's validation checks
        public List<int> Columns { get; set; } = [];          // this task's columns
        public int StepsRun { get; set; }                     // by this task's finished columns
        public int? StepsToThreshold { get; set; }
        public long Trainable { get; set; }
        public double FreshAccuracy { get; set; }
        public int? FreshStepsToThreshold { get; set; }
        public List<AfterTaskReport> Reports { get; set; } = [];
        public List<TransferRow> Transfer { get; set; } = [];
        public List<GrowthEvent> Growth { get; set; } = [];
        public int ColumnCount => Transfer.Sum(t => t.ColumnIndexes.Count) + Columns.Count;
    }

    private sealed record Point(int Step, double Accuracy);

    /// <summary>The three learners and the answers recorded after each task, as one module for the checkpoint.</summary>
    private sealed class Learners<TColumn> : nn.Module where TColumn : nn.Module<Tensor, Tensor>, IProgressiveColumn
    {
        public Learners(ProgressiveNetwork<TColumn> network, TColumn fineTuned, TColumn fresh) : base("PnnLearners")
        {
            (Network, FineTuned, Fresh) = (network, fineTuned, fresh);
            register_module("network", network);
            register_module("fine_tuned", fineTuned);
            register_module("fresh", fresh);
        }

        public ProgressiveNetwork<TColumn> Network { get; }
        public TColumn FineTuned { get; }
        public TColumn Fresh { get; }

        public void Record(int task, Tensor progressive, Tensor fineTuned)
        {
            register_buffer($"recorded_pnn_{task}", progressive.clone());
            register_buffer($"recorded_fine_tuned_{task}", fineTuned.clone());
        }

        public TaskSnapshot Recorded(string learner, int task, PnnTask data) =>
            new(named_buffers().Single(b => b.name == $"recorded_{learner}_{task}").buffer.clone(), data.Test.Labels);
    }

    private static int Run<TColumn>(SampleRun run, Settings s, List<PnnTask> tasks, Func<TColumn> createColumn, string columnName)
        where TColumn : nn.Module<Tensor, Tensor>, IProgressiveColumn
    {
        // The learners. On --resume the network gets the saved number of columns and the recorded answers their
        // places; the checkpoint then fills in every value.
        var saved = run.Saved?.Metadata.Properties.GetValueOrDefault("pnn");
        var progress = saved is null ? new Progress { Total = 3L * tasks.Count * s.Steps } : JsonSerializer.Deserialize<Progress>(saved)!;
        using var network = new ProgressiveNetwork<TColumn>(createColumn);
        manual_seed(ColumnSeed(run.Seed, 0, 0));
        using var learners = new Learners<TColumn>(network, createColumn(), createColumn());
        for (var c = 0; c < progress.ColumnCount; c++)
            network.AddColumn();
        for (var t = 0; t < progress.Reports.Count; t++)
            learners.Record(t, zeros(tasks[t].Test.Count, tasks[t].Classes), zeros(tasks[t].Test.Count, tasks[t].Classes));
        if (saved is null)
            BeginColumn(run, s, progress, learners, trainingStep: 0);
        var columnParameters = learners.FineTuned.parameters().Sum(p => p.numel());

        var training = run.Train(learners, Optimizer(s, progress, learners), progress.Total, s.Batch, "img");
        training.BeforeSave = () => training.State["pnn"] = JsonSerializer.Serialize(progress);
        run.Log(Invariant($"Columns: {columnName}, {columnParameters:N0} parameters each before adapters. {s.Steps:N0} steps of {s.Batch} per column, Adam lr {s.LearningRate}, {run.Options.ThreadsText}. ") +
            $"Baselines on the same batches: one {columnName} fine-tuned task after task (shared head), and a fresh {columnName} per task.");
        if (s.Grow)
            run.Log($"Growth: a task gets another column (up to {s.MaxColumns}) when its validation accuracy stops improving for {s.GrowPatience} checks below {PnnReport.Percent(s.GrowTarget)}.");

        while (progress.Task < tasks.Count)
        {
            var task = tasks[progress.Task];
            if (progress.Phase == Phase.Column && progress.Columns.Count == 1 && progress.Curve.Count == 0)
                run.Log($"Task {progress.Task + 1}/{tasks.Count} ({task.Name}):");

            // One phase: train one learner on the task's batches, checking its validation accuracy as it goes.
            var column = network.ColumnCount - 1;
            (nn.Module Module, Func<Tensor, Tensor> Forward, string Label, int BatchSeed) learner = progress.Phase switch
            {
                Phase.Column => (network, x => network.Forward(x, column), $"PNN column {column}{(progress.Columns.Count > 1 ? " (grown)" : "")} on {task.Name}",
                    BatchSeed(run.Seed, progress.Task, progress.Columns.Count - 1)),
                Phase.Fresh => (learners.Fresh, x => learners.Fresh.call(x), $"fresh column on {task.Name}", BatchSeed(run.Seed, progress.Task, 0)),
                _ => (learners.FineTuned, x => learners.FineTuned.call(x), $"fine-tuning on {task.Name}", BatchSeed(run.Seed, progress.Task, 0)),
            };
            var (module, forward, label, batchSeed) = learner;
            var policy = progress.Phase == Phase.Column && s.Grow ? new PlateauGrowthPolicy(s.GrowTarget, s.GrowPatience) : null;
            foreach (var point in progress.Curve)
                policy?.ShouldGrow(point.Accuracy); // a resumed phase replays its checks
            var batches = EpochBatches.Sequential(task.Train, Math.Min(s.Batch, task.Train.Count), batchSeed, dropLast: true);
            var clock = Stopwatch.StartNew();
            foreach (var step in training.Steps(progress.PhaseEnd))
            {
                var i = step - progress.PhaseStart;
                using (NewDisposeScope())
                {
                    module.train();
                    var (x, y) = batches.Get(i);
                    training.Optimizer!.zero_grad();
                    var loss = nn.functional.cross_entropy(forward(x), y);
                    training.Record("loss", loss);
                    loss.backward();
                    training.Optimizer.step();
                }
                if ((i + 1) % s.EvalEvery != 0 && i + 1 != s.Steps)
                    continue;
                using var check = TaskSnapshot.Of(module, forward, task.Validation);
                progress.Curve.Add(new Point((int)i + 1, check.Accuracy));
                if (policy?.ShouldGrow(check.Accuracy) == true && progress.Columns.Count < s.MaxColumns)
                {
                    progress.Growth.Add(new GrowthEvent(task.Name, network.ColumnCount, progress.StepsRun + (int)i + 1, check.Accuracy));
                    (progress.GrowNext, progress.PhaseEnd) = (true, step + 1);
                    training.EndLoopAfterThisStep();
                }
            }
            if (training.Stopped)
                return training.ExitCode;
            var steps = (int)(progress.PhaseEnd - progress.PhaseStart);
            run.Log(Invariant($"  {label}: {steps} steps in {clock.Elapsed.TotalSeconds:0.0}s, final loss {training.Losses.Last("loss"):0.0000}, validation {PnnReport.Percent(progress.Curve[^1].Accuracy)}"));

            // What the phase leads to: another column, the fresh column, the fine-tuned one, or the task's results.
            training.Optimizer?.Dispose();
            if (progress.Phase == Phase.Column)
            {
                if (progress.StepsToThreshold is null && StepsTo(progress.Curve, s.Threshold) is { } reached)
                    progress.StepsToThreshold = progress.StepsRun + reached;
                progress.StepsRun += steps;
                if (progress.GrowNext)
                    BeginColumn(run, s, progress, learners, training.Step);
                else
                    Begin(progress, Phase.Fresh, training.Step, s.Steps);
                if (progress.Phase == Phase.Fresh)
                    ResetToInitialWeights(learners.Fresh, createColumn, ColumnSeed(run.Seed, progress.Task, 0));
            }
            else if (progress.Phase == Phase.Fresh)
            {
                using var test = TaskSnapshot.Of(learners.Fresh, learners.Fresh.call, task.Test);
                (progress.FreshAccuracy, progress.FreshStepsToThreshold) = (test.Accuracy, StepsTo(progress.Curve, s.Threshold));
                Begin(progress, Phase.FineTuning, training.Step, s.Steps);
            }
            else
            {
                var report = Evaluate(progress, learners, tasks, columnParameters);
                run.Host.Write(PnnReport.AfterTask(report, tasks.Count));
                if (++progress.Task < tasks.Count)
                    BeginColumn(run, s, progress, learners, training.Step);
            }
            training.Total = progress.Total;
            training.Optimizer = Optimizer(s, progress, learners);
        }
        training.Save();

        // Results: transfer, growth, the forgetting check, the network, a summary and the plot.
        run.Host.Write(PnnReport.Transfer(progress.Transfer, s.Threshold));
        if (s.Grow)
        {
            if (progress.Growth.Count > 0)
                run.Host.Write(PnnReport.Growth(progress.Growth));
            else
                run.Log($"Growth: no task plateaued below {PnnReport.Percent(s.GrowTarget)}; one column each.");
        }
        var final = progress.Reports[^1].Rows;
        var checks = progress.Reports.SelectMany(r => r.Rows).Where(r => !r.IsNew).ToList();
        var allUnchanged = checks.All(r => r.ProgressiveUnchanged);
        var networkParameters = network.CountParameters();
        run.Log(Invariant($"Final mean test accuracy over {tasks.Count} tasks: progressive network {PnnReport.Percent(final.Average(r => r.ProgressiveNow))}, ") +
            Invariant($"fine-tuning {PnnReport.Percent(final.Average(r => r.FineTuningNow))}, fresh column per task {PnnReport.Percent(progress.Transfer.Average(r => r.FreshAccuracy))}."));
        run.Log(Invariant($"Forgetting: {(allUnchanged ? $"none — all {checks.Count} later checks of earlier tasks were bit-identical" : "SOME EARLIER TASK CHANGED (a bug)")}. ") +
            Invariant($"The network has {network.ColumnCount} columns and {networkParameters:N0} parameters ({columnParameters:N0} per column before adapters). {training.StepsThisRun:N0} steps in {TrainingLoop.Duration(training.Seconds)}."));

        Checkpoint.Save(run.OutFile("pnn.mdl"), network, new CheckpointMetadata
        {
            Step = progress.Transfer.Sum(t => t.ProgressiveStepsRun),
            Seed = run.Seed,
            Properties = new Dictionary<string, string>
            {
                ["column"] = columnName,
                ["columns"] = $"{network.ColumnCount}",
                ["tasks"] = string.Join(";", tasks.Select(t => t.Name)),
                ["columnOfTask"] = string.Join(";", progress.Transfer.Select(t => t.ColumnIndexes[^1])),
            },
        });
        var summary = new Dictionary<string, object?>
        {
            ["column"] = columnName,
            ["steps"] = s.Steps,
            ["secondsThisRun"] = training.Seconds,
            ["allEarlierTasksBitIdentical"] = allUnchanged,
            ["pnnAccuracy"] = final.ToDictionary(r => r.Task, r => r.ProgressiveNow),
            ["fineTuningAccuracy"] = final.ToDictionary(r => r.Task, r => r.FineTuningNow),
            ["fineTuningAccuracyWhenTrained"] = final.ToDictionary(r => r.Task, r => r.FineTuningRecorded),
            ["freshAccuracy"] = progress.Transfer.ToDictionary(r => r.Task, r => r.FreshAccuracy),
            ["trainableParametersPerColumn"] = progress.Transfer.ToDictionary(r => r.Task, r => r.TrainableParameters),
            ["networkParameters"] = networkParameters,
            ["growth"] = progress.Growth,
        };
        AtomicFile.Write(run.OutFile("summary.json"), stream => JsonSerializer.Serialize(stream, summary, new JsonSerializerOptions { WriteIndented = true }));
        PnnReport.SavePlot(run.OutFile("accuracy.png"), $"{columnName} columns: accuracy of each task as later tasks are learned", progress.Reports);
        run.Log($"Network saved to {run.OutFile("pnn.mdl")} ({network.ColumnCount} columns); summary {run.OutFile("summary.json")}; plot {run.OutFile("accuracy.png")}.");
        return allUnchanged ? ExitCodes.Success : ExitCodes.Failure;
    }

    // A new column for the current task, seeded so that its first column starts as the task's fresh column.
    private static void BeginColumn<TColumn>(SampleRun run, Settings s, Progress progress, Learners<TColumn> learners, long trainingStep)
        where TColumn : nn.Module<Tensor, Tensor>, IProgressiveColumn
    {
        if (!progress.GrowNext)
            (progress.Columns, progress.StepsRun, progress.StepsToThreshold, progress.Trainable) = (new List<int>(), 0, null, 0);
        else
            progress.Total += progress.PhaseEnd - progress.PhaseStart; // the stopped column's steps, then the grown one's
        manual_seed(ColumnSeed(run.Seed, progress.Task, progress.Columns.Count));
        learners.Network.AddColumn();
        progress.Columns.Add(learners.Network.ColumnCount - 1);
        progress.Trainable += learners.Network.TrainableParameterCount;
        progress.GrowNext = false;
        Begin(progress, Phase.Column, trainingStep, s.Steps);
    }

    private static void Begin(Progress progress, Phase phase, long trainingStep, int steps) =>
        (progress.Phase, progress.PhaseStart, progress.PhaseEnd, progress.Curve) = (phase, trainingStep, trainingStep + steps, new List<Point>());

    private static void ResetToInitialWeights<TColumn>(TColumn fresh, Func<TColumn> createColumn, long seed) where TColumn : nn.Module
    {
        manual_seed(seed);
        using var initial = createColumn();
        using var noGrad = no_grad();
        foreach (var (target, source) in fresh.parameters().Zip(initial.parameters()))
            target.copy_(source);
    }

    private static OptimizerHelper Optimizer<TColumn>(Settings s, Progress progress, Learners<TColumn> learners)
        where TColumn : nn.Module<Tensor, Tensor>, IProgressiveColumn =>
        optim.Adam(progress.Phase switch
        {
            Phase.Column => learners.Network.TrainableParameters().ToList(),
            Phase.Fresh => learners.Fresh.parameters().ToList(),
            _ => learners.FineTuned.parameters().ToList(),
        }, s.LearningRate);

    // Every task so far, by the network (each from its own column) and the fine-tuned column, against the answers
    // recorded right after it was trained; the current task's answers are recorded now.
    private static AfterTaskReport Evaluate<TColumn>(Progress progress, Learners<TColumn> learners, List<PnnTask> tasks, long columnParameters)
        where TColumn : nn.Module<Tensor, Tensor>, IProgressiveColumn
    {
        var t = progress.Task;
        var columnOf = progress.Transfer.Select(r => r.ColumnIndexes[^1]).Append(progress.Columns[^1]).ToList();
        var rows = new List<TaskAccuracyRow>();
        for (var i = 0; i <= t; i++)
        {
            using var progressive = TaskSnapshot.Of(learners.Network, x => learners.Network.Forward(x, columnOf[i]), tasks[i].Test);
            using var fineTuned = TaskSnapshot.Of(learners.FineTuned, learners.FineTuned.call, tasks[i].Test);
            if (i == t)
                learners.Record(t, progressive.Logits, fineTuned.Logits);
            using var progressiveThen = learners.Recorded("pnn", i, tasks[i]);
            using var fineTunedThen = learners.Recorded("fine_tuned", i, tasks[i]);
            rows.Add(new TaskAccuracyRow(tasks[i].Name, i == t,
                progressiveThen.Accuracy, progressive.Accuracy, progressiveThen.IsIdenticalTo(progressive), progressiveThen.MaxAbsoluteDifference(progressive),
                fineTunedThen.Accuracy, fineTuned.Accuracy, fineTunedThen.IsIdenticalTo(fineTuned)));
        }
        progress.Transfer.Add(new TransferRow(tasks[t].Name, progress.Columns, rows[^1].ProgressiveNow, progress.FreshAccuracy,
            progress.StepsToThreshold, progress.FreshStepsToThreshold, progress.StepsRun, progress.Trainable, columnParameters, learners.Network.CountParameters()));
        var report = new AfterTaskReport(t, tasks[t].Name, learners.Network.ColumnCount, rows);
        progress.Reports.Add(report);
        return report;
    }

    private static int? StepsTo(List<Point> curve, double threshold) => curve.FirstOrDefault(p => p.Accuracy >= threshold)?.Step;

    private static long CountParameters(this nn.Module module) => module.parameters().Sum(p => p.numel());

    // The libtorch seed before creating column `extra` of `task`, and the seed of that column's batch order:
    // SplitMix64 of (seed, stream, index), independent and reproducible.
    private static long ColumnSeed(int seed, int task, int extra) => Derive(seed, 1, task * 64 + extra);

    private static int BatchSeed(int seed, int task, int extra) => (int)(Derive(seed, 2, task * 64 + extra) & int.MaxValue);

    private static long Derive(int seed, ulong stream, long index)
    {
        var z = ((ulong)(uint)seed << 20) ^ (stream << 52) ^ (ulong)index;
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return (long)((z ^ (z >> 31)) >> 1);
    }
}
