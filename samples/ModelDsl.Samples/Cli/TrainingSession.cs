using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using ModelDsl.Training;
using Spectre.Console;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Cli;

/// <summary>How a training loop ended.</summary>
public enum TrainingOutcome
{
    /// <summary>All steps ran; a final checkpoint is saved.</summary>
    Completed,

    /// <summary>Ctrl+C (or <c>--stop-after</c>): a checkpoint is saved; <c>--resume</c> continues.</summary>
    Interrupted,

    /// <summary>A loss was NaN or infinite; the last good checkpoint is kept.</summary>
    Diverged,
}

/// <summary>
/// The training loop every sample shares: progress (an animated Spectre.Console bar on a terminal, a line every
/// <c>--log-every</c> steps otherwise) with step/total, losses and throughput; an atomic checkpoint
/// (<see cref="Checkpoint"/>) every <c>--checkpoint-every</c> steps, at the end and on Ctrl+C; <c>--resume</c>
/// (model, optimizer, step, libtorch's RNG, loss curves and properties); and a clean stop on a non-finite loss.
/// </summary>
/// <remarks>
/// A resumed run continues exactly as an uninterrupted one only if every random draw of a step is either made from
/// libtorch's global generator (saved in the checkpoint) or derived from (seed, step) — e.g. with
/// <see cref="StepSeeds"/> — and nothing outside the steps draws from the global generator after <see cref="Resume"/>.
/// </remarks>
public sealed class TrainingSession
{
    /// <summary>The checkpoint property that holds the seed the run started with.</summary>
    private const string SeedKey = "seed";

    /// <summary>The checkpoint property that names the primary loss curve.</summary>
    private const string PrimaryKey = "primaryLoss";

    private readonly RunSettings _run;
    private readonly nn.Module _model;
    private readonly OptimizerHelper? _optimizer;
    private readonly Dictionary<string, string> _properties = new(StringComparer.Ordinal);
    private long? _lastCheckpointStep;

