using System.IO;
using ModelDsl.Runtime.Tests.Data;
using Xunit;
using static ModelDsl.Runtime.Tests.Samples.SamplesHarness;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>The command line: a wrong option exits with 2 and one line that names it, without the help text.</summary>
public sealed class SamplesCliTests
{
    [Theory]
    [InlineData("--steps: 'abc' is not a whole number.", "gpt", "--steps", "abc")]
    [InlineData("--steps must be between 1 and 1,000,000,000; got 99999999999999.", "gpt", "--steps", "99999999999999")]
    [InlineData("--steps must be between 1 and 1,000,000,000; got 0.", "gpt", "--steps", "0")]
    [InlineData("--beta2 must be at least 0 and below 1; got 1.", "gpt", "--beta2", "1")]
    [InlineData("--dropout must be at least 0 and below 1; got -0.5.", "gpt", "--dropout", "-0.5")]
    [InlineData("--lr: 'fast' is not a number.", "seq2seq", "--lr", "fast")]
    [InlineData("--epochs: 'many' is not a whole number.", "gan", "--epochs", "many")]
    [InlineData("--dataset must be one of mnist, fashion; got 'cifar'.", "classify", "--dataset", "cifar")]
    [InlineData("'--no-such-option'", "gan", "--no-such-option")]
    [InlineData("summary: there is no model 'no-such-model'", "summary", "no-such-model")]
    [InlineData("'no-such-command' is not a command; the commands are gan, gpt, charrnn, seq2seq, pnn, classify, generate, onnx, summary.", "no-such-command")]
    [InlineData("give a command: gan, gpt", "--verbose")]
    public void ABadArgumentIsOneLineNamingIt(string reason, params string[] args) =>
        AssertRefused(Run(args), reason);

    [Fact]
    public void OptionsThatDoNotFitTogetherAreUsageErrorsNamingBoth()
    {
        using var dir = new TempDirectory();
        AssertRefused(Run("gpt", "--data", WriteText(dir), "--embed", "30", "--heads", "4", "--out", dir.File("out")), "--embed (30) must be a multiple of --heads (4).");
        AssertRefused(Run("gpt", "--data", WriteText(dir), "--lr", "1e-4", "--min-lr", "1e-3", "--out", dir.File("out")), "--min-lr (0.001) must not exceed --lr (0.0001).");
        Assert.False(Directory.Exists(dir.File("out"))); // refused before anything was written
    }

    [Fact]
    public void HelpIsNotAnError()
    {
        var (code, output, _) = Run("gpt", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--resume", output);
        Assert.Contains("--overwrite", output);
        Assert.Contains("--checkpoint-every", output);
    }

    [Fact]
    public void SummaryPrintsTheCompileTimeTableAndTheInstanceCount()
    {
        var (code, output, _) = Run("summary", "gan-discriminator");
        Assert.Equal(0, code);
        Assert.Contains("DcganDiscriminator", output);
        Assert.Contains("Total params", output);
        Assert.Contains("212,865 parameters", output);
    }

    [Fact]
    public void AFailedDownloadSaysHowToPassTheFile()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Run("gpt", "--cache-dir", dir.File("cache"), "--download-url", "http://127.0.0.1:9/input.txt", "--out", dir.File("out"));
        Assert.Equal(1, code);
        Assert.Contains("Could not download tiny Shakespeare", error);
        Assert.Contains("--data", error);
        Assert.DoesNotContain("   at ", error); // one line, no stack trace
    }

    [Fact]
    public void MissingDataIsRefusedNamingTheOption()
    {
        using var dir = new TempDirectory();
        AssertRefused(Run("classify", "--data", dir.File("nowhere"), "--out", dir.File("out")), "--data: ");
        AssertRefused(Run("gpt", "--data", dir.File("nowhere.txt"), "--out", dir.File("out")), "--data: there is no file");
    }

    [Fact]
    public void TextThatIsNotTextTrainsWithAWarning()
    {
        using var dir = new TempDirectory();
        var bytes = new byte[6000];
        new System.Random(3).NextBytes(bytes);
        File.WriteAllBytes(dir.File("random.bin"), bytes);
        var (code, _, error) = Run(TinyGpt(dir.File("random.bin"), dir.File("out"), 1, "--sample-chars", "0"));
        Assert.True(code == 0, error);
        Assert.Contains("warning: random.bin does not look like UTF-8 text", error);

        var (textCode, _, textError) = Run(TinyGpt(WriteText(dir), dir.File("text"), 1, "--sample-chars", "0"));
        Assert.True(textCode == 0, textError);
        Assert.DoesNotContain("warning", textError);
    }

    [Fact]
    public void AContextThatCannotFitInMemoryIsRefusedWithAnEstimate()
    {
        using var dir = new TempDirectory();
        var data = dir.File("long.txt");
        File.WriteAllText(data, new string('a', 1_200_000) + "b");
        var line = AssertRefused(Run("gpt", "--data", data, "--block", "100000", "--batch", "1000", "--out", dir.File("out")), "--block 100000 with --batch 1000");
        Assert.Matches(@"needs about [\d,.]+ GiB for activations, more than the [\d,.]+ GiB this machine has", line);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}
