using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.IO;
using System.Linq;
using System.Threading;
using ModelDsl.Platform;
using ModelDsl.Samples.Cli;
using ModelDsl.Samples.Commands;
using Spectre.Console;

namespace ModelDsl.Samples;

/// <summary>
/// The samples app: parses the command line, runs one command and maps the outcome to an exit code
/// (<see cref="ExitCodes"/>). Tests call <see cref="Run(string[], TextWriter, TextWriter?, CancellationToken)"/> in-process.
/// </summary>
public static class SamplesApp
{
    /// <summary>The root command with every sample command.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "ModelDsl samples: train the showcase models written in the DSL (TorchSharp, CPU).")
        {
            GanCommand.Create(),
            GptCommand.Create(),
            Seq2SeqCommand.Create(),
            PnnCommand.Create(),
            ClassifyCommand.Create(),
            SummaryCommand.Create(),
        };
        root.Options.Add(CommonOptions.Verbose);
        return root;
    }

    /// <summary>Runs the app on the process console (Ctrl+C saves a checkpoint and exits with 130).</summary>
    public static int Run(string[] args)
    {
        var interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 200; // log files: one line per message, not wrapped at 80 columns
        var context = new SampleContext(Console.Out, Console.Error, AnsiConsole.Console, interactive);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Outside a training loop (loading, scoring, sampling) and on a second press, Ctrl+C ends the process at once.
            if (!context.TrainingActive || context.InterruptRequested)
                return;
            e.Cancel = true;
            context.RequestInterrupt();
            context.Error.WriteLine("Ctrl+C: stopping after this step and saving a checkpoint (press again to quit at once).");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return Run(args, context);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs the app writing to <paramref name="output"/> (and <paramref name="error"/>, else the same writer), without colours or animation.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Receives the commands' output and the help text.</param>
    /// <param name="error">Receives error messages; <paramref name="output"/> when null.</param>
    /// <param name="interrupt">When cancelled, a running training stops as on Ctrl+C (checkpoint, exit code 130).</param>
    public static int Run(string[] args, TextWriter output, TextWriter? error = null, CancellationToken interrupt = default)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 120;
        var context = new SampleContext(output, error ?? output, console, interactive: false);
        using var registration = interrupt.Register(context.RequestInterrupt);
        return Run(args, context);
    }

    private static int Run(string[] args, SampleContext context)
    {
        NativeMemory.FillNewBlocksWithFiniteBytes();
        var root = CreateRootCommand();
        var parseResult = root.Parse(args);
        context.Verbose = parseResult.GetValue(CommonOptions.Verbose);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
        {
            foreach (var error in parseResult.Errors)
                context.Error.WriteLine($"error: {error.Message}");
            context.Error.WriteLine();
            WriteUsage(parseResult, context);
            return ExitCodes.Usage;
        }

        using var scope = SampleContext.Enter(context);
        try
        {
            return parseResult.Invoke(new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            context.Error.WriteLine();
            WriteUsage(parseResult, context);
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            context.Error.WriteLine(context.Verbose ? $"error: {e}" : $"error: {OneLine(e)}");
            if (!context.Verbose)
                context.Error.WriteLine("(run with --verbose for the stack trace)");
            return ExitCodes.Failure;
        }
    }

    // The help of the command the error is about, to the error writer.
    private static void WriteUsage(ParseResult parseResult, SampleContext context)
    {
        parseResult.InvocationConfiguration.Output = context.Error;
        new HelpAction { MaxWidth = context.Interactive ? Math.Max(80, Console.WindowWidth) : 100 }.Invoke(parseResult);
    }

    // The innermost useful message: wrappers like TargetInvocationException or AggregateException say nothing.
    private static string OneLine(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is not null)
            e = e.InnerException!;
        var message = e.Message.ReplaceLineEndings(" ").Trim();
        var known = e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException
            or InvalidOperationException or NotSupportedException or System.Net.Http.HttpRequestException;
        return known ? message : $"{e.GetType().Name}: {message}";
    }
}

/// <summary>The app's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>The command finished.</summary>
    public const int Success = 0;

    /// <summary>The command failed (bad data, diverged training, I/O errors…); a one-line message says why.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong; the error and the usage are printed.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted (Ctrl+C) after saving a checkpoint; <c>--resume</c> continues.</summary>
    public const int Interrupted = 130;
}

/// <summary>A wrong option value found after parsing (e.g. a width not divisible by the heads): exit code 2 with the usage.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception with the message shown to the user.</summary>
    public UsageException(string message) : base(message) { }
}
