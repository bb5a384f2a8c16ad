using System.IO;
using TorchSharp;

namespace ModelDsl.Samples.Cli;

/// <summary>The shared options of one run, as read by <see cref="CommonOptions.Read"/>.</summary>
public sealed record RunSettings
{
    /// <summary>The command's name (for messages).</summary>
    public required string CommandName { get; init; }

    /// <summary><c>--seed</c>.</summary>
    public int Seed { get; init; } = CommonOptions.DefaultSeed;

    /// <summary><c>--steps</c>, when given (or the command's default): total optimizer steps.</summary>
    public long? Steps { get; init; }

    /// <summary><c>--epochs</c>.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary><c>--threads</c>.</summary>
    public int Threads { get; init; } = 1;

    /// <summary><c>--out</c>.</summary>
    public required string OutDir { get; init; }

    /// <summary>True when <c>--out</c> was not given (a command may then pick a folder per data set).</summary>
    public bool OutIsDefault { get; init; } = true;

    /// <summary><c>--resume</c>.</summary>
    public bool Resume { get; init; }

    /// <summary><c>--checkpoint-every</c> (steps).</summary>
    public long CheckpointEvery { get; init; } = 200;

    /// <summary><c>--data</c>, when given.</summary>
    public string? Data { get; init; }

    /// <summary><c>--log-every</c>, when given.</summary>
    public long? LogEvery { get; init; }

    /// <summary><c>--stop-after</c> (test hook), when given.</summary>
    public long? StopAfter { get; init; }

    /// <summary><c>--nan-at</c> (test hook), when given.</summary>
    public long? NanAt { get; init; }

    /// <summary>Where the command writes.</summary>
    public required SampleContext Context { get; init; }

    /// <summary>The training checkpoint: <c>&lt;out&gt;/checkpoint.mdl</c>.</summary>
    public string CheckpointPath => Path.Combine(OutDir, "checkpoint.mdl");

    /// <summary>A file in the output folder.</summary>
    public string OutFile(string name) => Path.Combine(OutDir, name);

    /// <summary>Sets libtorch's intra-op thread count to <see cref="Threads"/>.</summary>
    public void ApplyThreads()
    {
        if (torch.get_num_threads() != Threads)
            torch.set_num_threads(Threads);
    }
}
