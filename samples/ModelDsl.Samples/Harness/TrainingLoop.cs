using System.Diagnostics;
using System.Globalization;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Harness;

/// <summary>
/// What every training loop shares, so that a sample's loop is just its steps:
/// <code>
/// var training = run.Train(model, optimizer, totalSteps);
/// foreach (var step in training.Steps())
/// {
///     … forward, backward, optimizer.step() …
///     training.Record("loss", loss);
/// }
/// if (training.Stopped) return training.ExitCode;
/// </code>
/// <see cref="Steps"/> starts where the checkpoint left off, shows progress, saves an atomic checkpoint every
/// <c>--checkpoint-every</c> steps and at the end, and on SIGINT or SIGTERM saves one and ends the loop.
/// <see cref="Record(string, Tensor)"/> stops a run whose loss is NaN or infinite; the last checkpoint stays as it was.
/// </summary>
/// <remarks>
/// A resumed run continues exactly as an uninterrupted one when every random draw of a step comes from libtorch's
/// generator (restored from the checkpoint) or from the seed and the step (<see cref="StepSeeds"/>), and nothing
/// draws from libtorch's generator between creating the <see cref="TrainingLoop"/> and the first step.
/// </remarks>
public sealed class TrainingLoop
{
    private readonly SampleRun _run;
    private readonly nn.Module _model;
    private readonly Stopwatch _clock = new();
    private readonly long _firstStep;
    private readonly List<(string Name, double Value)> _current = [];
    private string? _primary;
    private long _lastSaved = -1;
    private long _lastStatus;
    private bool _endPhase;

    internal TrainingLoop(SampleRun run, nn.Module model, OptimizerHelper? optimizer, long total, long examplesPerStep, string unit)
    {
        (_run, _model, Optimizer, Total, ExamplesPerStep, Unit) = (run, model, optimizer, total, examplesPerStep, unit);
        if (run.Saved is { } saved)
        {
            Checkpoint.Load(run.CheckpointPath, model, optimizer, restoreRngState: true);
            Step = _lastSaved = saved.Metadata.Step;
            Losses = LossLog.FromJson(saved.Metadata.Properties.GetValueOrDefault("losses") ?? "{}");
            _primary = saved.Metadata.Properties.GetValueOrDefault("primaryLoss");
            run.Host.LastCheckpoint = (run.CheckpointPath, Step);
            run.Log(Step >= Total
                ? $"Resumed {run.CheckpointPath} at step {Step:N0}: the run's {Total:N0} steps are done."
                : $"Resumed {run.CheckpointPath} at step {Step:N0} of {Total:N0}.");
        }
        _firstStep = Step;
    }

    /// <summary>Steps done: the index of the next step.</summary>
    public long Step { get; private set; }

    /// <summary>Steps of the whole run (a command may raise it as it goes).</summary>
    public long Total { get; set; }

    public long ExamplesPerStep { get; }
    public string Unit { get; }

    /// <summary>Saved with the model; a command that trains several models in turn switches it.</summary>
    public OptimizerHelper? Optimizer { get; set; }

    /// <summary>Every curve recorded, from the run's first step (restored on resume).</summary>
    public LossLog Losses { get; } = new();

    /// <summary>The command's own state, saved in the checkpoint's properties (read back from <see cref="SampleRun.Saved"/>).</summary>
    public Dictionary<string, string> State { get; } = new(StringComparer.Ordinal);

    /// <summary>Called before each checkpoint is written: a command brings <see cref="State"/> up to date.</summary>
    public Action? BeforeSave { get; set; }

    /// <summary>True when a signal (or <c>--stop-after</c>) ended the loop early; the checkpoint is saved.</summary>
    public bool Stopped => ExitCode != ExitCodes.Success;

    public int ExitCode { get; private set; }
    public long StepsThisRun => Step - _firstStep;
    public double Seconds => _clock.Elapsed.TotalSeconds;

