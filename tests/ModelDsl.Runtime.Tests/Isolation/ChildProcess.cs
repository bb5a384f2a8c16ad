using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace ModelDsl.Runtime.Tests.Isolation;

/// <summary>
/// Runs this test assembly again as a separate process (its entry point is <see cref="ChildEntryPoint"/>), for the
/// few things that can kill a process: a test learns what happened from the exit code instead of dying with it.
/// </summary>
internal static class ChildProcess
{
    /// <summary>The exit code of a process that libtorch aborted (SIGABRT, signal 6: 128 + 6).</summary>
    public const int Aborted = 134;

    /// <summary>Runs <c>dotnet exec ModelDsl.Runtime.Tests.dll args…</c> without core dumps and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var assembly = typeof(ChildProcess).Assembly.Location;
        var command = $"ulimit -c 0; exec {Quote(DotnetHost())} exec {Quote(assembly)} {string.Join(" ", Array.ConvertAll(args, Quote))}";
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a child process.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The child process ({string.Join(" ", args)}) did not finish in 2 minutes.");
        }
        Task.WaitAll(output, error);
        return (process.ExitCode, output.Result + error.Result);
    }

    // The host running this test (dotnet test sets DOTNET_HOST_PATH for its children), else the one on the PATH.
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
