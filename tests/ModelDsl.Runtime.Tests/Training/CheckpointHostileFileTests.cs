using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ModelDsl.Models.Transformers;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Runtime.Tests.Models;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// Checkpoints damaged or forged the ways that once got through: each is refused with one clear exception naming the
/// file, and the model, the optimizer and libtorch's generator are left bit for bit as they were.
/// </summary>
public sealed class CheckpointHostileFileTests : OneThreadTests
{
    private const string Name = "hostile.ckpt";

    private static readonly CheckpointMetadata Metadata = new() { Step = 2, Seed = 7 };

    /// <summary>A checkpoint of an MLP trained two steps with Adam, with optimizer and RNG state.</summary>
    private static byte[] Saved(bool amsgrad = false)
    {
        using var model = TestModels.Mlp(seed: 1);
        using var adam = optim.Adam(model.parameters(), lr: 0.01, amsgrad: amsgrad);
        LoadTarget.Step(model, adam, steps: 2);
        using var buffer = new MemoryStream();
        Checkpoint.Write(buffer, model, Metadata, adam);
        return buffer.ToArray();
    }

    private static TException AssertRefusedAndUnchanged<TException>(byte[] bytes, bool amsgrad = false)
        where TException : Exception
    {
        using var target = new LoadTarget(seed: 2, amsgrad);
        var before = target.Capture();
        var e = Assert.Throws<TException>(() => Checkpoint.Read(new MemoryStream(bytes), Name, target.Model, target.Optimizer));
        Assert.Contains(Name, e.Message);
        Assert.True(target.Capture().SameAs(before), "the failed load changed the model, the optimizer or the generator");
        return e;
    }

    private static byte[] WithOptimizer(byte[] bytes, Func<byte[], byte[]> edit)
    {
        var file = CheckpointFile.Parse(bytes);
        file.Optimizer = edit(file.Optimizer!);
        return file.ToBytes();
    }

    // ---- A failed optimizer load once came after the model's tensors had been overwritten -----------------------

    [Theory]
    [InlineData("empty", "the optimizer state is truncated: it ends inside its type name")]
    [InlineData("half", "the optimizer state is truncated")]
    [InlineData("ff", "the optimizer state is corrupt at its type name")]
    public void Optimizer_state_that_cannot_be_read_changes_nothing(string damage, string expected)
    {
        var bytes = WithOptimizer(Saved(), blob => damage switch
        {
            "empty" => [],
            "half" => blob[..(blob.Length / 2)],
            _ => [.. Enumerable.Repeat((byte)0xFF, 8), .. blob[8..]],
        });
        var e = AssertRefusedAndUnchanged<InvalidDataException>(bytes);
        Assert.StartsWith($"{Name}: {expected}", e.Message);
    }

    [Fact]
    public void Optimizer_state_with_sixteen_extra_bytes_is_refused()
    {
        var bytes = WithOptimizer(Saved(), blob => [.. blob, .. new byte[16]]);
        var e = AssertRefusedAndUnchanged<InvalidDataException>(bytes);
        Assert.Equal($"{Name}: the optimizer state has 16 unexpected bytes after its last field", e.Message);
    }

