using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;
using ModelDsl.Samples.Harness;
using ModelDsl.Training;
using Spectre.Console;

namespace ModelDsl.Samples;

/// <summary>
/// <c>dotnet run --project samples/ModelDsl.Samples -- &lt;command&gt;</c>: parses the command line, runs one
/// command and maps the outcome to an exit code (<see cref="ExitCodes"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        PreferPassiveOpenMpWaiting();
        var interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 200; // log files: one line per table row, not wrapped at 80 columns
        var host = new Host(Console.Out, Console.Error, AnsiConsole.Console, interactive);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(host, context, 2));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(host, context, 15));
        return Run(args, host);
    }

    /// <summary>Runs the app writing to <paramref name="output"/> (errors to <paramref name="error"/>, else the same), without colours.</summary>
    /// <param name="stop">Cancelling it stops a training as SIGINT does: checkpoint, exit code 130.</param>
    public static int Run(string[] args, TextWriter output, TextWriter? error = null, CancellationToken stop = default)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 120;
        var host = new Host(output, error ?? output, console, interactive: false);
        using var registration = stop.Register(() => host.RequestStop(2));
        return Run(args, host);
    }

    private static int Run(string[] args, Host host)
    {
        ModelDsl.Platform.NativeMemory.FillNewBlocksWithFiniteBytes();
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print stack traces of errors", Recursive = true };
        var root = new RootCommand("ModelDsl samples: train the showcase models written in the DSL (TorchSharp, CPU), and use them")
        {
            GanSample.Command(host), GptSample.Command(host), CharRnnSample.Command(host), Seq2SeqSample.Command(host), PnnSample.Command(host),
            ClassifySample.Command(host), GenerateCommand.Command(host), OnnxCommand.Command(host), SummaryCommand.Command(host), verbose,
        };
        var parse = root.Parse(args);
        host.Verbose = parse.GetValue(verbose);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            var commands = string.Join(", ", root.Subcommands.Select(c => c.Name));
            if (parse.CommandResult.Command == root && args.FirstOrDefault(a => !a.StartsWith('-')) is { } unknown)
                host.Error.WriteLine($"error: '{unknown}' is not a command; the commands are {commands}.");
            else if (parse.CommandResult.Command == root)
                host.Error.WriteLine($"error: give a command: {commands} (--help describes them).");
            else
            {
                foreach (var error in parse.Errors)
                    host.Error.WriteLine($"error: {error.Message}");
                host.Error.WriteLine($"(`{parse.CommandResult.Command.Name} --help` lists its options.)");
            }
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = host.Out, Error = host.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (UsageException e)
        {
            host.ClearStatus();
            host.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (NonFiniteLossException e)
        {
            var kept = host.LastCheckpoint is var (path, step) ? $"The last good checkpoint is {path} (step {step:N0}); it was left as it was." : "No checkpoint had been written yet.";
            host.Error.WriteLine($"error: {e.Message} {kept}");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            host.ClearStatus();
            host.Error.WriteLine(host.Verbose ? $"error: {e}" : $"error: {OneLine(e)}\n(--verbose shows the stack trace)");
            return ExitCodes.Failure;
        }
    }

    // The first signal during training stops it after the current step with a checkpoint; outside training, or on a
    // second signal, the process ends at once as usual.
    private static void OnSignal(Host host, PosixSignalContext context, int number)
    {
        if (!host.Training || !host.RequestStop(number))
            return;
        context.Cancel = true;
        host.Error.WriteLine($"\n{context.Signal}: stopping after this step and saving a checkpoint (a second signal ends the process at once).");
    }

    // The innermost useful message: wrappers like TargetInvocationException say nothing.
    private static string OneLine(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is not null)
            e = e.InnerException!;
        var message = e.Message.ReplaceLineEndings(" ").Trim();
        return e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or NotSupportedException
            ? message
            : $"{e.GetType().Name}: {message}";
    }

    /// <summary>
    /// libtorch's OpenMP threads spin while they wait for work, which on a machine whose cores are busy steals the
    /// time the other threads need: measured here, 2 threads on 2 loaded cores ran a GPT step 10× slower than 1
    /// thread, and as fast as 1 thread or better with <c>OMP_WAIT_POLICY=passive</c>. Unless the user chose a
    /// policy, it is set before libtorch loads; libgomp reads the native environment, which
    /// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change on Unix.
    /// </summary>
    private static void PreferPassiveOpenMpWaiting()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null)
            return;
        try
        {
            _ = SetEnv("OMP_WAIT_POLICY", "passive", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc or musl: libgomp's default.
        }
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnv(string name, string value, int overwrite);
}
