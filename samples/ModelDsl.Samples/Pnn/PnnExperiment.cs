using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Progressive;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Pnn;

/// <summary>
/// Trains a progressive network on a task sequence, one column per task (more with growth), beside two baselines
/// trained on the same batches: one column fine-tuned from task to task (which forgets), and a fresh column per
/// task (the reference for transfer). After each task every earlier task is evaluated again and compared bit for
/// bit with what was recorded right after it was trained.
/// </summary>
/// <remarks>
/// Column <c>k</c> of task <c>t</c> and the fresh column of task <c>t</c> start from the same weights (libtorch is
/// seeded the same way before each is created) and see the same batches, so their difference is the lateral
/// connections' doing. The fine-tuned column starts as task 0's column: after the first task all three agree.
/// </remarks>
public sealed class PnnExperiment<TColumn> : IDisposable
    where TColumn : nn.Module<Tensor, Tensor>, IProgressiveColumn
{
    private readonly Func<TColumn> _createColumn;
    private readonly List<TaskSnapshot> _progressiveRecorded = [];
    private readonly List<TaskSnapshot> _fineTuningRecorded = [];
    private readonly List<List<int>> _columnsOfTask = [];
    private readonly List<TransferRow> _transfer = [];
    private readonly List<GrowthEvent> _growth = [];
    private readonly List<AfterTaskReport> _reports = [];

    /// <summary>Prepares the experiment; nothing is trained until <see cref="TrainNext"/> or <see cref="Run"/>.</summary>
    public PnnExperiment(IReadOnlyList<PnnTask> tasks, Func<TColumn> createColumn, PnnSettings settings)
    {
        if (tasks.Count == 0)
            throw new ArgumentException("Need at least one task.", nameof(tasks));
        settings.Validate();
        Tasks = tasks;
        Settings = settings;
        _createColumn = createColumn;
        Network = new ProgressiveNetwork<TColumn>(createColumn);
        manual_seed(ColumnSeed(0, 0));
        FineTuned = createColumn();
    }

    /// <summary>The task sequence.</summary>
    public IReadOnlyList<PnnTask> Tasks { get; }

    /// <summary>The settings.</summary>
    public PnnSettings Settings { get; }

    /// <summary>The progressive network.</summary>
    public ProgressiveNetwork<TColumn> Network { get; }

    /// <summary>The fine-tuning baseline: one column trained on every task in turn with one shared head.</summary>
    public TColumn FineTuned { get; }

    /// <summary>Tasks trained so far.</summary>
    public int TasksTrained => _columnsOfTask.Count;

    /// <summary>The column that answers for each trained task (its last).</summary>
    public IReadOnlyList<int> ColumnOfTask => _columnsOfTask.Select(c => c[^1]).ToList();

    /// <summary>The transfer comparison of each trained task.</summary>
    public IReadOnlyList<TransferRow> Transfer => _transfer;

    /// <summary>Columns grown on a plateau (with <see cref="PnnSettings.Grow"/>).</summary>
    public IReadOnlyList<GrowthEvent> Growth => _growth;

    /// <summary>The report after each trained task.</summary>
    public IReadOnlyList<AfterTaskReport> Reports => _reports;

    /// <summary>Training progress: (what, step, steps, loss); may throw (e.g. <see cref="OperationCanceledException"/>) to stop.</summary>
    public Action<string, int, int, double>? Progress { get; set; }

    /// <summary>Called when a training phase ends: (what, its learning curve, seconds).</summary>
    public Action<string, LearningCurve, double>? PhaseCompleted { get; set; }

    /// <summary>Trains every remaining task, calling <paramref name="afterTask"/> after each.</summary>
    public void Run(Action<AfterTaskReport>? afterTask = null)
    {
        while (TasksTrained < Tasks.Count)
        {
            // Not afterTask?.Invoke(TrainNext()): with no callback that would skip the training and spin forever.
            var report = TrainNext();
            afterTask?.Invoke(report);
        }
    }

    /// <summary>Trains the next task on the progressive network and both baselines, then evaluates every task so far.</summary>
    public AfterTaskReport TrainNext()
    {
        var t = TasksTrained;
        if (t >= Tasks.Count)
            throw new InvalidOperationException("Every task has been trained.");
        var task = Tasks[t];

        // The progressive network: a new column (more when growth asks for them), earlier columns frozen.
        var columns = new List<int>();
        manual_seed(ColumnSeed(t, 0));
        Network.AddColumn();
        columns.Add(Network.ColumnCount - 1);
        var trainable = Network.TrainableParameterCount;
        var policy = Settings.Grow ? new PlateauGrowthPolicy(Settings.GrowTarget, Settings.GrowPatience) : null;
        int? stepsToThreshold = null;
        var stepsRun = 0;
        while (true)
        {
            var column = Network.ColumnCount - 1;
            GrowthEvent? grow = null;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var label = columns.Count == 1 ? $"PNN column {column} on {task.Name}" : $"PNN column {column} (grown) on {task.Name}";
            var curve = ClassifierTraining.Train(
                Network, x => Network.Forward(x, column), Network.TrainableParameters(), task, Settings, BatchSeed(t, columns.Count - 1),
                afterEvaluation: (step, accuracy) =>
                {
                    if (policy is null || !policy.ShouldGrow(accuracy) || columns.Count >= Settings.MaxColumnsPerTask)
                        return false;
                    grow = new GrowthEvent(task.Name, column + 1, stepsRun + step, accuracy);
                    return true;
                },
                afterStep: (step, loss) => Progress?.Invoke(label, step, Settings.Steps, loss));
            PhaseCompleted?.Invoke(label, curve, clock.Elapsed.TotalSeconds);
            // Counted across the task's columns: a grown column continues where the previous one stopped.
            if (stepsToThreshold is null && curve.StepsTo(Settings.Threshold) is { } reached)
                stepsToThreshold = stepsRun + reached;
            stepsRun += curve.Steps;
            if (grow is null)
                break;
            _growth.Add(grow);
            manual_seed(ColumnSeed(t, columns.Count));
            Network.AddColumn();
            trainable += Network.TrainableParameterCount;
            columns.Add(Network.ColumnCount - 1);
        }

        _columnsOfTask.Add(columns);

        // Transfer reference: a fresh column from the same initial weights on the same batches.
        manual_seed(ColumnSeed(t, 0));
        using var fresh = _createColumn();
        var freshClock = System.Diagnostics.Stopwatch.StartNew();
        var freshLabel = $"fresh column on {task.Name}";
        var freshCurve = ClassifierTraining.Train(fresh, x => fresh.call(x), fresh.parameters(), task, Settings, BatchSeed(t, 0),
            afterStep: (step, loss) => Progress?.Invoke(freshLabel, step, Settings.Steps, loss));
        PhaseCompleted?.Invoke(freshLabel, freshCurve, freshClock.Elapsed.TotalSeconds);
        using var freshTest = ClassifierTraining.Evaluate(fresh, x => fresh.call(x), task.Test);

        // Fine-tuning baseline: the same column keeps training, task after task.
        var fineClock = System.Diagnostics.Stopwatch.StartNew();
        var fineLabel = $"fine-tuning on {task.Name}";
        var fineCurve = ClassifierTraining.Train(FineTuned, x => FineTuned.call(x), FineTuned.parameters(), task, Settings, BatchSeed(t, 0),
            afterStep: (step, loss) => Progress?.Invoke(fineLabel, step, Settings.Steps, loss));
        PhaseCompleted?.Invoke(fineLabel, fineCurve, fineClock.Elapsed.TotalSeconds);

        // Every task so far, against what was recorded right after it was trained.
        var rows = new List<TaskAccuracyRow>();
        for (var i = 0; i <= t; i++)
        {
            var progressive = EvaluateProgressive(i);
            var fineTuned = ClassifierTraining.Evaluate(FineTuned, x => FineTuned.call(x), Tasks[i].Test);
            if (i == t)
            {
                _progressiveRecorded.Add(progressive);
                _fineTuningRecorded.Add(fineTuned);
            }

            var (pRecorded, fRecorded) = (_progressiveRecorded[i], _fineTuningRecorded[i]);
            rows.Add(new TaskAccuracyRow(
                Tasks[i].Name, i == t,
                pRecorded.Accuracy, progressive.Accuracy, pRecorded.IsIdenticalTo(progressive), pRecorded.MaxAbsoluteDifference(progressive),
                fRecorded.Accuracy, fineTuned.Accuracy, fRecorded.IsIdenticalTo(fineTuned)));
            if (i != t)
            {
                progressive.Dispose();
                fineTuned.Dispose();
            }
        }

        _transfer.Add(new TransferRow(
            task.Name, columns, _progressiveRecorded[t].Accuracy, freshTest.Accuracy,
            stepsToThreshold, freshCurve.StepsTo(Settings.Threshold), stepsRun,
            trainable, fresh.parameters().Sum(p => p.numel()), Network.parameters().Sum(p => p.numel())));
        var report = new AfterTaskReport(t, task.Name, Network.ColumnCount, rows);
        _reports.Add(report);
        return report;
    }

    /// <summary>The progressive network's answers on task <paramref name="task"/>'s test images, from the task's column.</summary>
    public TaskSnapshot EvaluateProgressive(int task)
    {
        var column = _columnsOfTask[task][^1];
        return ClassifierTraining.Evaluate(Network, x => Network.Forward(x, column), Tasks[task].Test);
    }

    /// <summary>The libtorch seed before creating column <paramref name="extra"/> of task <paramref name="task"/>.</summary>
    public long ColumnSeed(int task, int extra) => Derive(Settings.Seed, 1, task * 64 + extra);

    /// <summary>The seed of the batch order of column <paramref name="extra"/> of task <paramref name="task"/>.</summary>
    public int BatchSeed(int task, int extra) => (int)(Derive(Settings.Seed, 2, task * 64 + extra) & int.MaxValue);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var snapshot in _progressiveRecorded.Concat(_fineTuningRecorded))
            snapshot.Dispose();
        FineTuned.Dispose();
        Network.Dispose();
    }

    // SplitMix64 of (seed, stream, index): independent, reproducible seeds.
    private static long Derive(int seed, ulong stream, long index)
    {
        var z = ((ulong)(uint)seed << 20) ^ (stream << 52) ^ (ulong)index;
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return (long)((z ^ (z >> 31)) >> 1);
    }
}