    /// <summary>Prepares a run of <paramref name="totalSteps"/> optimizer steps of <paramref name="model"/>.</summary>
    /// <param name="run">The shared options.</param>
    /// <param name="model">Saved and restored by state-dict name; wrap several models in one module to save them together.</param>
    /// <param name="optimizer">Its state is saved with the model.</param>
    /// <param name="totalSteps">Steps of the whole run (not of this invocation).</param>
    /// <param name="samplesPerStep">Examples (images, sequences, tokens…) per step, for the throughput.</param>
    /// <param name="sampleUnit">What <paramref name="samplesPerStep"/> counts, e.g. "img" or "tok".</param>
    public TrainingSession(RunSettings run, nn.Module model, OptimizerHelper? optimizer, long totalSteps, long samplesPerStep = 0, string sampleUnit = "samples")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalSteps);
        _run = run;
        _model = model;
        _optimizer = optimizer;
        TotalSteps = totalSteps;
        SamplesPerStep = samplesPerStep;
        SampleUnit = sampleUnit;
    }

    /// <summary>Optimizer steps done so far (restored by <see cref="Resume"/>).</summary>
    public long Step { get; private set; }

    /// <summary>Steps of the whole run.</summary>
    public long TotalSteps { get; }

    /// <summary>Examples per step.</summary>
    public long SamplesPerStep { get; }

    /// <summary>What an example is.</summary>
    public string SampleUnit { get; }

    /// <summary>The loss curves; <see cref="Run"/> adds each step's losses, commands may add more (e.g. validation).</summary>
    public LossLog Losses { get; private set; } = new();

    /// <summary>The curve saved as the checkpoint's <see cref="CheckpointMetadata.LossHistory"/>: the first loss a step returns.</summary>
    public string? PrimaryLoss { get; private set; }

    /// <summary>Free-form properties saved in the checkpoint (configuration, vocabulary…).</summary>
    public IDictionary<string, string> Properties => _properties;

    /// <summary>The checkpoint this run resumed from, or null.</summary>
    public CheckpointInfo? ResumedFrom { get; private set; }

    /// <summary>Seconds spent in <see cref="Run"/>'s steps in this invocation.</summary>
    public double ElapsedSeconds { get; private set; }

    /// <summary>Steps done in this invocation.</summary>
    public long StepsThisRun { get; private set; }

    /// <summary>The checkpoint file.</summary>
    public string CheckpointPath => _run.CheckpointPath;

    /// <summary>
    /// With <c>--resume</c>, loads <c>&lt;out&gt;/checkpoint.mdl</c> into the model and optimizer and restores the
    /// step, RNG state, loss curves and properties; call it after creating the model and optimizer and just before
    /// <see cref="Run"/>. Without <c>--resume</c> does nothing. Returns whether it resumed.
    /// </summary>
    /// <param name="mustMatch">Properties that must have the same value in the checkpoint (e.g. the model's configuration).</param>
    /// <exception cref="FileNotFoundException">--resume without a checkpoint.</exception>
    /// <exception cref="UsageException">The checkpoint is from another seed or configuration.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint is of another architecture.</exception>
    public bool Resume(params string[] mustMatch)
    {
        if (!_run.Resume)
            return false;
        var path = CheckpointPath;
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"--resume: there is no checkpoint at '{path}' to continue from. Run without --resume to start, or pass the --out of the run to continue.", path);

        // Check seed and configuration before anything is loaded.
        var info = Checkpoint.ReadInfo(path);
        var saved = info.Metadata.Properties;
        if (saved.TryGetValue(SeedKey, out var savedSeed) && savedSeed != _run.Seed.ToString(CultureInfo.InvariantCulture))
            throw new UsageException($"--resume: the checkpoint '{path}' was trained with --seed {savedSeed}, not {_run.Seed}; pass --seed {savedSeed} to continue it.");
        foreach (var key in mustMatch)
        {
            saved.TryGetValue(key, out var was);
            _properties.TryGetValue(key, out var now);
            if (!string.Equals(was, now, StringComparison.Ordinal))
                throw new UsageException($"--resume: the checkpoint '{path}' has {key} '{was ?? "(none)"}' but this run has '{now ?? "(none)"}'; use the same options to continue it.");
        }

        info = Checkpoint.Load(path, _model, _optimizer, restoreRngState: true);
        ResumedFrom = info;
        Step = info.Metadata.Step;
        _lastCheckpointStep = Step;
        foreach (var (key, value) in info.Metadata.Properties)
        {
            if (!mustMatch.Contains(key) || !_properties.ContainsKey(key))
                _properties[key] = value;
        }
        Losses = info.Metadata.Properties.TryGetValue(LossLog.PropertyKey, out var json) ? LossLog.FromJson(json) : new LossLog();
        PrimaryLoss = info.Metadata.Properties.TryGetValue(PrimaryKey, out var primary) ? primary : null;
        Log(Step >= TotalSteps
            ? $"Resumed from {path}: step {Step:N0} of {TotalSteps:N0}, nothing left to train."
            : $"Resumed from {path} at step {Step:N0} of {TotalSteps:N0}.");
        return true;
    }

    /// <summary>Writes <paramref name="message"/> (plain text), above the progress bar when one is shown.</summary>
    public void Log(string message) => _run.Context.Console.WriteLine(message);

    /// <summary>Saves the checkpoint now (atomically).</summary>
    public void SaveCheckpoint()
    {
        var properties = new Dictionary<string, string>(_properties, StringComparer.Ordinal)
        {
            [SeedKey] = _run.Seed.ToString(CultureInfo.InvariantCulture),
            [LossLog.PropertyKey] = Losses.ToJson(),
        };
        if (PrimaryLoss is not null)
            properties[PrimaryKey] = PrimaryLoss;
        var primary = PrimaryLoss is { } name ? Losses[name].Select(p => p.Value).ToList() : [];
        var metadata = new CheckpointMetadata { Step = Step, Seed = _run.Seed, LossHistory = primary, Properties = properties };
        Checkpoint.Save(CheckpointPath, _model, metadata, _optimizer);
        _lastCheckpointStep = Step;
    }

    /// <summary>
    /// Runs the remaining steps. <paramref name="trainStep"/> gets the 0-based step index, trains one step and returns
    /// its losses by name (the first is the one shown and saved as the loss history); it may record more curves in
    /// <see cref="Losses"/> and print with <see cref="Log"/>. A <see cref="NonFiniteLossException"/> (e.g. from
    /// <see cref="LossGuard"/>) stops the run and keeps the last good checkpoint.
    /// </summary>
    public TrainingOutcome Run(Func<long, IReadOnlyList<(string Name, double Value)>> trainStep, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(trainStep);
        title ??= _run.CommandName;
        Directory.CreateDirectory(_run.OutDir);
        if (Step >= TotalSteps)
        {
            if (_lastCheckpointStep != Step)
                SaveCheckpoint();
            return TrainingOutcome.Completed;
        }

        var loop = new Loop(this, trainStep, title);
        if (_run.Context.Interactive)
        {
            return _run.Context.Console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    var task = progress.AddTask(Markup.Escape(title), maxValue: TotalSteps);
                    task.Value = Step;
                    return loop.Execute(() =>
                    {
                        task.Value = Step;
                        task.Description = Markup.Escape(loop.CompactStatus(title));
                    });
                });
        }
        return loop.Execute(null);
    }

    /// <summary>The exit code for <paramref name="outcome"/>.</summary>
    public static int ExitCode(TrainingOutcome outcome) => outcome switch
    {
        TrainingOutcome.Completed => ExitCodes.Success,
        TrainingOutcome.Interrupted => ExitCodes.Interrupted,
        _ => ExitCodes.Failure,
    };

    private sealed class Loop(TrainingSession session, Func<long, IReadOnlyList<(string Name, double Value)>> trainStep, string title)
    {
        private readonly Stopwatch _clock = new();
        private readonly long _startStep = session.Step;
        private IReadOnlyList<(string Name, double Value)> _last = [];

        public TrainingOutcome Execute(Action? onProgress)
        {
            var run = session._run;
            var logEvery = run.LogEvery ?? Math.Max(1, (session.TotalSteps - _startStep) / 20);
            _clock.Start();
            run.Context.TrainingActive = true;
            try
            {
                while (session.Step < session.TotalSteps)
                {
                    if (run.Context.InterruptRequested || (run.StopAfter is { } stop && session.Step - _startStep >= stop))
                        return Interrupt();

                    IReadOnlyList<(string Name, double Value)> losses;
                    try
                    {
                        losses = run.NanAt == session.Step
                            ? [("loss", double.NaN)]
                            : trainStep(session.Step);
                        foreach (var (_, value) in losses)
                            LossGuard.Check(value, session.Step);
                    }
                    catch (NonFiniteLossException e)
                    {
                        return Diverge(e);
                    }

                    session.Step++;
                    session.StepsThisRun++;
                    _last = losses;
                    if (losses.Count > 0)
                        session.PrimaryLoss ??= losses[0].Name;
                    foreach (var (name, value) in losses)
                        session.Losses.Add(name, session.Step, value);

                    if (session.Step % run.CheckpointEvery == 0 && session.Step < session.TotalSteps)
                        session.SaveCheckpoint();

                    onProgress?.Invoke();
                    if (onProgress is null && (session.Step % logEvery == 0 || session.Step == _startStep + 1 || session.Step == session.TotalSteps))
                        session.Log(StatusLine(title));
                }
            }
            finally
            {
                run.Context.TrainingActive = false;
                _clock.Stop();
                session.ElapsedSeconds += _clock.Elapsed.TotalSeconds;
            }

            session.SaveCheckpoint();
            session.Log(string.Create(CultureInfo.InvariantCulture,
                $"{title}: {session.StepsThisRun:N0} steps in {FormatDuration(_clock.Elapsed.TotalSeconds)} ({Rate():0.00} steps/s); checkpoint {session.CheckpointPath}"));
            return TrainingOutcome.Completed;
        }

        // The live bar's description: short enough to leave the bar, percentage and times room on 80 columns.
        public string CompactStatus(string name)
        {
            var s = session;
            var text = new System.Text.StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{name} {s.Step:N0}/{s.TotalSteps:N0}");
            foreach (var (lossName, value) in _last)
                text.Append(CultureInfo.InvariantCulture, $" {lossName} {value:0.000}");
            var rate = Rate();
            if (rate > 0)
                text.Append(' ').Append(rate.ToString(rate >= 10 ? "0" : "0.0", CultureInfo.InvariantCulture)).Append(" it/s");
            return text.ToString();
        }

        public string StatusLine(string name)
        {
            var s = session;
            var text = new System.Text.StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{name} step {s.Step:N0}/{s.TotalSteps:N0}");
            text.Append(CultureInfo.InvariantCulture, $" ({100.0 * s.Step / Math.Max(1, s.TotalSteps):0}%)");
            foreach (var (lossName, value) in _last)
                text.Append(CultureInfo.InvariantCulture, $"  {lossName} {value:0.0000}");
            var rate = Rate();
            if (rate > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {rate:0.00} steps/s");
                if (s.SamplesPerStep > 0)
                    text.Append(CultureInfo.InvariantCulture, $"  {rate * s.SamplesPerStep:N0} {s.SampleUnit}/s");
                if (s.Step < s.TotalSteps)
                    text.Append($"  eta {FormatDuration((s.TotalSteps - s.Step) / rate)}");
            }
            return text.ToString();
        }

        private double Rate()
        {
            var seconds = _clock.Elapsed.TotalSeconds;
            var steps = session.Step - _startStep;
            return seconds > 0 && steps > 0 ? steps / seconds : 0;
        }

        private TrainingOutcome Interrupt()
        {
            session.SaveCheckpoint();
            session.Log($"Interrupted at step {session.Step:N0} of {session.TotalSteps:N0}; checkpoint saved to {session.CheckpointPath}. Continue with the same options plus --resume.");
            return TrainingOutcome.Interrupted;
        }

        private TrainingOutcome Diverge(NonFiniteLossException e)
        {
            var kept = session._lastCheckpointStep is { } step && File.Exists(session.CheckpointPath)
                ? $"The last good checkpoint is {session.CheckpointPath} (step {step:N0}); it was left as it was."
                : "No checkpoint had been written yet.";
            session._run.Context.Error.WriteLine($"error: {e.Message} {kept}");
            return TrainingOutcome.Diverged;
        }
    }

    /// <summary>Seconds as <c>1h02m03s</c>, <c>2m03s</c> or <c>4.2s</c>.</summary>
    public static string FormatDuration(double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds))
            return "?";
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m{span.Seconds:00}s"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m{span.Seconds:00}s"
            : string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0}s");
    }
}
