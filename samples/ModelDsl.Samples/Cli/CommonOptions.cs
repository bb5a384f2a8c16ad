using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;

namespace ModelDsl.Samples.Cli;

/// <summary>Which of the shared training options a command takes.</summary>
[Flags]
public enum CommonOption
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary><c>--seed</c>.</summary>
    Seed = 1,

    /// <summary><c>--steps</c>: total optimizer steps (overrides <c>--epochs</c>).</summary>
    Steps = 2,

    /// <summary><c>--epochs</c>.</summary>
    Epochs = 4,

    /// <summary><c>--threads</c>.</summary>
    Threads = 8,

    /// <summary><c>--out</c>.</summary>
    Out = 16,

    /// <summary><c>--resume</c>.</summary>
    Resume = 32,

    /// <summary><c>--checkpoint-every</c>.</summary>
    CheckpointEvery = 64,

    /// <summary><c>--data</c>.</summary>
    Data = 128,

    /// <summary><c>--log-every</c> and the hidden test hook <c>--stop-after</c>.</summary>
    Logging = 256,

    /// <summary>Everything a step-based training command takes (no <c>--epochs</c>).</summary>
    StepTraining = Seed | Steps | Threads | Out | Resume | CheckpointEvery | Data | Logging,

    /// <summary>Everything an epoch-based training command takes (<c>--steps</c> overrides <c>--epochs</c>).</summary>
    EpochTraining = StepTraining | Epochs,
}

/// <summary>
/// The options every sample shares: <c>--seed</c>, <c>--steps</c>, <c>--epochs</c>, <c>--threads</c>, <c>--out</c>,
/// <c>--resume</c>, <c>--checkpoint-every</c>, <c>--data</c>, <c>--log-every</c>. A command creates one instance, adds
/// the options it uses with <see cref="AddTo"/> and reads them back as <see cref="RunSettings"/> with <see cref="Read"/>.
/// </summary>
/// <example>
/// <code>
/// var common = new CommonOptions("seq2seq", defaultSteps: 1500);
/// var command = new Command("seq2seq", "…");
/// common.AddTo(command, CommonOption.StepTraining);
/// command.SetAction(parseResult => { var run = common.Read(parseResult); … });
/// </code>
/// </example>
public sealed class CommonOptions
{
    /// <summary>The default seed.</summary>
    public const int DefaultSeed = 1337;

