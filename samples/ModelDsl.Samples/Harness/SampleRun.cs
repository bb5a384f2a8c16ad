using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Harness;

/// <summary>
/// One invocation of a training command: its output folder, checked before anything is trained (a folder that
/// holds another run is refused without <c>--resume</c> or <c>--overwrite</c>, an unwritable one at once), and with
/// <c>--resume</c> the checkpoint, checked against this invocation (model, options, data) before it is loaded.
/// </summary>
public sealed class SampleRun
{
    private const string CheckpointFile = "checkpoint.mdl";
    private readonly string[] _outputs;
    private readonly List<DataFile> _data = [];
    private bool _started;

    private SampleRun(Host host, string command, string model, RunOptions options, string outDir, string[] outputs, CheckpointInfo? saved, Dictionary<string, string> recorded)
    {
        (Host, Command, Model, Options, OutDir, _outputs, Saved, Recorded) = (host, command, model, options, outDir, outputs, saved, recorded);
        if (torch.get_num_threads() != options.Threads)
            torch.set_num_threads(options.Threads);
    }

    public Host Host { get; }

    /// <summary>The command's name, which is the kind of run a checkpoint records (<c>gpt</c>, <c>gan</c>…).</summary>
    public string Command { get; }

    /// <summary>What the command trains, for messages (<c>GPT</c>, <c>DCGAN</c>…).</summary>
    public string Model { get; }

    public RunOptions Options { get; }
    public int Seed => Options.Seed;
    public string OutDir { get; }
    public string CheckpointPath => OutFile(CheckpointFile);

    /// <summary>The checkpoint being resumed, already checked against this invocation; null for a new run.</summary>
    public CheckpointInfo? Saved { get; }

    /// <summary>The options that define the run, as saved in its checkpoint.</summary>
    public IReadOnlyDictionary<string, string> Recorded { get; }

    public string OutFile(string name) => Path.Combine(OutDir, name);

    public void Log(string message) => Host.WriteLine(message);

