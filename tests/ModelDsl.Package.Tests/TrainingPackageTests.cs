using System.Globalization;
using System.Linq;
using Xunit;

namespace ModelDsl.Package.Tests;

/// <summary>
/// The ModelDsl.Training package alone (with a TorchSharp backend) from a fresh application: its own model, built by
/// the generator that comes with the package's dependency, trains on a character data set under the learning-rate
/// schedule and the loss guard, and resumes from a checkpoint; the metrics score logits.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed class TrainingPackageTests(PackageFeed feed)
{
    private const string Program = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using ModelDsl;
        using ModelDsl.Data;
        using ModelDsl.Metrics;
        using ModelDsl.Training;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        var random = Seeding.Seed(1);
        File.WriteAllText("text.txt", string.Concat(Enumerable.Repeat("to be or not to be, that is the question. ", 40)));
        using var data = CharDataset.Load("text.txt", blockSize: 8);
        var vocab = data.Tokenizer.VocabularySize;
        using var model = new CharModel(vocab);
        var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        var schedule = new LearningRateSchedule(maxLearningRate: 2e-2, minLearningRate: 2e-3, warmupSteps: 5, decaySteps: 60);
        var losses = new List<double>();
        for (var step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            schedule.Apply(optimizer, step);
            var (x, y) = data.GetBatch(TextSplit.Train, batchSize: 16, random);
            var loss = nn.functional.cross_entropy(model.forward(x).view(-1, vocab), y.view(-1));
            losses.Add(LossGuard.Check(loss, step));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        Console.WriteLine($"loss {losses[0]:F3} {losses[^1]:F3}");

        Checkpoint.Save("run.ckpt", model, new CheckpointMetadata { Step = 60, Seed = 1, LossHistory = losses }, optimizer);
        using var resumed = new CharModel(vocab);
        var info = Checkpoint.Load("run.ckpt", resumed, optim.AdamW(resumed.parameters(), lr: 1e-2));
        var same = model.parameters().Zip(resumed.parameters()).All(pair => pair.First.equal(pair.Second).all().item<bool>());
        Console.WriteLine($"resumed at step {info.Metadata.Step} with {info.Metadata.LossHistory.Count} losses, same weights {same}");

        try
        {
            LossGuard.Check(double.NaN, 61);
        }
        catch (NonFiniteLossException e)
        {
            Console.WriteLine($"guard stopped step {e.Step}");
        }

        // Ten classes predicted with certainty, each as often: the score is the number of classes.
        var confident = eye(10).repeat(10, 1) * 50;
        Console.WriteLine($"inception score {InceptionScore.Compute(confident, splits: 2).Mean:F2}");

        [Model]
        public sealed partial class CharModel
        {
            public partial CharModel(int vocab);

            [Embedding("vocab", 32), ReLU] partial Embedding Embed { get; }
            [Linear("vocab")]              partial Linear Head { get; }

            [return: Shape("B", "T", "vocab")]
            public partial Tensor Forward([Shape("B", "T")] Tensor idx);
        }
        """;

    [Fact]
    public void Fresh_console_project_trains_checkpoints_and_scores_with_the_training_package()
    {
        feed.AssertPacked();
        var folder = feed.CreateConsumer("Training", Program, "ModelDsl.Training");

        var run = feed.Dotnet(folder, "run");

        Assert.True(run.ExitCode == 0, run.ToString());
        var losses = run.Output.Split('\n').Single(line => line.StartsWith("loss ", System.StringComparison.Ordinal)).Split(' ')[1..]
            .Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(losses[1] < losses[0] / 2, $"The loss should fall by half at least: {losses[0]} to {losses[1]}.");
        Assert.Contains("resumed at step 60 with 60 losses, same weights True", run.Output);
        Assert.Contains("guard stopped step 61", run.Output);
        Assert.Contains("inception score 10.00", run.Output);
    }
}