    /// <summary><c>--verbose</c> (on the root, every command inherits it): stack traces on errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print stack traces of errors",
        Recursive = true,
    };

    private CommonOption _added;

    /// <summary>Creates the options of command <paramref name="commandName"/> (its default output folder is <c>out/&lt;commandName&gt;</c>).</summary>
    /// <param name="commandName">The command, for the default <c>--out</c>.</param>
    /// <param name="defaultSteps">The default of <c>--steps</c>; null means "from <c>--epochs</c>".</param>
    /// <param name="defaultEpochs">The default of <c>--epochs</c>.</param>
    /// <param name="defaultCheckpointEvery">The default of <c>--checkpoint-every</c> (steps).</param>
    /// <param name="dataDescription">What <c>--data</c> points at, for the help text.</param>
    public CommonOptions(string commandName, long? defaultSteps = null, int defaultEpochs = 1, long defaultCheckpointEvery = 200, string dataDescription = "The data set to train on")
    {
        CommandName = commandName;
        Seed = new Option<int>("--seed")
        {
            Description = "Seed of every random draw (weights, data order, dropout, noise); the same seed gives the same losses",
            DefaultValueFactory = _ => DefaultSeed,
        };
        Steps = new Option<long?>("--steps")
        {
            Description = defaultSteps is null ? "Total optimizer steps (overrides --epochs)" : "Total optimizer steps",
            HelpName = "N",
        };
        if (defaultSteps is { } steps)
            Steps.DefaultValueFactory = _ => steps;
        Steps.Validators.Add(Positive<long?>);
        Epochs = new Option<int>("--epochs")
        {
            Description = "Passes over the training data",
            DefaultValueFactory = _ => defaultEpochs,
            HelpName = "N",
        };
        Epochs.Validators.Add(Positive<int>);
        Threads = new Option<int>("--threads")
        {
            Description = "CPU threads for libtorch (torch.set_num_threads)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
            HelpName = "N",
        };
        Threads.Validators.Add(Positive<int>);
        Out = new Option<string>("--out")
        {
            Description = "Folder for checkpoints, images and plots",
            DefaultValueFactory = _ => Path.Combine("out", commandName),
            HelpName = "DIR",
        };
        Resume = new Option<bool>("--resume")
        {
            Description = "Continue from <out>/checkpoint.mdl exactly as an uninterrupted run would",
        };
        CheckpointEvery = new Option<long>("--checkpoint-every")
        {
            Description = "Save <out>/checkpoint.mdl every N steps (and always at the end and on Ctrl+C)",
            DefaultValueFactory = _ => defaultCheckpointEvery,
            HelpName = "N",
        };
        CheckpointEvery.Validators.Add(Positive<long>);
        Data = new Option<string?>("--data")
        {
            Description = dataDescription,
            HelpName = "PATH",
        };
        LogEvery = new Option<long?>("--log-every")
        {
            Description = "Without a terminal, print a progress line every N steps (default: about 20 lines per run)",
            HelpName = "N",
        };
        LogEvery.Validators.Add(Positive<long?>);
        StopAfter = new Option<long?>("--stop-after")
        {
            Description = "Test hook: stop as Ctrl+C would after N steps of this run",
            Hidden = true,
        };
        StopAfter.Validators.Add(Positive<long?>);
        NanAt = new Option<long?>("--nan-at")
        {
            Description = "Test hook: the loss of step N (0-based) comes out NaN, as in a diverging run",
            Hidden = true,
        };
    }

    /// <summary>The command these options belong to.</summary>
    public string CommandName { get; }

    /// <summary><c>--seed</c> (default 1337).</summary>
    public Option<int> Seed { get; }

    /// <summary><c>--steps</c>.</summary>
    public Option<long?> Steps { get; }

    /// <summary><c>--epochs</c>.</summary>
    public Option<int> Epochs { get; }

    /// <summary><c>--threads</c> (default: the processor count).</summary>
    public Option<int> Threads { get; }

    /// <summary><c>--out</c> (default <c>out/&lt;command&gt;</c>).</summary>
    public Option<string> Out { get; }

    /// <summary><c>--resume</c>.</summary>
    public Option<bool> Resume { get; }

    /// <summary><c>--checkpoint-every</c>.</summary>
    public Option<long> CheckpointEvery { get; }

    /// <summary><c>--data</c>.</summary>
    public Option<string?> Data { get; }

    /// <summary><c>--log-every</c>.</summary>
    public Option<long?> LogEvery { get; }

    /// <summary><c>--stop-after</c> (hidden): simulates Ctrl+C after N steps, for resume tests.</summary>
    public Option<long?> StopAfter { get; }

    /// <summary><c>--nan-at</c> (hidden): simulates a diverging loss at step N, for the divergence tests.</summary>
    public Option<long?> NanAt { get; }

    /// <summary>Adds the chosen options to <paramref name="command"/>.</summary>
    public Command AddTo(Command command, CommonOption which)
    {
        _added |= which;
        if (which.HasFlag(CommonOption.Seed)) command.Options.Add(Seed);
        if (which.HasFlag(CommonOption.Steps)) command.Options.Add(Steps);
        if (which.HasFlag(CommonOption.Epochs)) command.Options.Add(Epochs);
        if (which.HasFlag(CommonOption.Threads)) command.Options.Add(Threads);
        if (which.HasFlag(CommonOption.Out)) command.Options.Add(Out);
        if (which.HasFlag(CommonOption.Resume)) command.Options.Add(Resume);
        if (which.HasFlag(CommonOption.CheckpointEvery)) command.Options.Add(CheckpointEvery);
        if (which.HasFlag(CommonOption.Data)) command.Options.Add(Data);
        if (which.HasFlag(CommonOption.Logging))
        {
            command.Options.Add(LogEvery);
            command.Options.Add(StopAfter);
            command.Options.Add(NanAt);
        }
        return command;
    }

    /// <summary>Reads the options (defaults for those not added) and applies <c>--threads</c>.</summary>
    public RunSettings Read(ParseResult parseResult)
    {
        T Get<T>(Option<T> option, CommonOption flag, T fallback) =>
            _added.HasFlag(flag) ? parseResult.GetValue(option)! : fallback;

        var settings = new RunSettings
        {
            CommandName = CommandName,
            Seed = Get(Seed, CommonOption.Seed, DefaultSeed),
            Steps = Get(Steps, CommonOption.Steps, null),
            Epochs = Get(Epochs, CommonOption.Epochs, 1),
            Threads = Get(Threads, CommonOption.Threads, Environment.ProcessorCount),
            OutDir = Get(Out, CommonOption.Out, Path.Combine("out", CommandName)),
            OutIsDefault = !_added.HasFlag(CommonOption.Out) || parseResult.GetResult(Out) is null or { Implicit: true },
            Resume = Get(Resume, CommonOption.Resume, false),
            CheckpointEvery = Get(CheckpointEvery, CommonOption.CheckpointEvery, 200L),
            Data = Get(Data, CommonOption.Data, null),
            LogEvery = Get(LogEvery, CommonOption.Logging, null),
            StopAfter = Get(StopAfter, CommonOption.Logging, null),
            NanAt = Get(NanAt, CommonOption.Logging, null),
            Context = SampleContext.Current,
        };
        settings.ApplyThreads();
        return settings;
    }

    private static void Positive<T>(OptionResult result)
    {
        T value;
        try
        {
            value = result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            return; // not a number: the parser reports that already
        }
        var number = value is null ? 1 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        if (number < 1)
            result.AddError($"{result.Option.Name} must be at least 1 (got {number}).");
    }
}
