using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Models.Dcgan;
using ModelDsl.Models.Transformers;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using ModelDsl.Runtime.Tests.Models;
using static ModelDsl.Runtime.Tests.Models.ModelTestKit;
using static TorchSharp.torch;
using PyBridgeSafetensors = TorchSharp.PyBridge.Safetensors;

namespace ModelDsl.Runtime.Tests.Weights;

/// <summary>Weights of generated models through safetensors files (src/Runtime/Weights).</summary>
public sealed class SafetensorsFileTests : OneThreadTests
{
    private static Gpt TinyGpt(long seed, int vocab = 11, int layers = 2)
    {
        manual_seed(seed);
        var gpt = new Gpt(vocab: vocab, blockSize: 16, layers: layers, heads: 2, embed: 16, dropout: 0.0);
        gpt.eval();
        return gpt;
    }

    /// <summary>A small generator whose BatchNorm running statistics have moved off their defaults.</summary>
    private static DcganGenerator TinyGenerator(long seed)
    {
        manual_seed(seed);
        var generator = new DcganGenerator(noise: 8, channels: 1, size: 8, width: 2);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            for (var i = 0; i < 3; i++)
                generator.Forward(randn(4, 8));
        }
        generator.eval();
        return generator;
    }

    // ---- Round trips -------------------------------------------------------------------------------------------

    [Fact]
    public void Gpt_round_trip_gives_identical_logits_and_keeps_the_tie()
    {
        using var dir = new TempDirectory();
        var path = dir.File("gpt.safetensors");
        using var saved = TinyGpt(seed: 1);
        SafetensorsFile.Save(path, saved);

        using var loaded = TinyGpt(seed: 2);
        SafetensorsFile.Load(path, loaded);

        using var scope = NewDisposeScope();
        var idx = randint(0, 11, new long[] { 2, 12 });
        AssertBitwiseEqual(saved.Forward(idx), loaded.Forward(idx), "logits");
        Assert.Equal(RawState(saved), RawState(loaded));
        Assert.Equal(loaded.TokenEmbedding.weight!.storage<float>().data_ptr(), loaded.LmHead.weight!.storage<float>().data_ptr());
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Dcgan_generator_round_trip_gives_identical_images_with_its_batchnorm_statistics()
    {
        using var dir = new TempDirectory();
        var path = dir.File("generator.safetensors");
        using var saved = TinyGenerator(seed: 3);
        SafetensorsFile.Save(path, saved);

        using var loaded = TinyGenerator(seed: 4);
        Assert.NotEqual(RawState(saved), RawState(loaded));
        SafetensorsFile.Load(path, loaded);

        using var scope = NewDisposeScope();
        var z = randn(5, 8);
        AssertBitwiseEqual(saved.Forward(z), loaded.Forward(z), "images");
        Assert.Equal(RawState(saved), RawState(loaded));
    }

    // ---- The file as PyTorch sees it ---------------------------------------------------------------------------

    /// <summary>
    /// The header has exactly the state-dict names PyTorch's nanoGPT layout gives (without its "transformer."
    /// prefix), F32 with the PyTorch shapes (Linear weights [out, in]), offsets that tile the data section, and each
    /// tensor's bytes. The tied head is written under both names, with the same bytes, so that
    /// <c>model.load_state_dict(load_file(path))</c> finds every key of PyTorch's <c>state_dict()</c>.
    /// </summary>
    [Fact]
    public void Gpt_file_header_has_the_pytorch_names_dtypes_and_shapes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("gpt.safetensors");
        using var gpt = TinyGpt(seed: 5);
        SafetensorsFile.Save(path, gpt);

        var file = SafetensorsLayout.Read(path);
        var expected = new Dictionary<string, long[]>
        {
            ["transformer.wte.weight"] = [11, 16],
            ["transformer.wpe.weight"] = [16, 16],
            ["transformer.ln_f.weight"] = [16],
            ["transformer.ln_f.bias"] = [16],
            ["lm_head.weight"] = [11, 16],
        };
        for (var layer = 0; layer < 2; layer++)
        {
            var h = $"transformer.h.{layer}.";
            expected[h + "ln_1.weight"] = [16];
            expected[h + "ln_1.bias"] = [16];
            expected[h + "attn.c_attn.weight"] = [48, 16];
            expected[h + "attn.c_attn.bias"] = [48];
            expected[h + "attn.c_proj.weight"] = [16, 16];
            expected[h + "attn.c_proj.bias"] = [16];
            expected[h + "ln_2.weight"] = [16];
            expected[h + "ln_2.bias"] = [16];
            expected[h + "mlp.c_fc.weight"] = [64, 16];
            expected[h + "mlp.c_fc.bias"] = [64];
            expected[h + "mlp.c_proj.weight"] = [16, 64];
            expected[h + "mlp.c_proj.bias"] = [16];
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), file.Entries.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in expected)
        {
            Assert.Equal("F32", file.Entries[name].DType);
            Assert.Equal(shape, file.Entries[name].Shape);
        }
        AssertOffsetsTileTheData(file);

        var state = gpt.state_dict();
        foreach (var name in expected.Keys)
            Assert.True(Bytes(state[name]).AsSpan().SequenceEqual(file.Bytes(name)), $"{name}: bytes differ");
        Assert.Equal(file.Bytes("transformer.wte.weight"), file.Bytes("lm_head.weight"));
    }

    /// <summary>BatchNorm's running statistics are there too: running_mean/var F32, num_batches_tracked an I64 scalar.</summary>
    [Fact]
    public void Dcgan_generator_file_header_has_parameters_and_batchnorm_buffers()
    {
        using var dir = new TempDirectory();
        var path = dir.File("generator.safetensors");
        using var generator = TinyGenerator(seed: 6);
        SafetensorsFile.Save(path, generator);

        var file = SafetensorsLayout.Read(path);
        var expected = new Dictionary<string, (string DType, long[] Shape)>
        {
            ["project.weight"] = ("F32", [32, 8]),
            ["up1.weight"] = ("F32", [8, 4, 5, 5]),
            ["up2.weight"] = ("F32", [4, 2, 5, 5]),
            ["up3.weight"] = ("F32", [2, 1, 5, 5]),
            ["up3.bias"] = ("F32", [1]),
        };
        foreach (var (norm, width) in new[] { ("norm0", 32L), ("norm1", 4L), ("norm2", 2L) })
        {
            expected[norm + ".weight"] = ("F32", [width]);
            expected[norm + ".bias"] = ("F32", [width]);
            expected[norm + ".running_mean"] = ("F32", [width]);
            expected[norm + ".running_var"] = ("F32", [width]);
            expected[norm + ".num_batches_tracked"] = ("I64", []);
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), file.Entries.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (dtype, shape)) in expected)
        {
            Assert.Equal(dtype, file.Entries[name].DType);
            Assert.Equal(shape, file.Entries[name].Shape);
        }
        Assert.Equal(3L, BitConverter.ToInt64(file.Bytes("norm0.num_batches_tracked")));
        AssertOffsetsTileTheData(file);
        Assert.Equal(file.Order, SafetensorsFile.ReadSignature(path).Select(s => s.Name));
    }

    private static void AssertOffsetsTileTheData(SafetensorsLayout file)
    {
        long end = 0;
        foreach (var entry in file.Entries.Values.OrderBy(e => e.Begin))
        {
            Assert.Equal(end, entry.Begin);
            end = entry.End;
        }
        Assert.Equal(end, file.Data.LongLength);
    }

    // ---- Tied weights ------------------------------------------------------------------------------------------

    /// <summary>
    /// PyTorch's <c>safetensors.torch.save_model</c> keeps one name per shared tensor (for this model
    /// <c>lm_head.weight</c>, the first in sorted order), records the dropped one in <c>__metadata__</c> and pads
    /// the header to 8 bytes. Such a file loads: the kept name fills the whole tie.
    /// </summary>
    [Fact]
    public void File_with_one_name_per_tied_tensor_loads_like_save_model_wrote_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("save_model.safetensors");
        using var source = TinyGpt(seed: 7);
        var state = source.state_dict();
        state.Remove("transformer.wte.weight");
        using (var buffer = new MemoryStream())
        {
            PyBridgeSafetensors.SaveStateDict(buffer, state, leaveOpen: true);
            File.WriteAllBytes(path, SafetensorsLayout.WithMetadata(buffer.ToArray(), new Dictionary<string, string> { ["transformer.wte.weight"] = "lm_head.weight" }));
        }
        var file = SafetensorsLayout.Read(path);
        Assert.Equal("lm_head.weight", file.Metadata!["transformer.wte.weight"]);
        Assert.Equal(0, file.HeaderLength % 8);
        Assert.DoesNotContain("transformer.wte.weight", file.Entries.Keys);

        using var loaded = TinyGpt(seed: 8);
        SafetensorsFile.Load(path, loaded);

        Assert.Equal(RawState(source), RawState(loaded));
        AssertBitwiseEqual(source.TokenEmbedding.weight!, loaded.TokenEmbedding.weight!, "transformer.wte.weight");
        Assert.Equal(loaded.TokenEmbedding.weight!.storage<float>().data_ptr(), loaded.LmHead.weight!.storage<float>().data_ptr());
    }

    [Fact]
    public void Tied_names_with_different_values_are_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("untied.safetensors");
        using var source = TinyGpt(seed: 9);
        using var scope = NewDisposeScope();
        var state = source.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        state["lm_head.weight"][0, 0] = state["lm_head.weight"][0, 0] + 1f;
        PyBridgeSafetensors.SaveStateDict(path, state);

        using var target = TinyGpt(seed: 10);
        var before = RawState(target);
        var e = Assert.Throws<StateDictMismatchException>(() => SafetensorsFile.Load(path, target));
        Assert.Equal(["transformer.wte.weight = lm_head.weight: one tensor in the model, different values in the file"], e.ConflictingTies);
        Assert.Contains("tied but different (1):", e.Message);
        Assert.Equal(before, RawState(target));
    }

    // ---- Files that do not fit ---------------------------------------------------------------------------------

    /// <summary>A file of another configuration: every extra layer and every resized tensor is listed; nothing changes.</summary>
    [Fact]
    public void File_of_another_configuration_lists_every_key_and_changes_nothing()
    {
        using var dir = new TempDirectory();
        var path = dir.File("gpt.safetensors");
        using var bigger = TinyGpt(seed: 11, vocab: 13, layers: 2);
        SafetensorsFile.Save(path, bigger);

        using var target = TinyGpt(seed: 12, vocab: 11, layers: 1);
        var before = RawState(target);
        var e = Assert.Throws<StateDictMismatchException>(() => SafetensorsFile.Load(path, target));

        Assert.Equal("gpt.safetensors", e.SourceName);
        Assert.Empty(e.Missing);
        Assert.Equal(12, e.Unexpected.Count);
        Assert.All(e.Unexpected, entry => Assert.StartsWith("transformer.h.1.", entry));
        Assert.Contains("transformer.h.1.attn.c_attn.weight [48, 16] Float32", e.Unexpected);
        Assert.Equal(["transformer.wte.weight: model [11, 16], file [13, 16]", "lm_head.weight: model [11, 16], file [13, 16]"], e.WrongShape);
        Assert.Empty(e.WrongDType);
        Assert.StartsWith("gpt.safetensors does not fit this Gpt; nothing was loaded.", e.Message);
        Assert.Contains("\n  unexpected (12):\n    transformer.h.1.ln_1.weight [16] Float32", e.Message);
        Assert.Contains("\n  wrong shape (2):\n    transformer.wte.weight: model [11, 16], file [13, 16]\n    lm_head.weight: model [11, 16], file [13, 16]", e.Message);
        Assert.Equal(before, RawState(target));
    }

    /// <summary>A float64 copy of the generator does not load into a float32 one: PyTorch would convert silently.</summary>
    [Fact]
    public void File_of_another_dtype_lists_every_key_and_changes_nothing()
    {
        using var dir = new TempDirectory();
        var path = dir.File("generator64.safetensors");
        using var doubled = TinyGenerator(seed: 13);
        doubled.to(ScalarType.Float64);
        SafetensorsFile.Save(path, doubled);

        using var target = TinyGenerator(seed: 14);
        var before = RawState(target);
        var e = Assert.Throws<StateDictMismatchException>(() => SafetensorsFile.Load(path, target));

        Assert.Empty(e.Missing);
        Assert.Empty(e.Unexpected);
        Assert.Empty(e.WrongShape);
        Assert.Equal(17, e.WrongDType.Count); // 5 weights and biases, 3 × (γ, β, running mean, running var)
        Assert.Contains("project.weight: model Float32, file Float64", e.WrongDType);
        Assert.Contains("norm2.running_var: model Float32, file Float64", e.WrongDType);
        Assert.DoesNotContain(e.WrongDType, entry => entry.Contains("num_batches_tracked"));
        Assert.Contains("\n  wrong dtype (17):\n    project.weight: model Float32, file Float64", e.Message);
        Assert.Equal(before, RawState(target));
    }

    // ---- Damaged files -----------------------------------------------------------------------------------------

    /// <summary>Cut anywhere (inside the length, the JSON or the data), a file is a clear error naming it, and nothing changes.</summary>
    [Fact]
    public void Every_truncation_is_a_clear_error_naming_the_file_and_changes_nothing()
    {
        using var generator = TinyGenerator(seed: 15);
        using var buffer = new MemoryStream();
        SafetensorsFile.Write(buffer, generator);
        var bytes = buffer.ToArray();

        using var target = TinyGenerator(seed: 16);
        var before = RawState(target);
        for (var length = 0; length < bytes.Length; length += 1 + length / 40)
        {
            using var cut = new MemoryStream(bytes, 0, length);
            var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(cut, "cut.safetensors", target));
            Assert.StartsWith("cut.safetensors: ", e.Message);
        }
        Assert.Equal(before, RawState(target));
    }

    [Fact]
    public void Truncated_file_says_which_file_and_how_much_is_missing()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        using var gpt = TinyGpt(seed: 17);
        SafetensorsFile.Save(path, gpt);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^100]);

        var file = SafetensorsLayout.Parse(bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Load(path, TinyGpt(seed: 18)));
        Assert.Equal(
            $"model.safetensors: the file is truncated: its tensors need {file.Data.Length:N0} bytes of data but only {file.Data.Length - 100:N0} follow the header",
            e.Message);
    }

    [Theory]
    [InlineData("not a safetensors file at all", "its header length")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}", "the JSON header is corrupt")]
    [InlineData("[1, 2]", "its header does not start with '{'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", "tensor 'a' F32 [3] should take 12 bytes but its data_offsets [0, 8] span 8")]
    [InlineData("{\"a\": {\"dtype\": \"X9\", \"shape\": [2], \"data_offsets\": [0, 8]}}", "tensor 'a' has unknown dtype 'X9'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}}", "tensor 'a' has a shape that is not a list of non-negative integers")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "tensor 'b' overlaps the tensor before it")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "the file has 4 bytes after its last tensor")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", "the header names 'a' twice")]
    [InlineData("{\"\\ud800\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "the JSON header has a string that is not valid Unicode")]
    [InlineData("{\"a\": {\"dtype\": \"F\\udc0032\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "the JSON header has a string that is not valid Unicode")]
    public void Corrupt_header_is_a_clear_error_naming_the_file(string header, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.safetensors");
        var json = System.Text.Encoding.UTF8.GetBytes(header);
        var file = header.StartsWith("not a", StringComparison.Ordinal)
            ? json
            : [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[8]];
        File.WriteAllBytes(path, file);

        using var model = nn.Linear(2, 1);
        var e = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Load(path, model));
        Assert.StartsWith("bad.safetensors: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Dtype_of_the_format_that_torchsharp_cannot_hold_is_named()
    {
        using var dir = new TempDirectory();
        var path = dir.File("fp8.safetensors");
        var json = System.Text.Encoding.UTF8.GetBytes("{\"weight\": {\"dtype\": \"F8_E4M3\", \"shape\": [2], \"data_offsets\": [0, 2]}}");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, 1, 2]);

        using var model = nn.Linear(2, 1);
        var e = Assert.Throws<NotSupportedException>(() => SafetensorsFile.Load(path, model));
        Assert.StartsWith("fp8.safetensors: tensor 'weight' has dtype F8_E4M3, which TorchSharp cannot hold", e.Message);
    }

    /// <summary>Metadata is free-form strings to the format; one that PyBridge's reader cannot take is still a clear error.</summary>
    [Fact]
    public void Metadata_that_pybridge_cannot_read_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        var path = dir.File("meta.safetensors");
        var json = System.Text.Encoding.UTF8.GetBytes(
            "{\"__metadata__\": {\"shape\": \"2\"}, \"weight\": {\"dtype\": \"F32\", \"shape\": [1, 2], \"data_offsets\": [0, 8]}, " +
            "\"bias\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[12]]);

        using var model = nn.Linear(2, 1);
        var before = RawState(model);
        var e = Assert.Throws<NotSupportedException>(() => SafetensorsFile.Load(path, model));
        Assert.StartsWith("meta.safetensors: TorchSharp.PyBridge cannot read this header", e.Message);
        Assert.Equal(before, RawState(model));
    }

    [Fact]
    public void Folder_in_place_of_the_file_says_so()
    {
        using var dir = new TempDirectory();
        using var model = nn.Linear(2, 1);
        var e = Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Load(dir.Path, model));
        Assert.Equal($"'{dir.Path}' is a folder, not a safetensors file.", e.Message);
        e = Assert.Throws<FileNotFoundException>(() => SafetensorsFile.ReadSignature(dir.Path));
        Assert.Equal($"'{dir.Path}' is a folder, not a safetensors file.", e.Message);
    }
}
