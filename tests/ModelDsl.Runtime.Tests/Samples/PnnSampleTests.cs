using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.Data;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Samples;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>The <c>pnn</c> sample: split tasks, the bit-for-bit check, the command.</summary>
public sealed class PnnSampleTests
{
    // 10 images per label 0–9, each image filled with its own label / 10, so a task's images reveal their origin.
    private static ImageDataset Labelled(int perLabel = 10)
    {
        var labels = Enumerable.Range(0, 10 * perLabel).Select(i => (long)(i % 10)).ToArray();
        var images = tensor(labels.Select(l => (float)l / 10).ToArray()).reshape(-1, 1, 1, 1).expand(-1, 1, 28, 28).contiguous();
        return new ImageDataset(images, tensor(labels));
    }

    // ---- Tasks --------------------------------------------------------------------------------------------------

    [Fact]
    public void Split_makes_five_two_class_tasks_with_labels_relabelled_to_0_and_1()
    {
        using var train = Labelled(20);
        using var test = Labelled(5);
        var tasks = PnnTasks.Split(train, test, PnnTasks.SplitMnistLabels, validationFraction: 0.1, seed: 3);
        try
        {
            Assert.Equal(["0/1", "2/3", "4/5", "6/7", "8/9"], tasks.Select(t => t.Name));
            for (var t = 0; t < 5; t++)
            {
                var task = tasks[t];
                Assert.Equal(2, task.Classes);
                Assert.Equal(36, task.Train.Count);
                Assert.Equal(4, task.Validation.Count);
                Assert.Equal(10, task.Test.Count);
                foreach (var part in new[] { task.Train, task.Validation, task.Test })
                {
                    // The original label, read back from the pixels, is 2t + the new label.
                    var original = part.Images[TensorIndex.Colon, 0, 0, 0].mul(10).round().to_type(ScalarType.Int64).data<long>().ToArray();
                    var relabelled = part.Labels.data<long>().ToArray();
                    Assert.All(relabelled, l => Assert.InRange(l, 0, 1));
                    Assert.Equal(original, relabelled.Select(l => 2 * t + l));
                    Assert.Contains(0L, relabelled);
                    Assert.Contains(1L, relabelled);
                }
            }
        }
        finally
        {
            tasks.ForEach(t => t.Dispose());
        }
    }

    [Fact]
    public void Hold_out_splits_disjointly_and_reproducibly()
    {
        using var data = Labelled(10);
        var (train, validation) = PnnTasks.HoldOut(data, 0.2, 1000, seed: 4);
        var (train2, validation2) = PnnTasks.HoldOut(data, 0.2, 1000, seed: 4);
        using (train)
        using (validation)
        using (train2)
        using (validation2)
        {
            Assert.Equal(80, train.Count);
            Assert.Equal(20, validation.Count);
            Assert.True(validation.Labels.eq(validation2.Labels).all().item<bool>() && validation.Images.eq(validation2.Images).all().item<bool>());
            Assert.Equal(100, train.Count + validation.Count);
        }

        var (capped, small) = PnnTasks.HoldOut(data, 0.5, 7, seed: 4);
        using (capped)
        using (small)
            Assert.Equal((93, 7), (capped.Count, small.Count));
    }

    [Fact]
    public void Split_mnist_10k_covers_every_image_once()
    {
        var tasks = PnnTasks.SplitMnist(DataPaths.Mnist10k(), seed: 1);
        try
        {
            Assert.Equal(9_000, tasks.Sum(t => t.Train.Count + t.Validation.Count));
            Assert.Equal(1_000, tasks.Sum(t => t.Test.Count));
        }
        finally
        {
            tasks.ForEach(t => t.Dispose());
        }
    }

    [Fact]
    public void Fashion_sequence_without_the_data_says_how_to_get_it()
    {
        using var empty = new TempDirectory();
        using var location = new FashionMnistLocation(empty.Path);
        var e = Assert.Throws<ModelDsl.Samples.Harness.UsageException>(PnnTasks.FashionDirectory);
        Assert.Contains("dataset-fashion-mnist", e.Message);
        Assert.Contains(empty.Path, e.Message);
    }

    // ---- The exact check ---------------------------------------------------------------------------------------

