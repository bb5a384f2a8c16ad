using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.IO;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

public sealed class CheckpointTests
{
    private static readonly CheckpointMetadata Metadata = new()
    {
        Step = 3,
        Seed = 1337,
        LossHistory = [2.5, 2.25, double.NaN],
        Properties = new Dictionary<string, string> { ["vocabulary"] = " !abc" },
    };

    [Fact]
    public void RoundTripGivesIdenticalOutputsAndMetadata()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.ckpt");
        using var trained = TestModels.Mlp(seed: 1);
        using var optimizer = optim.Adam(trained.parameters(), lr: 0.01);
        Train(trained, optimizer, steps: 3);
        Checkpoint.Save(path, trained, Metadata, optimizer);

        using var fresh = TestModels.Mlp(seed: 2);
        var info = Checkpoint.Load(path, fresh);

        using var input = TestModels.Input();
        using var expected = trained.call(input);
        using var actual = fresh.call(input);
        Assert.True(TensorAssert.Same(expected, actual));
        Assert.Equal(TestModels.Snapshot(trained), TestModels.Snapshot(fresh));

        Assert.Equal(3, info.Metadata.Step);
        Assert.Equal(1337, info.Metadata.Seed);
        Assert.Equal(Metadata.LossHistory, info.Metadata.LossHistory);
        Assert.Equal(" !abc", info.Metadata.Properties["vocabulary"]);
        Assert.Equal(typeof(Sequential).FullName, info.ModelType);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], info.Signature.Select(s => s.Name));
        Assert.Equal(typeof(Adam).FullName, info.OptimizerType);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void OptimizerAndRngStateResumeExactly()
    {
        using var dir = new TempDirectory();
        var path = dir.File("resume.ckpt");
        using var original = TestModels.Mlp(seed: 1);
        using var originalOptimizer = optim.Adam(original.parameters(), lr: 0.01);
        Train(original, originalOptimizer, steps: 2);
        Checkpoint.Save(path, original, Metadata, originalOptimizer);
        using var drawnAfterSave = rand(3);
        Train(original, originalOptimizer, steps: 2);

        using var resumed = TestModels.Mlp(seed: 9);
        using var resumedOptimizer = optim.Adam(resumed.parameters(), lr: 0.5);
        Checkpoint.Load(path, resumed, resumedOptimizer);
        using var drawnAfterLoad = rand(3);
        Train(resumed, resumedOptimizer, steps: 2);

        Assert.True(TensorAssert.Same(drawnAfterSave, drawnAfterLoad));
        Assert.Equal(0.01, resumedOptimizer.ParamGroups.Single().LearningRate);
        Assert.Equal(TestModels.Snapshot(original), TestModels.Snapshot(resumed));
    }

    [Fact]
    public void FailedWriteLeavesPreviousCheckpointIntact()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.ckpt");
        using var first = TestModels.Mlp(seed: 1);
        Checkpoint.Save(path, first, Metadata);
        var before = File.ReadAllBytes(path);

        using var second = TestModels.Mlp(seed: 2);
        Assert.Throws<IOException>(() =>
            AtomicFile.Write(path, stream => Checkpoint.Write(new ThrowingStream(stream, limit: 200), second, Metadata)));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"));
        using var restored = TestModels.Mlp(seed: 3);
        Checkpoint.Load(path, restored);
        Assert.Equal(TestModels.Snapshot(first), TestModels.Snapshot(restored));
    }

    [Fact]
    public void LeftoverTempFileIsIgnoredAndReplaced()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.ckpt");
        using var first = TestModels.Mlp(seed: 1);
        Checkpoint.Save(path, first, Metadata);
        File.WriteAllText(path + ".tmp", "half a checkpoint from a crashed run");

        using var loaded = TestModels.Mlp(seed: 2);
        Checkpoint.Load(path, loaded);
        Assert.Equal(TestModels.Snapshot(first), TestModels.Snapshot(loaded));

        using var second = TestModels.Mlp(seed: 4);
        Checkpoint.Save(path, second, Metadata with { Step = 4 });
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Equal(4, Checkpoint.ReadInfo(path).Metadata.Step);
    }

    [Fact]
    public void OtherArchitectureListsEntriesAndLeavesModelUnchanged()
    {
        using var dir = new TempDirectory();
        var path = dir.File("small.ckpt");
        using var small = TestModels.Mlp(seed: 1);
        Checkpoint.Save(path, small, Metadata);

        using var wide = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2), nn.Linear(2, 2));
        var before = TestModels.Snapshot(wide);
        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(path, wide));

        Assert.Equal(["3.weight [2, 2]", "3.bias [2]"], e.Missing);
        Assert.Empty(e.Unexpected);
        Assert.Equal(
            ["0.weight: model [16, 4], checkpoint [8, 4]", "0.bias: model [16], checkpoint [8]", "2.weight: model [2, 16], checkpoint [2, 8]"],
            e.WrongShape);
        Assert.Contains("small.ckpt does not fit this model; nothing was loaded.", e.Message);
        Assert.Contains("missing from the checkpoint (2):\n    3.weight [2, 2]", e.Message);
        Assert.Contains("0.weight: model [16, 4], checkpoint [8, 4]", e.Message);
        Assert.Equal(before, TestModels.Snapshot(wide));
    }

    [Fact]
    public void OtherModelTypeIsRejectedEvenWithMatchingNames()
    {
        using var dir = new TempDirectory();
        var path = dir.File("mlp.ckpt");
        using var mlp = TestModels.Mlp(seed: 1);
        Checkpoint.Save(path, mlp, Metadata);

        using var other = new TestModels.OtherNet();
        var before = TestModels.Snapshot(other);
        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(path, other));
        Assert.Contains($"saved from a {typeof(Sequential).FullName}, loading into a {typeof(TestModels.OtherNet).FullName}", e.Message);
        Assert.Equal(["body.0.weight [8, 4]", "body.0.bias [8]", "body.2.weight [2, 8]", "body.2.bias [2]"], e.Missing);
        Assert.Equal(before, TestModels.Snapshot(other));
    }

    [Fact]
    public void OtherOptimizerIsRejectedBeforeTheModelChanges()
    {
        using var dir = new TempDirectory();
        var path = dir.File("adam.ckpt");
        using var model = TestModels.Mlp(seed: 1);
        using var adam = optim.Adam(model.parameters());
        Checkpoint.Save(path, model, Metadata, adam);

        using var target = TestModels.Mlp(seed: 2);
        using var sgd = optim.SGD(target.parameters(), 0.1);
        var before = TestModels.Snapshot(target);
        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Load(path, target, sgd));
        Assert.Contains($"its optimizer state is for a {typeof(Adam).FullName}, not a {typeof(SGD).FullName}", e.Message);
        Assert.Equal(before, TestModels.Snapshot(target));
    }

    [Fact]
    public void EveryTruncationIsAClearErrorAndLeavesModelUnchanged()
    {
        using var model = TestModels.Mlp(seed: 1);
        using var adam = optim.Adam(model.parameters());
        using var buffer = new MemoryStream();
        Checkpoint.Write(buffer, model, Metadata, adam);
        var bytes = buffer.ToArray();

        using var target = TestModels.Mlp(seed: 2);
        var before = TestModels.Snapshot(target);
        for (var length = 0; length < bytes.Length; length += 1 + length / 50)
        {
            using var cut = new MemoryStream(bytes, 0, length);
            var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Read(cut, "cut.ckpt", target));
            Assert.StartsWith("cut.ckpt: ", e.Message);
        }
        Assert.Equal(before, TestModels.Snapshot(target));
    }

    [Fact]
    public void TruncatedFileNamesFileAndWhere()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.ckpt");
        using var model = TestModels.Mlp(seed: 1);
        Checkpoint.Save(path, model, Metadata);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..300]);

        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, TestModels.Mlp(seed: 2)));
        Assert.StartsWith("model.ckpt: the file is truncated: it ends inside ", e.Message);
    }

    [Fact]
    public void FlippedByteFailsTheChecksum()
    {
        using var model = TestModels.Mlp(seed: 1);
        using var buffer = new MemoryStream();
        Checkpoint.Write(buffer, model, Metadata);
        var bytes = buffer.ToArray();
        bytes[^100] ^= 0x40; // inside the RNG state: structurally still valid

        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Read(new MemoryStream(bytes), "flipped.ckpt", TestModels.Mlp(seed: 2)));
        Assert.Equal("flipped.ckpt: the checksum does not match: the file is corrupt", e.Message);
    }

    [Fact]
    public void NonCheckpointFileIsRejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("weights.dat");
        File.WriteAllText(path, "PK not a checkpoint");

        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.ReadInfo(path));
        Assert.Equal("weights.dat: not a ModelDsl checkpoint: expected it to start with \"MDSLCKPT\" but found 50 4B 20 6E 6F 74 20 61", e.Message);
    }

    private static void Train(Sequential model, optim.Optimizer optimizer, int steps)
    {
        using var input = TestModels.Input();
        using var target = zeros(5, 2);
        for (var i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            using var loss = nn.functional.mse_loss(model.call(input), target);
            loss.backward();
            optimizer.step();
        }
    }
}
