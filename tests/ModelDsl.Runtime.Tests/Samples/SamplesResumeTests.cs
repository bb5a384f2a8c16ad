using System.IO;
using System.Text.Json;
using System.Threading;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Training;
using Xunit;
using static ModelDsl.Runtime.Tests.Samples.SamplesHarness;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>
/// A run stopped and resumed ends where an uninterrupted run ends (the same losses bit for bit); a checkpoint that
/// does not fit the command line is refused in one line that says what differs and what to pass.
/// </summary>
public sealed class SamplesResumeTests
{
    [Fact]
    public void GptResumedWithoutRepeatingItsOptionsMatchesAnUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        Assert.Equal(0, Run(TinyGpt(data, dir.File("straight"), 6)).Code);

        var (stopCode, stopOutput, _) = Run(TinyGpt(data, dir.File("resumed"), 6, "--stop-after", "4"));
        Assert.True(stopCode == 130, stopOutput);
        Assert.Contains("Stopped at step 4 of 6", stopOutput);

        // Only --out and --resume: every other option comes from the checkpoint (evaluation options may change).
        var (code, output, error) = Run("gpt", "--out", dir.File("resumed"), "--resume", "--threads", "1", "--eval-iters", "2", "--log-every", "1");
        Assert.True(code == 0, output + error);
        Assert.Contains("Resumed", output);
        AssertSameRun(dir.File("straight"), dir.File("resumed"), 6);
        Assert.Equal(File.ReadAllText(Path.Combine(dir.File("straight"), "sample.txt")), File.ReadAllText(Path.Combine(dir.File("resumed"), "sample.txt")));
    }

    [Fact]
    public void GanResumedAcrossAnEpochBoundaryMatchesAnUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var data = WriteSmallMnist(dir, train: 24, test: 8);
        var (code, output, error) = Run(TinyGan(data, dir.File("straight"), 7));
        Assert.True(code == 0, output + error);
        Assert.True(File.Exists(Path.Combine(dir.File("straight"), "samples-epoch-2.png")), output);

        Assert.Equal(130, Run(TinyGan(data, dir.File("resumed"), 7, "--stop-after", "4")).Code);
        Assert.Equal(0, Run(TinyGan(data, dir.File("resumed"), 7, "--resume")).Code);
        AssertSameRun(dir.File("straight"), dir.File("resumed"), 7);
    }

    [Fact]
    public void StoppingBeforeTheFirstStepSavesACheckpoint()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var (code, output, _) = Run(stop.Token, TinyGpt(data, dir.File("out"), 3));
        Assert.True(code == 130, output);
        Assert.Equal(0, Checkpoint.ReadInfo(Path.Combine(dir.File("out"), "checkpoint.mdl")).Metadata.Step);
        Assert.Equal(0, Run(TinyGpt(data, dir.File("out"), 3, "--resume")).Code);
        Assert.Equal(3, Checkpoint.ReadInfo(Path.Combine(dir.File("out"), "checkpoint.mdl")).Metadata.Step);
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefusedAsSuch()
    {
        using var dir = new TempDirectory();
        var gan = dir.File("gan");
        Assert.Equal(0, Run(TinyGan(WriteSmallMnist(dir, train: 16, test: 8), gan, 1)).Code);
        var before = Snapshot(gan);

        var line = AssertRefused(Run(TinyGpt(WriteText(dir), gan, 4, "--resume")), "holds a DCGAN run (`gan`), not a GPT one");
        Assert.Contains($"`gan --resume --out {gan}`", line);
        Assert.Equal(before, Snapshot(gan));
    }

    [Fact]
    public void OtherDataIsRefusedNamingBothFiles()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");
        Assert.Equal(0, Run(TinyGpt(WriteText(dir, "plays.txt"), output, 2)).Code);
        var before = Snapshot(output);

        var line = AssertRefused(Run(TinyGpt(WriteText(dir, "sonnets.txt", seed: 8), output, 4, "--resume")), "was trained on plays.txt (SHA-256 ");
        Assert.Contains("but this run reads sonnets.txt (SHA-256 ", line);
        File.AppendAllText(dir.File("plays.txt"), "an edit");
        AssertRefused(Run("gpt", "--out", output, "--resume"), "plays.txt has changed since");
        Assert.Equal(before, Snapshot(output));
    }

    [Fact]
    public void ADifferentOptionIsRefusedNamingItWhileEvaluationOptionsMayChange()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        var output = dir.File("out");
        Assert.Equal(0, Run(TinyGpt(data, output, 2)).Code);
        var before = Snapshot(output);

        AssertRefused(Run(TinyGpt(data, output, 4, "--resume", "--layers", "2", "--seed", "5")), "was trained with --seed 1337 --layers 1, not --seed 5 --layers 2. Leave those options out");
        AssertRefused(Run(TinyGpt(data, dir.File("elsewhere"), 4, "--resume")), $"--resume: '{dir.File("elsewhere")}' has no checkpoint.mdl to continue");
        Assert.Equal(before, Snapshot(output));
        Assert.False(Directory.Exists(dir.File("elsewhere")));

        // Options that do not change what is trained may: the step count, evaluation and sampling.
        var (code, text, error) = Run("gpt", "--out", output, "--resume", "--steps", "4", "--eval-interval", "1", "--eval-iters", "1", "--sample-chars", "5", "--temperature", "0");
        Assert.True(code == 0, text + error);
        Assert.Equal(4, Checkpoint.ReadInfo(Path.Combine(output, "checkpoint.mdl")).Metadata.Step);
        Assert.Equal(5 + 1, File.ReadAllText(Path.Combine(output, "sample.txt")).Length); // the prompt, a newline, then 5 characters
    }

    [Fact]
    public void PnnResumedMidPhaseWithGrowthMatchesAnUninterruptedRun()
    {
        using var dir = new TempDirectory();
        // A learning rate too small to move the accuracy and an unreachable target: every task grows a second column.
        string[] Pnn(string output, params string[] extra) =>
            ["pnn", "--out", output, "--steps", "6", "--hidden", "8", "--eval-every", "2", "--threads", "1", "--lr", "1e-6",
             "--grow", "--grow-target", "1", "--grow-patience", "1", "--max-columns", "2", .. extra];
        var (code, output, error) = Run(Pnn(dir.File("straight")));
        Assert.True(code == 0, output + error);

        Assert.Equal(130, Run(Pnn(dir.File("resumed"), "--stop-after", "7")).Code);
        Assert.Equal(130, Run("pnn", "--out", dir.File("resumed"), "--resume", "--stop-after", "40", "--checkpoint-every", "3").Code);
        Assert.Equal(0, Run("pnn", "--out", dir.File("resumed"), "--resume").Code);

        static JsonElement Summary(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json"))).RootElement;
        var (straight, resumed) = (Summary(dir.File("straight")), Summary(dir.File("resumed")));
        Assert.Equal(5, straight.GetProperty("growth").GetArrayLength());
        foreach (var key in new[] { "pnnAccuracy", "fineTuningAccuracy", "fineTuningAccuracyWhenTrained", "freshAccuracy", "growth", "networkParameters" })
            Assert.Equal(straight.GetProperty(key).GetRawText(), resumed.GetProperty(key).GetRawText());
        Assert.True(resumed.GetProperty("allEarlierTasksBitIdentical").GetBoolean());
        AssertSameRun(dir.File("straight"), dir.File("resumed"), Checkpoint.ReadInfo(Path.Combine(dir.File("straight"), "checkpoint.mdl")).Metadata.Step);
    }

    private static void AssertSameRun(string straightFolder, string resumedFolder, long steps)
    {
        var straight = Checkpoint.ReadInfo(Path.Combine(straightFolder, "checkpoint.mdl")).Metadata;
        var resumed = Checkpoint.ReadInfo(Path.Combine(resumedFolder, "checkpoint.mdl")).Metadata;
        Assert.Equal(steps, straight.Step);
        Assert.Equal(steps, resumed.Step);
        Assert.Equal(steps, straight.LossHistory.Count);
        // Bit for bit: the losses compared as doubles, every curve through the saved JSON.
        Assert.Equal(straight.LossHistory, resumed.LossHistory);
        Assert.Equal(straight.Properties["losses"], resumed.Properties["losses"]);
    }
}