    [Fact]
    public void Snapshot_check_is_bit_for_bit()
    {
        var labels = tensor(new long[] { 0, 1, 1 });
        using var recorded = new TaskSnapshot(tensor(new float[,] { { 2f, 1f }, { 0f, 3f }, { 1f, 0.5f } }), labels);
        Assert.Equal(2.0 / 3, recorded.Accuracy, 12);
        Assert.Equal(new long[] { 0, 1, 0 }, recorded.Predictions);

        using var same = new TaskSnapshot(recorded.Logits.clone(), labels);
        Assert.True(recorded.IsIdenticalTo(same));
        Assert.Equal(0, recorded.MaxAbsoluteDifference(same));

        // One ulp on one logit: same predictions and accuracy, but not the same bits.
        var nudged = recorded.Logits.clone();
        nudged[0, 1] = tensor(MathF.BitIncrement(1f));
        using var almost = new TaskSnapshot(nudged, labels);
        Assert.Equal(recorded.Accuracy, almost.Accuracy);
        Assert.Equal(recorded.Predictions, almost.Predictions);
        Assert.False(recorded.IsIdenticalTo(almost));
        Assert.True(recorded.MaxAbsoluteDifference(almost) > 0);

        // +0 and −0 compare equal as floats but differ in bits.
        var negativeZero = recorded.Logits.clone();
        negativeZero[1, 0] = tensor(-0f);
        using var signed = new TaskSnapshot(negativeZero, labels);
        Assert.False(recorded.IsIdenticalTo(signed));
    }

    [Fact]
    public void Check_texts_say_unchanged_or_changed()
    {
        var kept = new TaskAccuracyRow("0/1", false, 0.99, 0.99, true, 0, 0.99, 0.7, false);
        var changed = kept with { ProgressiveNow = 0.98, ProgressiveUnchanged = false, ProgressiveMaxDifference = 0.5 };
        Assert.StartsWith("unchanged ✓", PnnReport.CheckText(kept));
        Assert.StartsWith("CHANGED ✗", PnnReport.CheckText(changed));
        Assert.Equal("−29.00 pts", PnnReport.ChangeText(0.99, 0.7, false, false));
        Assert.Equal("unchanged", PnnReport.ChangeText(0.99, 0.99, true, false));
    }

    // ---- Command ------------------------------------------------------------------------------------------------

    private static JsonElement Summary(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json"))).RootElement;

    [Fact]
    public void Command_keeps_earlier_tasks_bit_identical_while_fine_tuning_changes_them()
    {
        using var dir = new TempDirectory();
        var (code, text, error) = SamplesHarness.Run("pnn", "--steps", "5", "--hidden", "16", "--eval-every", "5", "--threads", "1", "--out", dir.Path);
        Assert.True(code == 0, text + error);
        Assert.Contains("After task 5/5 (8/9)", text);
        Assert.Contains("unchanged ✓", text);
        Assert.DoesNotContain("CHANGED", text);
        Assert.Contains("Forgetting: none — all 10 later checks of earlier tasks were bit-identical", text);
        Assert.Contains("Transfer", text);
        Assert.True(File.Exists(dir.File("pnn.mdl")));

        var summary = Summary(dir.Path);
        Assert.True(summary.GetProperty("allEarlierTasksBitIdentical").GetBoolean());
        // Task 0: the network's first column, the fresh column and the fine-tuned column start alike and see the same batches.
        var first = summary.GetProperty("pnnAccuracy").GetProperty("0/1").GetDouble();
        Assert.Equal(first, summary.GetProperty("freshAccuracy").GetProperty("0/1").GetDouble());
        Assert.Equal(first, summary.GetProperty("fineTuningAccuracyWhenTrained").GetProperty("0/1").GetDouble());
        // Later columns pay for their adapters: more trainable parameters than the first.
        var trainable = summary.GetProperty("trainableParametersPerColumn");
        Assert.Equal(784 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2, trainable.GetProperty("0/1").GetInt64());
        Assert.True(trainable.GetProperty("2/3").GetInt64() > trainable.GetProperty("0/1").GetInt64());
        Assert.True(trainable.GetProperty("4/5").GetInt64() > trainable.GetProperty("2/3").GetInt64());
    }

    [Fact]
    public void Command_stopped_before_a_step_checkpoints_and_exits_with_130()
    {
        using var dir = new TempDirectory();
        using var stop = new System.Threading.CancellationTokenSource();
        stop.Cancel();
        var (code, text, _) = SamplesHarness.Run(stop.Token, "pnn", "--steps", "5", "--hidden", "16", "--threads", "1", "--out", dir.Path);
        Assert.True(code == 130, text);
        Assert.Contains("Stopped at step 0 of 75", text);
        Assert.True(File.Exists(dir.File("checkpoint.mdl")));
    }

    [Fact]
    public void Command_explains_a_missing_fashion_mnist()
    {
        using var empty = new TempDirectory();
        using var location = new FashionMnistLocation(empty.Path);
        SamplesHarness.AssertRefused(SamplesHarness.Run("pnn", "--sequence", "mnist-fashion", "--steps", "1", "--out", empty.File("out")), "dataset-fashion-mnist");
    }
}