    /// <summary>Bytes changed inside the optimizer state, resealed: each field that can be wrong is checked.</summary>
    [Theory]
    [InlineData("lr", "option 'lr' of parameter group #0: expected a finite number, found NaN")]
    [InlineData("amsgrad", "option 'amsgrad' of parameter group #0: expected a boolean (0 or 1), found 7")]
    [InlineData("step", "'step' of optimizer parameter #0: expected a step count, found -1")]
    [InlineData("dtype", "'exp_avg' of optimizer parameter #0: expected a Float32 tensor like its parameter, found dtype code 7")]
    [InlineData("size", "'exp_avg' of optimizer parameter #0: expected its parameter's shape [8, 4]")]
    [InlineData("count", "its parameter count: expected 4")]
    public void Corrupted_optimizer_field_is_named(string field, string expected)
    {
        // Adam's layout: "Adam" | groups | parameters | initial lr, lr, beta1, beta2, eps, weight decay | amsgrad,
        // maximize | per parameter: step | exp_avg: dtype, rank, sizes, data | …
        const int options = 1 + 4 + 1 + 1;
        const int firstState = options + 6 * 8 + 2;
        var bytes = WithOptimizer(Saved(), blob =>
        {
            var b = (byte[])blob.Clone();
            switch (field)
            {
                case "lr": BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(options + 8), double.NaN); break;
                case "amsgrad": b[options + 6 * 8] = 7; break;
                case "step": BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(firstState), -1); break;
                case "dtype": b[firstState + 8] = 7; break;
                case "size": b[firstState + 8 + 2] = 9; break;
                default: b[6] = 5; break;
            }
            return b;
        });
        var e = AssertRefusedAndUnchanged<InvalidDataException>(bytes);
        Assert.Equal($"{Name}: the optimizer state is corrupt at {expected}", e.Message);
    }

    /// <summary>Adam with amsgrad needs max_exp_avg_sq; a state without it would fail at the next step, not at loading.</summary>
    [Fact]
    public void Optimizer_state_missing_a_tensor_its_options_need_is_refused()
    {
        var bytes = WithOptimizer(Saved(amsgrad: false), blob =>
        {
            var b = (byte[])blob.Clone();
            b[1 + 4 + 1 + 1 + 6 * 8] = 1; // amsgrad on, and no max_exp_avg_sq follows
            return b;
        });
        var e = AssertRefusedAndUnchanged<InvalidDataException>(bytes, amsgrad: true);
        Assert.Equal($"{Name}: the optimizer state is corrupt at 'max_exp_avg_sq' of optimizer parameter #0: missing, but this parameter group's options need it", e.Message);
    }

    // ---- An RNG state libtorch refuses once aborted the process (exit 134): it never reaches libtorch now --------

    [Theory]
    [InlineData(0xFF, "the saved RNG state says the generator was never seeded (seeded = -1)")]
    [InlineData(0x00, "the saved RNG state says the generator was never seeded (seeded = 0)")]
    public void Rng_state_that_libtorch_would_abort_on_is_refused(byte fill, string expected)
    {
        var file = CheckpointFile.Parse(Saved());
        file.Rng = Enumerable.Repeat(fill, file.Rng!.Length).ToArray();
        var e = AssertRefusedAndUnchanged<InvalidDataException>(file.ToBytes());
        Assert.Equal($"{Name}: {expected}", e.Message);
    }

    [Theory]
    [InlineData(8, 0, "has left = 0, outside 1…624")]
    [InlineData(8, 625, "has left = 625, outside 1…624")]
    [InlineData(12, 0, "says the generator was never seeded (seeded = 0)")]
    [InlineData(16, 625, "has next = 625, past the 624 words of the state")]
    [InlineData(16, 5, "has left = 624 and next = 5; a generator's always sum to 625 once it has drawn")]
    public void Rng_state_field_outside_what_libtorch_accepts_is_named(int offset, int value, string expected)
    {
        var file = CheckpointFile.Parse(Saved());
        var rng = file.Rng!;
        BinaryPrimitives.WriteInt32LittleEndian(rng.AsSpan(8), 624);
        BinaryPrimitives.WriteInt64LittleEndian(rng.AsSpan(16), 1);
        if (offset == 16)
            BinaryPrimitives.WriteInt64LittleEndian(rng.AsSpan(16), value);
        else
            BinaryPrimitives.WriteInt32LittleEndian(rng.AsSpan(offset), value);
        var e = AssertRefusedAndUnchanged<InvalidDataException>(file.ToBytes());
        Assert.Equal($"{Name}: the saved RNG state {expected}", e.Message);
    }

    [Fact]
    public void Rng_state_is_not_checked_when_it_is_not_restored()
    {
        var file = CheckpointFile.Parse(Saved());
        file.Rng = new byte[file.Rng!.Length];
        using var target = new LoadTarget(seed: 2);
        Checkpoint.Read(new MemoryStream(file.ToBytes()), Name, target.Model, target.Optimizer, restoreRngState: false);
    }

    // ---- A corrupt name length was a raw FormatException or IOException that named no file ----------------------

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void Corrupt_name_length_is_a_clear_error_whether_or_not_the_checksum_was_redone(byte[] prefix)
    {
        var bytes = Saved();
        var at = CheckpointFile.Parse(bytes).Fields.Single(f => f.Name == "tensor 0 name length").Offset;
        var edited = bytes[..at].Concat(prefix).Concat(bytes[(at + 1)..]).ToArray();

        var plain = AssertRefusedAndUnchanged<InvalidDataException>(edited);
        Assert.Equal($"{Name}: the checksum does not match: the file is corrupt", plain.Message);
        var resealed = AssertRefusedAndUnchanged<InvalidDataException>(CheckpointFile.Reseal(edited));
        Assert.Equal($"{Name}: tensor #0 has a corrupt name", resealed.Message);
    }

    /// <summary>Nothing after the version is interpreted before the checksum matches: broken JSON reads as a corrupt file.</summary>
    [Fact]
    public void Checksum_is_verified_before_any_field_is_read()
    {
        var bytes = Saved();
        var header = CheckpointFile.Parse(bytes).Fields.Single(f => f.Name == "header");
        bytes[header.Offset] = (byte)'[';

        var e = AssertRefusedAndUnchanged<InvalidDataException>(bytes);
        Assert.Equal($"{Name}: the checksum does not match: the file is corrupt", e.Message);
        var resealed = AssertRefusedAndUnchanged<InvalidDataException>(CheckpointFile.Reseal(bytes));
        Assert.StartsWith($"{Name}: the JSON header is corrupt", resealed.Message);
    }

    [Fact]
    public void Bytes_between_the_rng_state_and_the_checksum_are_refused()
    {
        var bytes = Saved();
        var withExtra = CheckpointFile.Reseal([.. bytes[..^CheckpointFile.ChecksumLength], 1, 2, 3, .. new byte[CheckpointFile.ChecksumLength]]);
        var e = AssertRefusedAndUnchanged<InvalidDataException>(withExtra);
        Assert.Equal($"{Name}: the file has 3 unexpected bytes between the RNG state and the checksum", e.Message);
    }

    // ---- A tensor's dtype was never checked: Int32 bytes loaded as converted integers, Float64 loaded -------------

    [Theory]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Float64)]
    public void Tensor_of_another_dtype_is_refused(ScalarType dtype)
    {
        var file = CheckpointFile.Parse(Saved());
        var weight = file["0.weight"];
        using (var converted = tensor(weight.Data.Chunk(4).Select(b => BitConverter.ToSingle(b)).ToArray()).to_type(dtype))
            file.Replace("0.weight", weight with { DType = (int)dtype, Data = converted.bytes.ToArray() });

        var e = AssertRefusedAndUnchanged<CheckpointMismatchException>(file.ToBytes());
        Assert.Equal([$"0.weight: model Float32, checkpoint {dtype}"], e.WrongDType);
        Assert.Contains($"wrong dtype (1):\n    0.weight: model Float32, checkpoint {dtype}", e.Message);
    }

    // ---- Tied copies that differ loaded with the last one winning; safetensors refuses the same file -------------

    [Fact]
    public void Tied_copies_with_different_values_are_refused()
    {
        manual_seed(3);
        using var source = new Gpt(vocab: 11, blockSize: 8, layers: 1, heads: 2, embed: 8, dropout: 0.0);
        using var buffer = new MemoryStream();
        Checkpoint.Write(buffer, source, Metadata);
        var file = CheckpointFile.Parse(buffer.ToArray());
        var head = file["lm_head.weight"];
        var changed = (byte[])head.Data.Clone();
        changed[0] ^= 0x01;
        file.Replace("lm_head.weight", head with { Data = changed });

        manual_seed(4);
        using var target = new Gpt(vocab: 11, blockSize: 8, layers: 1, heads: 2, embed: 8, dropout: 0.0);
        var before = TestModels.Snapshot(target);
        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Read(new MemoryStream(file.ToBytes()), Name, target));
        Assert.Equal(["transformer.wte.weight = lm_head.weight: one tensor in the model, different values in the checkpoint"], e.ConflictingTies);
        Assert.Contains("tied but different (1):", e.Message);
        Assert.Equal(before, TestModels.Snapshot(target));

        // The untouched file loads, tie and all.
        Checkpoint.Read(new MemoryStream(buffer.ToArray()), Name, target);
        Assert.Equal(TestModels.Snapshot(source), TestModels.Snapshot(target));
    }

    // ---- Optimizers and paths --------------------------------------------------------------------------------------

    private sealed class CustomSgd(IEnumerable<Parameter> parameters) : SGD(parameters, 0.1);

    [Fact]
    public void Optimizer_whose_state_cannot_be_checked_is_refused_when_saving()
    {
        using var model = TestModels.Mlp(seed: 1);
        using var optimizer = new CustomSgd(model.parameters());
        var e = Assert.Throws<NotSupportedException>(() => Checkpoint.Write(new MemoryStream(), model, Metadata, optimizer));
        Assert.Contains($"cannot hold the state of a {typeof(CustomSgd).FullName}", e.Message);
        Assert.Contains("Adam, AdamW", e.Message);
    }

    [Fact]
    public void Folder_in_place_of_the_file_says_so()
    {
        using var dir = new TempDirectory();
        using var model = TestModels.Mlp(seed: 1);
        var e = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(dir.Path, model));
        Assert.Equal($"'{dir.Path}' is a folder, not a checkpoint file.", e.Message);
        e = Assert.Throws<FileNotFoundException>(() => Checkpoint.ReadInfo(dir.File("missing.ckpt")));
        Assert.Equal($"There is no file at '{dir.File("missing.ckpt")}' (a checkpoint file was expected).", e.Message);
    }
}
