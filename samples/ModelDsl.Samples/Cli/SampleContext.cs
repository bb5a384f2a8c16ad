using System;
using System.IO;
using System.Threading;
using Spectre.Console;

namespace ModelDsl.Samples.Cli;

/// <summary>
/// Where a running command writes (plain writers and a Spectre console), whether it may animate, and whether the
/// user asked it to stop (Ctrl+C). Set by <see cref="SamplesApp"/> for the duration of one command.
/// </summary>
public sealed class SampleContext
{
    private static readonly AsyncLocal<SampleContext?> CurrentContext = new();
    private int _interrupted;
    private int _trainingActive;

    /// <summary>Creates a context.</summary>
    public SampleContext(TextWriter output, TextWriter error, IAnsiConsole console, bool interactive)
    {
        Out = output;
        Error = error;
        Console = console;
        Interactive = interactive;
    }

    /// <summary>The context of the running command; the process console when none is set.</summary>
    public static SampleContext Current =>
        CurrentContext.Value ?? new SampleContext(System.Console.Out, System.Console.Error, AnsiConsole.Console, interactive: false);

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Error output.</summary>
    public TextWriter Error { get; }

    /// <summary>Tables, progress bars and markup go here.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>True on a terminal: progress is an animated bar, else a line every few steps.</summary>
    public bool Interactive { get; }

    /// <summary>--verbose: stack traces on errors.</summary>
    public bool Verbose { get; set; }

    /// <summary>True while a <see cref="TrainingSession"/> loop runs: Ctrl+C then checkpoints and stops instead of ending the process.</summary>
    public bool TrainingActive
    {
        get => Volatile.Read(ref _trainingActive) != 0;
        set => Volatile.Write(ref _trainingActive, value ? 1 : 0);
    }

    /// <summary>True once Ctrl+C was pressed (or a test cancelled its token).</summary>
    public bool InterruptRequested => Volatile.Read(ref _interrupted) != 0;

    /// <summary>Asks the running training to checkpoint and stop.</summary>
    public void RequestInterrupt() => Interlocked.Exchange(ref _interrupted, 1);

    /// <summary>Makes <paramref name="context"/> <see cref="Current"/> until the result is disposed.</summary>
    public static IDisposable Enter(SampleContext context)
    {
        var previous = CurrentContext.Value;
        CurrentContext.Value = context;
        return new Restore(previous);
    }

    private sealed class Restore(SampleContext? previous) : IDisposable
    {
        public void Dispose() => CurrentContext.Value = previous;
    }
}
