using ModelDsl.Runtime.Tests.Data;
using Xunit;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>The samples app's command line: usage errors exit with 2 and print the error and the usage.</summary>
public sealed class SamplesCliTests
{
    [Fact]
    public void NoCommandIsAUsageError()
    {
        var (code, output) = SamplesHarness.Run();
        Assert.Equal(2, code);
        Assert.Contains("Required command was not provided", output);
        Assert.Contains("Usage:", output);
        Assert.Contains("gan", output);
    }

    [Theory]
    [InlineData("gan", "--no-such-option")]
    [InlineData("gan", "--epochs", "many")]
    [InlineData("gpt", "--steps", "0")]
    [InlineData("classify", "--dataset", "cifar")]
    [InlineData("summary", "no-such-model")]
    [InlineData("no-such-command")]
    public void BadArgumentsExitWithTwoAndPrintTheUsage(params string[] args)
    {
        var (code, output) = SamplesHarness.Run(args);
        Assert.Equal(2, code);
        Assert.Contains("error:", output);
        Assert.Contains("Usage:", output);
    }

    [Fact]
    public void InconsistentOptionsFoundAfterParsingAreUsageErrorsToo()
    {
        using var dir = new TempDirectory();
        var (code, output) = SamplesHarness.Run("gpt", "--data", SamplesHarness.WriteText(dir), "--embed", "30", "--heads", "4", "--out", dir.File("out"));
        Assert.Equal(2, code);
        Assert.Contains("must be a multiple of --heads", output);
        Assert.Contains("Usage:", output);
    }

    [Fact]
    public void HelpIsNotAnError()
    {
        var (code, output) = SamplesHarness.Run("gpt", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--resume", output);
        Assert.Contains("--checkpoint-every", output);
    }

    [Fact]
    public void SummaryPrintsTheCompileTimeTableAndTheInstanceCount()
    {
        var (code, output) = SamplesHarness.Run("summary", "gan-discriminator");
        Assert.Equal(0, code);
        Assert.Contains("DcganDiscriminator", output);
        Assert.Contains("Total params", output);
        Assert.Contains("212,865 parameters", output);
    }

    [Fact]
    public void AFailedDownloadSaysHowToPassTheFile()
    {
        using var dir = new TempDirectory();
        var (code, output) = SamplesHarness.Run("gpt", "--cache-dir", dir.File("cache"), "--download-url", "http://127.0.0.1:9/input.txt", "--out", dir.File("out"));
        Assert.Equal(1, code);
        Assert.Contains("Could not download tiny Shakespeare", output);
        Assert.Contains("--data", output);
        Assert.DoesNotContain("   at ", output); // one line, no stack trace
    }

    [Fact]
    public void MissingDataIsAOneLineError()
    {
        using var dir = new TempDirectory();
        var (code, output) = SamplesHarness.Run("classify", "--data", dir.File("nowhere"), "--out", dir.File("out"));
        Assert.Equal(1, code);
        Assert.Contains("--data", output);
        Assert.DoesNotContain("   at ", output);
    }
}
