namespace ModelDsl.Samples.Harness;

/// <summary>The app's exit codes.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad data, a diverged run, an I/O error…: one line says why.</summary>
    public const int Failure = 1;

    /// <summary>A wrong command line (or an <c>--out</c> or <c>--resume</c> that cannot be used): one or two lines say which option and why.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by a signal after saving a checkpoint: 128 + the signal, 130 for SIGINT, 143 for SIGTERM.</summary>
    public static int Signal(int signal) => 128 + signal;
}

/// <summary>An option value that cannot be used, found after parsing: exit code 2 and the message, which names the option.</summary>
public sealed class UsageException(string message) : Exception(message);