    /// <summary>The steps left, up to <paramref name="until"/> (default: <see cref="Total"/>); see the class summary.</summary>
    public IEnumerable<long> Steps(long? until = null)
    {
        var end = until ?? Total;
        var logEvery = _run.Options.LogEvery ?? Math.Max(1, (Total - _firstStep) / 20);
        _run.Started();
        _clock.Start();
        _run.Host.Training = true;
        try
        {
            while (Step < end && !_endPhase)
            {
                if (_run.Host.StopSignal != 0 || _run.Options.StopAfter <= Step - _firstStep)
                {
                    Save();
                    ExitCode = ExitCodes.Signal(_run.Host.StopSignal == 0 ? 2 : _run.Host.StopSignal);
                    _run.Log($"Stopped at step {Step:N0} of {Total:N0}; checkpoint saved to {_run.CheckpointPath}. Continue with --resume --out {_run.OutDir}.");
                    yield break;
                }
                _current.Clear();
                yield return Step;
                Step++;
                if (Step % _run.Options.CheckpointEvery == 0 && Step < Total)
                    Save();
                if (_run.Host.Interactive ? Environment.TickCount64 - _lastStatus > 100 || Step == Total : Step % logEvery == 0 || Step == _firstStep + 1 || Step == Total)
                {
                    _lastStatus = Environment.TickCount64;
                    if (_run.Host.Interactive)
                        _run.Host.Status(Progress(compact: true));
                    else
                        _run.Log(Progress(compact: false));
                }
            }
            _endPhase = false;
        }
        finally
        {
            _run.Host.Training = false;
            _clock.Stop();
        }
        if (Step >= Total && _lastSaved != Step)
        {
            Save();
            _run.Log(Invariant($"{_run.Command}: {StepsThisRun:N0} steps in {Duration(Seconds)} ({StepsThisRun / Math.Max(Seconds, 1e-9):0.00} steps/s); checkpoint {_run.CheckpointPath}"));
        }
    }

    /// <summary>Ends the current <see cref="Steps"/> loop after this step (a command moving on to its next phase).</summary>
    public void EndLoopAfterThisStep() => _endPhase = true;

    /// <summary>Records this step's value of a loss curve (shown in the progress, saved, plotted).</summary>
    /// <exception cref="NonFiniteLossException">The loss is NaN or infinite.</exception>
    public double Record(string curve, Tensor loss) => Record(curve, loss.ToDouble());

    /// <inheritdoc cref="Record(string, Tensor)"/>
    public double Record(string curve, double value)
    {
        if (_run.Options.NanAt == Step)
            value = double.NaN;
        LossGuard.Check(value, Step);
        _current.Add((curve, value));
        _primary ??= curve;
        Losses.Add(curve, Step + 1, value);
        return value;
    }

    /// <summary>Saves the checkpoint now (atomically: a crash while writing leaves the previous one).</summary>
    public void Save()
    {
        BeforeSave?.Invoke();
        var properties = _run.Identity();
        foreach (var (key, value) in State)
            properties[key] = value;
        properties["losses"] = Losses.ToJson();
        if (_primary is not null)
            properties["primaryLoss"] = _primary;
        // The loss history of the checkpoint's metadata: the first curve a step records.
        var primary = _primary is null ? [] : Losses[_primary].Select(p => p.Value).ToList();
        Checkpoint.Save(_run.CheckpointPath, _model, new CheckpointMetadata { Step = Step, Seed = _run.Seed, LossHistory = primary, Properties = properties }, Optimizer);
        _lastSaved = Step;
        _run.Host.LastCheckpoint = (_run.CheckpointPath, Step);
    }

    private string Progress(bool compact)
    {
        var rate = StepsThisRun / Math.Max(Seconds, 1e-9);
        var text = Invariant($"{_run.Command} {(compact ? "" : "step ")}{Step:N0}/{Total:N0} ({100.0 * Step / Math.Max(1, Total):0}%)");
        foreach (var (name, value) in _current)
            text += Invariant($"  {name} {value:0.0000}");
        text += Invariant($"  {rate:0.00} steps/s");
        if (ExamplesPerStep > 0 && !compact)
            text += Invariant($"  {rate * ExamplesPerStep:N0} {Unit}/s");
        return Step < Total ? text + $"  eta {Duration((Total - Step) / rate)}" : text;
    }

    /// <summary>Seconds as <c>1h02m03s</c>, <c>2m03s</c> or <c>4.2s</c>.</summary>
    public static string Duration(double seconds) =>
        !double.IsFinite(seconds) || seconds > 8.64e8 ? "?"
        : seconds >= 3600 ? Invariant($"{(long)seconds / 3600}h{(long)seconds / 60 % 60:00}m{(long)seconds % 60:00}s")
        : seconds >= 60 ? Invariant($"{(long)seconds / 60}m{(long)seconds % 60:00}s")
        : Invariant($"{seconds:0.0}s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
