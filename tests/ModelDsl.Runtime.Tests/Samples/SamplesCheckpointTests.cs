using System;
using System.IO;
using System.Linq;
using ModelDsl.Models.Transformers;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Samples;
using ModelDsl.Training;
using ModelDsl.Weights;
using Xunit;
using static ModelDsl.Runtime.Tests.Samples.SamplesHarness;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>A checkpoint write that dies half-way, or a run that diverges, leaves the previous checkpoint usable.</summary>
public sealed class SamplesCheckpointTests
{
    [Fact]
    public void AWriteThatFailsHalfWayLeavesThePreviousCheckpointIntact()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        var output = dir.File("out");
        Assert.Equal(0, Run(TinyGpt(data, output, 3)).Code);
        var path = Path.Combine(output, "checkpoint.mdl");
        var before = File.ReadAllBytes(path);

        // The same atomic write the samples use, dying after half a checkpoint's bytes.
        var failure = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(before.AsSpan(0, before.Length / 2));
            throw new IOException("simulated crash while writing");
        }));
        Assert.Equal("simulated crash while writing", failure.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(AtomicFile.TempPath(path)));

        var (code, text, error) = Run(TinyGpt(data, output, 5, "--resume"));
        Assert.True(code == 0, text + error);
        Assert.Contains("at step 3", text);
        Assert.Equal(5, Checkpoint.ReadInfo(path).Metadata.Step);
    }

    [Fact]
    public void ATruncatedTemporaryFileFromAKilledRunIsIgnored()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        var output = dir.File("out");
        Assert.Equal(0, Run(TinyGpt(data, output, 2)).Code);
        var path = Path.Combine(output, "checkpoint.mdl");

        // A process killed mid-write leaves checkpoint.mdl.tmp behind; the checkpoint itself is the previous one.
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(AtomicFile.TempPath(path), bytes.AsSpan(0, bytes.Length / 3).ToArray());
        var (code, text, error) = Run(TinyGpt(data, output, 4, "--resume"));
        Assert.True(code == 0, text + error);
        Assert.Equal(4, Checkpoint.ReadInfo(path).Metadata.Step);
        Assert.False(File.Exists(AtomicFile.TempPath(path)));
    }

    [Fact]
    public void ADivergingRunStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        var output = dir.File("out");
        var path = Path.Combine(output, "checkpoint.mdl");

        // Checkpoints at steps 2 and 4; the loss of step 4 (0-based) is NaN.
        var (code, _, error) = Run(TinyGpt(data, output, 8, "--checkpoint-every", "2", "--nan-at", "4"));
        Assert.True(code == 1, error);
        Assert.Contains("The loss is NaN at step 4: training diverged.", error);
        Assert.Contains($"The last good checkpoint is {path} (step 4); it was left as it was.", error);
        Assert.Equal(4, Checkpoint.ReadInfo(path).Metadata.Step);
        Assert.False(File.Exists(AtomicFile.TempPath(path)));

        var (resumeCode, resumeText, resumeError) = Run(TinyGpt(data, output, 8, "--resume"));
        Assert.True(resumeCode == 0, resumeText + resumeError);
        Assert.Contains("at step 4", resumeText);
        Assert.Equal(8, Checkpoint.ReadInfo(path).Metadata.Step);
    }

    [Fact]
    public void AFinishedRunLeavesWeightsThatLoadIntoTheModelAndSayWhatTheyAre()
    {
        using var dir = new TempDirectory();
        var data = WriteText(dir);
        var output = dir.File("out");
        var (code, text, error) = Run(TinyGpt(data, output, 2));
        Assert.True(code == 0, text + error);

        var path = Path.Combine(output, "gpt.safetensors");
        Assert.Contains(path, text);
        var vocab = SafetensorsFile.ReadSignature(path).Single(t => t.Name == "wte.weight").Shape[0];
        using var model = new Gpt((int)vocab, blockSize: 16, layers: 1, heads: 2, embed: 16, dropout: 0);
        SafetensorsFile.Load(path, model); // strict: every name, shape and dtype

        var metadata = ModelDsl.Samples.Harness.WeightsFile.ReadMetadata(path);
        Assert.Equal("gpt", metadata["kind"]);
        Assert.Equal(("16", "1", "2"), (metadata["block"], metadata["layers"], metadata["heads"]));
        var (loaded, tokenizer) = GptSample.Load(path, metadata);
        using (loaded)
            Assert.Equal(vocab, tokenizer.VocabularySize);
    }
}
