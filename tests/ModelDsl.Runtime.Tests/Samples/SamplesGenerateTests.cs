using System.IO;
using ModelDsl.Runtime.Tests.Data;
using Xunit;
using static ModelDsl.Runtime.Tests.Samples.SamplesHarness;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary><c>generate</c> uses a trained model from its weights alone and changes no file of the run.</summary>
public sealed class SamplesGenerateTests
{
    [Fact]
    public void GptTextFromTheWeightsRepeatsTheRunsSampleAndTouchesNothing()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");
        Assert.Equal(0, Run(TinyGpt(WriteText(dir), output, 4, "--sample-chars", "40")).Code);
        var before = Snapshot(output);

        // The run's seed, prompt and length: the same draws as its sample.txt.
        var (code, text, error) = Run("generate", output, "--chars", "40");
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllText(Path.Combine(output, "sample.txt")) + "\n", text);

        var (promptCode, prompted, promptError) = Run("generate", Path.Combine(output, "gpt.safetensors"), "--prompt", "the king€", "--chars", "10", "--temperature", "0", "--seed", "9");
        Assert.True(promptCode == 0, promptError);
        Assert.StartsWith("the king", prompted);
        Assert.Equal("the king".Length + 10 + 1, prompted.Length); // and the line end
        Assert.Contains("'€' are not in the model's vocabulary", promptError);
        Assert.Equal(before, Snapshot(output));
    }

    [Fact]
    public void GanGridFromTheGeneratorIsTheRunsFinalGrid()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");
        Assert.Equal(0, Run(TinyGan(WriteSmallMnist(dir, train: 16, test: 8), output, 2)).Code);
        var before = Snapshot(output);

        var image = dir.File("drawn.png");
        var (code, text, error) = Run("generate", output, "--count", "4", "--image", image);
        Assert.True(code == 0, error);
        Assert.Contains("4 images from", text);
        // --grid 4 at the default seed: the fixed noise batch of the run's samples.png.
        Assert.Equal(File.ReadAllBytes(Path.Combine(output, "samples.png")), File.ReadAllBytes(image));
        Assert.Equal(before, Snapshot(output));
    }

    [Fact]
    public void Seq2SeqDecodesTheGivenInputs()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");
        Assert.Equal(0, Run("seq2seq", "--task", "sort", "--steps", "3", "--layers", "1", "--heads", "2", "--embed", "16", "--hidden", "32",
            "--batch", "8", "--held-out", "20", "--eval-every", "0", "--examples", "0", "--threads", "1", "--out", output).Code);
        var before = Snapshot(output);

        var (code, text, error) = Run("generate", output, "--input", "3141 27");
        Assert.True(code == 0, error);
        Assert.Contains("sort task", text);
        Assert.Matches(@"(?m)^3141 → \S* +(✓|✗ expected 1134)", text);
        Assert.Matches(@"(?m)^27 → \S* +(✓|✗ expected 27).*\(longer or shorter than trained\)", text);
        AssertRefused(Run("generate", output, "--input", "1+2"), "--input: '1+2' is not a source of the sort task (digits)");
        Assert.Equal(before, Snapshot(output));
    }

    [Fact]
    public void OptionsOfAnotherModelAndUnfinishedRunsAreRefused()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");
        Assert.Equal(130, Run(TinyGpt(WriteText(dir), output, 4, "--stop-after", "2")).Code);
        AssertRefused(Run("generate", output), $"generate: the gpt run in '{output}' has not finished (its checkpoint is at step 2); finish it with `gpt --resume --out {output}`.");

        Assert.Equal(0, Run("gpt", "--out", output, "--resume").Code);
        AssertRefused(Run("generate", output, "--count", "4"), "--count does not apply to");
        AssertRefused(Run("generate", dir.File("nowhere")), "generate: there is no file or folder");
    }
}