    /// <summary>A training command: its options from <typeparamref name="TSettings"/>, then <paramref name="train"/> with a checked run.</summary>
    /// <param name="outputs">The files a run writes besides its checkpoint (patterns allowed): their presence marks a run, and <c>--overwrite</c> deletes them.</param>
    public static Command Create<TSettings>(
        Host host, string name, string model, string description, RunOptions runDefaults, string[] outputs,
        Func<SampleRun, TSettings, int> train, Func<TSettings, string>? defaultOut = null)
        where TSettings : new()
    {
        var options = new OptionSet().Add(new TSettings()).Add(runDefaults);
        var command = new Command(name, description);
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var first = options.Read<RunOptions>(parse);
            var outDir = first.Out ?? defaultOut?.Invoke(options.Read<TSettings>(parse)) ?? Path.Combine("out", name);
            var created = !Directory.Exists(outDir);
            var saved = Open(name, model, outDir, first, outputs);
            var savedOptions = SavedOptions(saved);
            var conflicts = new List<(string Name, string Saved, string Given)>();
            var runOptions = options.Read<RunOptions>(parse, savedOptions, conflicts);
            var settings = options.Read<TSettings>(parse, savedOptions, conflicts);
            if (conflicts.Count > 0)
            {
                string Flags(Func<(string Name, string Saved, string Given), string> value) => string.Join(" ", conflicts.Select(c => $"{c.Name} {value(c)}"));
                throw new UsageException(
                    $"--resume: {Path.Combine(outDir, CheckpointFile)} was trained with {Flags(c => c.Saved)}, not {Flags(c => c.Given)}. " +
                    "Leave those options out to continue it as it was, or start a new run in another --out.");
            }
            try
            {
                return train(new SampleRun(host, name, model, runOptions, outDir, outputs, saved, options.Recorded), settings);
            }
            finally
            {
                // A run refused or failed before writing anything leaves no empty folder behind.
                if (created && Directory.Exists(outDir) && !Directory.EnumerateFileSystemEntries(outDir).Any())
                    Directory.Delete(outDir);
            }
        });
        return command;
    }

    /// <summary>
    /// A run started by another command (the classifier <c>gan</c> trains for its metrics) with <paramref name="defaults"/>;
    /// when its folder holds an interrupted run, that run is resumed with its own options.
    /// </summary>
    public static (SampleRun Run, TSettings Settings) Nested<TSettings>(Host host, string command, string model, string outDir, string[] outputs, RunOptions runOptions, TSettings defaults)
        where TSettings : new()
    {
        runOptions = runOptions with { Resume = File.Exists(Path.Combine(outDir, CheckpointFile)), Overwrite = false };
        var saved = Open(command, model, outDir, runOptions, outputs);
        var options = new OptionSet().Add(runOptions).Add(defaults!);
        var savedOptions = SavedOptions(saved);
        var settings = options.Read<TSettings>(null, savedOptions);
        return (new SampleRun(host, command, model, options.Read<RunOptions>(null, savedOptions), outDir, outputs, saved, options.Recorded), settings);
    }

    private static Dictionary<string, string>? SavedOptions(CheckpointInfo? saved) =>
        saved is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(saved.Metadata.Properties.GetValueOrDefault("options") ?? "{}");

    // Checks --out (and with --resume the checkpoint's kind) before anything is loaded or trained.
    private static CheckpointInfo? Open(string command, string model, string outDir, RunOptions options, string[] outputs)
    {
        if (File.Exists(outDir))
            throw new UsageException($"--out: '{outDir}' is a file; give a folder (it is created if missing).");
        if (options.Resume && options.Overwrite)
            throw new UsageException("--resume continues the run in --out and --overwrite replaces it: give one of them.");

        var checkpoint = Path.Combine(outDir, CheckpointFile);
        CheckpointInfo? saved = null;
        if (options.Resume)
        {
            if (!File.Exists(checkpoint))
                throw new UsageException($"--resume: '{outDir}' has no {CheckpointFile} to continue. Run without --resume to start there.");
            saved = Checkpoint.ReadInfo(checkpoint);
            var kind = saved.Metadata.Properties.GetValueOrDefault("kind");
            if (kind is null)
                throw new UsageException($"--resume: {checkpoint} does not say what it holds (an earlier version of the samples wrote it); start a new run with --overwrite or another --out.");
            if (kind != command)
            {
                var other = saved.Metadata.Properties.GetValueOrDefault("model") ?? kind;
                throw new UsageException($"--resume: {checkpoint} holds a {other} run (`{kind}`), not a {model} one. Continue it with `{kind} --resume --out {outDir}`, or give `{command}` another --out.");
            }
        }
        else if (!options.Overwrite && RunFiles(outDir, outputs) is { Count: > 0 } existing)
        {
            var what = File.Exists(checkpoint) && TryReadInfo(checkpoint) is { } info
                ? $"a {info.Metadata.Properties.GetValueOrDefault("model") ?? "training"} run at step {info.Metadata.Step:N0}"
                : "a run";
            throw new UsageException(
                $"--out: '{outDir}' already holds {what} ({string.Join(", ", existing.Take(4).Select(Path.GetFileName))}{(existing.Count > 4 ? ", …" : "")}). " +
                "Add --resume to continue it, --overwrite to replace it, or give another --out.");
        }

        try
        {
            // A file written and deleted now, rather than a checkpoint that fails after the first steps.
            Directory.CreateDirectory(outDir);
            using var probe = new FileStream(Path.Combine(outDir, $".write-test-{Environment.ProcessId}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out: cannot write in '{outDir}': {e.Message}");
        }
        return saved;
    }

    private static List<string> RunFiles(string outDir, string[] outputs)
    {
        try
        {
            return !Directory.Exists(outDir) ? [] : outputs.Append(CheckpointFile).SelectMany(pattern => Directory.EnumerateFiles(outDir, pattern)).Distinct().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out: cannot read '{outDir}': {e.Message}");
        }
    }

    private static CheckpointInfo? TryReadInfo(string path)
    {
        try
        {
            return Checkpoint.ReadInfo(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Records the data files the run trains on (name and SHA-256, saved in the checkpoint); on <c>--resume</c>,
    /// refuses files other than the checkpoint's.
    /// </summary>
    public void UseData(params string[] paths)
    {
        foreach (var path in paths)
        {
            using var stream = File.OpenRead(path);
            _data.Add(new DataFile(Path.GetFileName(path), Path.GetFullPath(path), Convert.ToHexStringLower(SHA256.HashData(stream))));
        }
        if (Saved?.Metadata.Properties.GetValueOrDefault("data") is not { } json)
            return;
        var then = JsonSerializer.Deserialize<List<DataFile>>(json) ?? [];
        var changed = then.Zip(_data).FirstOrDefault(p => p.First.Sha256 != p.Second.Sha256);
        if (changed != default || then.Count != _data.Count)
        {
            var (was, now) = changed != default ? changed : (then.FirstOrDefault() ?? new("(none)", "", ""), _data.FirstOrDefault() ?? new("(none)", "", ""));
            var how = was.Name == now.Name ? $"{now.Name} has changed since" : $"this run reads {now.Name}";
            throw new UsageException(
                $"--resume: {CheckpointPath} was trained on {was.Name} (SHA-256 {was.Sha256[..Math.Min(12, was.Sha256.Length)]}…, {was.Path}), but {how} (SHA-256 {now.Sha256[..Math.Min(12, now.Sha256.Length)]}…). " +
                "Give the original data to continue it.");
        }
    }

    /// <summary>Folders of data: every file whose name starts with one of <paramref name="prefixes"/>, in name order.</summary>
    public void UseDataIn(string folder, params string[] prefixes) =>
        UseData(Directory.EnumerateFiles(folder).Where(f => prefixes.Any(Path.GetFileName(f).StartsWith)).Order(StringComparer.Ordinal).ToArray());

    /// <summary>The training loop's state: <paramref name="model"/> and <paramref name="optimizer"/> are loaded from the checkpoint when resuming.</summary>
    /// <param name="total">Steps of the whole run.</param>
    /// <param name="examplesPerStep">Examples per step, for the throughput shown (0: none).</param>
    /// <param name="unit">What an example is ("img", "tok"…).</param>
    public TrainingLoop Train(nn.Module model, OptimizerHelper? optimizer, long total, long examplesPerStep = 0, string unit = "") =>
        new(this, model, optimizer, total, examplesPerStep, unit);

    // The checkpoint properties that say what the run is.
    internal Dictionary<string, string> Identity() => new(StringComparer.Ordinal)
    {
        ["kind"] = Command,
        ["model"] = Model,
        ["options"] = JsonSerializer.Serialize(Recorded),
        ["data"] = JsonSerializer.Serialize(_data),
    };

    // Called as training starts: an --overwrite run deletes the old run's files only now that it is under way.
    internal void Started()
    {
        if (_started)
            return;
        _started = true;
        if (Options.Overwrite)
        {
            foreach (var file in RunFiles(OutDir, _outputs))
                File.Delete(file);
        }
    }

    private sealed record DataFile(string Name, string Path, string Sha256);
}
