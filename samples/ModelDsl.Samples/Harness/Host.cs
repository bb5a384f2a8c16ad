using Spectre.Console;

namespace ModelDsl.Samples.Harness;

/// <summary>
/// Where a command writes (the process console, or a test's writer) and whether a signal asked it to stop. On a
/// terminal a live status line is redrawn in place; every other line is printed above it.
/// </summary>
public sealed class Host(TextWriter output, TextWriter error, IAnsiConsole console, bool interactive)
{
    private int _signal;
    private int _training;
    private bool _statusShown;

    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>For tables (Spectre.Console); writes to <see cref="Out"/>.</summary>
    public IAnsiConsole Console { get; } = console;

    public bool Interactive { get; } = interactive;
    public bool Verbose { get; set; }

    /// <summary>The last checkpoint written, for the message when a run diverges.</summary>
    public (string Path, long Step)? LastCheckpoint { get; set; }

    /// <summary>True while training steps run: only then does SIGINT or SIGTERM checkpoint instead of ending the process.</summary>
    public bool Training
    {
        get => Volatile.Read(ref _training) != 0;
        set => Volatile.Write(ref _training, value ? 1 : 0);
    }

    /// <summary>The signal that asked the run to stop (2 SIGINT, 15 SIGTERM), or 0.</summary>
    public int StopSignal => Volatile.Read(ref _signal);

    /// <summary>Asks the training to checkpoint and stop; false when a stop was asked for already.</summary>
    public bool RequestStop(int signal) => Interlocked.CompareExchange(ref _signal, signal, 0) == 0;

    public void WriteLine(string text = "")
    {
        ClearStatus();
        Out.WriteLine(text);
    }

    public void Write(Spectre.Console.Rendering.IRenderable renderable)
    {
        ClearStatus();
        Console.Write(renderable);
    }

    /// <summary>Redraws the status line (terminals only).</summary>
    public void Status(string text)
    {
        if (!Interactive)
            return;
        var width = System.Console.IsOutputRedirected || System.Console.WindowWidth < 20 ? 120 : System.Console.WindowWidth;
        if (text.Length >= width)
            text = text[..Math.Max(0, width - 1)]; // a wrapped line could not be redrawn in place
        Out.Write($"\r{text}\u001b[K");
        _statusShown = true;
    }

    /// <summary>Erases the status line, if one is shown (before an error message).</summary>
    public void ClearStatus()
    {
        if (_statusShown)
            Out.Write("\r\u001b[K");
        _statusShown = false;
    }
}
