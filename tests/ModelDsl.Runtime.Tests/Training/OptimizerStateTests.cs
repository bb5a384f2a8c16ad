using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ModelDsl.Runtime.Tests.Models;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// The optimizer-state check knows each of TorchSharp's optimizers field by field: the state each one writes after
/// training passes it, and restores exactly into a fresh optimizer of the same kind.
/// </summary>
public sealed class OptimizerStateTests : OneThreadTests
{
    public static TheoryData<string> Optimizers() =>
        ["SGD", "SGD momentum", "Adam", "Adam amsgrad", "AdamW", "AdamW amsgrad", "Adamax", "NAdam", "RAdam", "RMSProp", "RMSProp momentum centered", "Rprop", "Adagrad", "Adadelta", "ASGD"];

    private static OptimizerHelper Create(string kind, IEnumerable<Parameter> parameters) => kind switch
    {
        "SGD" => optim.SGD(parameters, 0.1),
        "SGD momentum" => optim.SGD(parameters, 0.1, momentum: 0.9),
        "Adam" => optim.Adam(parameters, 0.01),
        "Adam amsgrad" => optim.Adam(parameters, 0.01, amsgrad: true),
        "AdamW" => optim.AdamW(parameters, 0.01),
        "AdamW amsgrad" => optim.AdamW(parameters, 0.01, amsgrad: true),
        "Adamax" => optim.Adamax(parameters, 0.01),
        "NAdam" => optim.NAdam(parameters, 0.01),
        "RAdam" => optim.RAdam(parameters, 0.01),
        "RMSProp" => optim.RMSProp(parameters, 0.01),
        "RMSProp momentum centered" => optim.RMSProp(parameters, 0.01, momentum: 0.5, centered: true),
        "Rprop" => optim.Rprop(parameters, 0.01),
        "Adagrad" => optim.Adagrad(parameters, 0.01),
        "Adadelta" => optim.Adadelta(parameters, 1.0),
        "ASGD" => optim.ASGD(parameters, 0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] StateOf(OptimizerHelper optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            optimizer.save_state_dict(writer);
        return buffer.ToArray();
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Trained_state_passes_the_check_and_restores_exactly(string kind)
    {
        using var model = TestModels.Mlp(seed: 1);
        using var optimizer = Create(kind, model.parameters());
        LoadTarget.Step(model, optimizer, steps: 3);
        using var buffer = new MemoryStream();
        Checkpoint.Write(buffer, model, new CheckpointMetadata { Step = 3 }, optimizer);

        using var fresh = TestModels.Mlp(seed: 2);
        using var freshOptimizer = Create(kind, fresh.parameters());
        Checkpoint.Read(new MemoryStream(buffer.ToArray()), "optimizer.ckpt", fresh, freshOptimizer, restoreRngState: false);

        Assert.Equal(StateOf(optimizer), StateOf(freshOptimizer));
        LoadTarget.Step(model, optimizer, steps: 1);
        LoadTarget.Step(fresh, freshOptimizer, steps: 1);
        Assert.Equal(TestModels.Snapshot(model), TestModels.Snapshot(fresh));
    }

    /// <summary>A cut anywhere in the optimizer state is named as a truncation of it; nothing changes.</summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Every_cut_of_the_optimizer_state_is_refused(string kind)
    {
        using var model = TestModels.Mlp(seed: 1);
        using var optimizer = Create(kind, model.parameters());
        LoadTarget.Step(model, optimizer, steps: 2);
        using var buffer = new MemoryStream();
        Checkpoint.Write(buffer, model, new CheckpointMetadata(), optimizer);
        var file = CheckpointFile.Parse(buffer.ToArray());
        var blob = file.Optimizer!;

        using var target = TestModels.Mlp(seed: 2);
        using var targetOptimizer = Create(kind, target.parameters());
        var modelBefore = TestModels.Snapshot(target);
        var optimizerBefore = StateOf(targetOptimizer);
        for (var length = 0; length < blob.Length; length += 1 + length / 8)
        {
            file.Optimizer = blob[..length];
            var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Read(new MemoryStream(file.ToBytes()), "cut.ckpt", target, targetOptimizer, restoreRngState: false));
            Assert.StartsWith("cut.ckpt: the optimizer state is truncated: it ends inside ", e.Message);
        }
        Assert.Equal(modelBefore, TestModels.Snapshot(target));
        Assert.Equal(optimizerBefore, StateOf(targetOptimizer));
    }
}
