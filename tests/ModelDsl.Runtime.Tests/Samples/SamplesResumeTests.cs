using System.IO;
using System.Threading;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Training;
using Xunit;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>
/// A run interrupted and resumed with --resume ends where an uninterrupted run ends: same losses step for step
/// (model, optimizer, RNG state and data order all restored).
/// </summary>
public sealed class SamplesResumeTests
{
    private static string[] TinyGpt(string data, string output, int steps, params string[] extra) =>
    [
        "gpt", "--data", data, "--out", output, "--steps", steps.ToString(), "--threads", "1",
        "--layers", "1", "--heads", "2", "--embed", "16", "--block", "16", "--batch", "4",
        "--warmup", "2", "--eval-interval", "3", "--eval-iters", "2", "--sample-chars", "20", .. extra,
    ];

    [Fact]
    public void GptResumedAfterAnInterruptionMatchesAnUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var data = SamplesHarness.WriteText(dir);
        var (straightCode, straightOutput) = SamplesHarness.Run(TinyGpt(data, dir.File("straight"), 6));
        Assert.True(straightCode == 0, straightOutput);

        var (stopCode, stopOutput) = SamplesHarness.Run(TinyGpt(data, dir.File("resumed"), 6, "--stop-after", "4"));
        Assert.True(stopCode == 130, stopOutput);
        Assert.Contains("Interrupted at step 4", stopOutput);
        Assert.Equal(4, Checkpoint.ReadInfo(Path.Combine(dir.File("resumed"), "checkpoint.mdl")).Metadata.Step);

        var (resumeCode, resumeOutput) = SamplesHarness.Run(TinyGpt(data, dir.File("resumed"), 6, "--resume"));
        Assert.True(resumeCode == 0, resumeOutput);
        Assert.Contains("Resumed", resumeOutput);

        AssertSameRun(Path.Combine(dir.File("straight"), "checkpoint.mdl"), Path.Combine(dir.File("resumed"), "checkpoint.mdl"), 6);
        Assert.Equal(File.ReadAllText(Path.Combine(dir.File("straight"), "sample.txt")), File.ReadAllText(Path.Combine(dir.File("resumed"), "sample.txt")));
    }

    [Fact]
    public void GanResumedAcrossAnEpochBoundaryMatchesAnUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var data = SamplesHarness.WriteSmallMnist(dir, train: 24, test: 8);
        string[] Gan(string output, params string[] extra) =>
        [
            "gan", "--data", data, "--out", output, "--steps", "7", "--batch", "8", "--width", "4", "--noise", "8",
            "--grid", "4", "--eval-samples", "0", "--threads", "1", .. extra,
        ];
        var (straightCode, straightOutput) = SamplesHarness.Run(Gan(dir.File("straight")));
        Assert.True(straightCode == 0, straightOutput);
        Assert.True(File.Exists(Path.Combine(dir.File("straight"), "samples-epoch-2.png")), straightOutput);
        Assert.True(File.Exists(Path.Combine(dir.File("straight"), "losses.png")), straightOutput);

        var (stopCode, stopOutput) = SamplesHarness.Run(Gan(dir.File("resumed"), "--stop-after", "4"));
        Assert.True(stopCode == 130, stopOutput);
        var (resumeCode, resumeOutput) = SamplesHarness.Run(Gan(dir.File("resumed"), "--resume"));
        Assert.True(resumeCode == 0, resumeOutput);

        AssertSameRun(Path.Combine(dir.File("straight"), "checkpoint.mdl"), Path.Combine(dir.File("resumed"), "checkpoint.mdl"), 7);
    }

    [Fact]
    public void CtrlCBeforeTheFirstStepSavesACheckpointAndExitsWith130()
    {
        using var dir = new TempDirectory();
        var data = SamplesHarness.WriteText(dir);
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();
        var (code, output) = SamplesHarness.Run(interrupt.Token, TinyGpt(data, dir.File("out"), 3));
        Assert.True(code == 130, output);
        Assert.Equal(0, Checkpoint.ReadInfo(Path.Combine(dir.File("out"), "checkpoint.mdl")).Metadata.Step);

        var (resumeCode, resumeOutput) = SamplesHarness.Run(TinyGpt(data, dir.File("out"), 3, "--resume"));
        Assert.True(resumeCode == 0, resumeOutput);
        Assert.Equal(3, Checkpoint.ReadInfo(Path.Combine(dir.File("out"), "checkpoint.mdl")).Metadata.Step);
    }

    [Fact]
    public void ResumeWithAnotherSeedOrModelIsRefused()
    {
        using var dir = new TempDirectory();
        var data = SamplesHarness.WriteText(dir);
        var (code, output) = SamplesHarness.Run(TinyGpt(data, dir.File("out"), 2));
        Assert.True(code == 0, output);

        var (seedCode, seedOutput) = SamplesHarness.Run(TinyGpt(data, dir.File("out"), 4, "--resume", "--seed", "5"));
        Assert.Equal(2, seedCode);
        Assert.Contains("--seed 1337", seedOutput);

        var (configCode, configOutput) = SamplesHarness.Run(TinyGpt(data, dir.File("out"), 4, "--resume", "--layers", "2"));
        Assert.Equal(2, configCode);
        Assert.Contains("config", configOutput);

        var (missingCode, missingOutput) = SamplesHarness.Run(TinyGpt(data, dir.File("elsewhere"), 4, "--resume"));
        Assert.Equal(1, missingCode);
        Assert.Contains("no checkpoint", missingOutput);
    }

    private static void AssertSameRun(string straightPath, string resumedPath, long steps)
    {
        var straight = Checkpoint.ReadInfo(straightPath).Metadata;
        var resumed = Checkpoint.ReadInfo(resumedPath).Metadata;
        Assert.Equal(steps, straight.Step);
        Assert.Equal(steps, resumed.Step);
        Assert.Equal(steps, straight.LossHistory.Count);
        // Bit for bit: the losses are compared as doubles, every curve through the saved JSON.
        Assert.Equal(straight.LossHistory, resumed.LossHistory);
        Assert.Equal(straight.Properties["losses"], resumed.Properties["losses"]);
    }
}
