namespace ModelDsl.Samples.Harness;

/// <summary>The options every training command takes; a command gives its own defaults (checkpoint cadence…).</summary>
public sealed record RunOptions
{
    public const int DefaultSeed = 1337;

    /// <summary>Training steps can be at most this many: beyond it a run would not end in a lifetime anyway.</summary>
    public const double MaxSteps = 1e9;

    [Option("--seed", "Seed of every random draw (weights, data order, dropout, noise); the same seed gives the same losses", Min = int.MinValue)]
    public int Seed { get; init; } = DefaultSeed;

    [Option("--out", "Folder for the checkpoint, weights, plots and samples (default out/<command>)", HelpName = "DIR", NotRecorded = true)]
    public string? Out { get; init; }

    [Option("--resume", "Continue the run in --out from its checkpoint; options not given are read from it", NotRecorded = true)]
    public bool Resume { get; init; }

    [Option("--overwrite", "Replace the run already in --out (its checkpoint and outputs) with a new one", NotRecorded = true)]
    public bool Overwrite { get; init; }

    [Option("--threads", "CPU threads for libtorch (torch.set_num_threads; default: the processor count)", Min = 1, Max = 1024, NotRecorded = true)]
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>"1 thread" or "N threads", for the run's log.</summary>
    public string ThreadsText => Threads == 1 ? "1 thread" : $"{Threads} threads";

    [Option("--checkpoint-every", "Save <out>/checkpoint.mdl every N steps (and always at the end and on SIGINT or SIGTERM)", Min = 1, Max = MaxSteps, NotRecorded = true)]
    public long CheckpointEvery { get; init; } = 200;

    [Option("--log-every", "Without a terminal, print a progress line every N steps (default: about 20 lines a run)", Min = 1, Max = MaxSteps, NotRecorded = true)]
    public long? LogEvery { get; init; }

    [Option("--stop-after", "Test hook: stop as SIGINT would after N steps of this invocation", Min = 0, Max = MaxSteps, Hidden = true, NotRecorded = true)]
    public long? StopAfter { get; init; }

    [Option("--nan-at", "Test hook: the loss of step N (0-based) comes out NaN, as in a diverging run", Min = 0, Max = MaxSteps, Hidden = true, NotRecorded = true)]
    public long? NanAt { get; init; }
}
