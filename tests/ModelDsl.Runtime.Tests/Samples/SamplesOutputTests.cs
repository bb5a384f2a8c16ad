using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Training;
using Xunit;
using static ModelDsl.Runtime.Tests.Samples.SamplesHarness;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>A run never loses another: a used --out is refused, an unwritable one is found before the first step, SIGTERM checkpoints.</summary>
public sealed class SamplesOutputTests
{
    [Fact]
    public void ANewRunRefusesAnOutThatHoldsARunAndTouchesNothing()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        var output = dir.File("out");
        Assert.Equal(0, Run(TinyGpt(data, output, 2)).Code);
        var before = Snapshot(output);

        var line = AssertRefused(Run(TinyGpt(data, output, 2)), $"--out: '{output}' already holds a GPT run at step 2");
        Assert.Contains("--resume", line);
        Assert.Contains("--overwrite", line);
        // Another command's run is refused the same way.
        AssertRefused(Run("seq2seq", "--out", output, "--steps", "1"), "already holds a GPT run");
        Assert.Equal(before, Snapshot(output));
    }

    [Fact]
    public void OverwriteReplacesTheRunAndRemovesItsStaleOutputs()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        var output = dir.File("out");
        Assert.Equal(0, Run(TinyGpt(data, output, 3)).Code);
        Assert.True(File.Exists(Path.Combine(output, "sample.txt")));

        var (code, _, error) = Run(TinyGpt(data, output, 2, "--overwrite", "--sample-chars", "0"));
        Assert.True(code == 0, error);
        Assert.False(File.Exists(Path.Combine(output, "sample.txt"))); // the old run's, not this one's
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(output, "checkpoint.mdl")).Metadata.Step);
        AssertRefused(Run(TinyGpt(data, output, 2, "--overwrite", "--resume")), "give one of them");
    }

    [Fact]
    public void AnOutThatCannotBeWrittenIsRefusedBeforeTraining()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        // root writes into a read-only folder, so as root the test uses one no one can write in.
        if (OperatingSystem.IsWindows())
            return;
        var readOnly = Environment.UserName == "root" ? "/sys" : dir.File("read-only");
        if (readOnly != "/sys")
        {
            Directory.CreateDirectory(readOnly);
            File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        var (code, output, error) = Run(TinyGpt(data, readOnly, 2));
        AssertRefused((code, output, error), $"--out: cannot write in '{readOnly}'");
        Assert.DoesNotContain("step", output); // nothing trained
        AssertRefused(Run(TinyGpt(data, Path.Combine(readOnly, "run"), 2)), "--out: cannot write in");

        File.WriteAllText(dir.File("a-file"), "x");
        AssertRefused(Run(TinyGpt(data, dir.File("a-file"), 2)), $"--out: '{dir.File("a-file")}' is a file");
    }

    [Fact]
    public void SigtermSavesACheckpointAndExitsWith143()
    {
        if (OperatingSystem.IsWindows())
            return; // no SIGTERM
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        var output = dir.File("out");
        using var process = Start(TinyGpt(data, output, 1_000_000, "--log-every", "50", "--eval-interval", "1000000", "--sample-chars", "0"));
        using var watchdog = new Timer(_ => process.Kill(), null, TimeSpan.FromMinutes(2), Timeout.InfiniteTimeSpan);
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("gpt step 50/", StringComparison.Ordinal)) { }
        Assert.True(line is not null, errors.ToString());

        Assert.True(Kill(process.Id, 15) == 0, $"kill: errno {Marshal.GetLastPInvokeError()}");
        var rest = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 143, $"exit {process.ExitCode}\n{rest}\n{errors}");
        Assert.Contains("SIGTERM: stopping after this step", errors.ToString());
        var step = Checkpoint.ReadInfo(Path.Combine(output, "checkpoint.mdl")).Metadata.Step;
        Assert.InRange(step, 50, 999_999);
        Assert.Contains($"Stopped at step {step:N0}", rest);

        // The run continues from there.
        var (code, resumed, error) = Run("gpt", "--out", output, "--resume", "--steps", (step + 2).ToString(), "--threads", "1");
        Assert.True(code == 0, error);
        Assert.Contains($"Resumed {Path.Combine(output, "checkpoint.mdl")} at step {step:N0}", resumed);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
