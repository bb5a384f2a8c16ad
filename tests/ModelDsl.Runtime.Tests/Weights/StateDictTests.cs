using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Models.Transformers;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using ModelDsl.Runtime.Tests.Models;
using static ModelDsl.Runtime.Tests.Models.ModelTestKit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Weights;

/// <summary>Strict, all-or-nothing loading of a dictionary of tensors (src/Runtime/Weights/StateDict.cs).</summary>
public sealed class StateDictTests : OneThreadTests
{
    private static Gpt TinyGpt(long seed)
    {
        manual_seed(seed);
        var gpt = new Gpt(vocab: 11, blockSize: 16, layers: 1, heads: 2, embed: 16, dropout: 0.0);
        gpt.eval();
        return gpt;
    }

    /// <summary>Copies of every state-dict entry of <paramref name="model"/>, detached from it.</summary>
    private static Dictionary<string, Tensor> CopyOfState(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    [Fact]
    public void Matching_state_dict_loads_exactly()
    {
        using var source = TinyGpt(seed: 1);
        using var target = TinyGpt(seed: 2);
        using var scope = NewDisposeScope();

        StateDict.Load(CopyOfState(source), target);

        Assert.Equal(RawState(source), RawState(target));
        var idx = randint(0, 11, new long[] { 1, 9 });
        AssertBitwiseEqual(source.Forward(idx), target.Forward(idx), "logits");
    }

    /// <summary>
    /// One exception lists a missing key, an unexpected one, a wrong shape and a wrong dtype, each with model and
    /// state-dict sizes or types; the model's parameters and buffers are bit for bit what they were.
    /// </summary>
    [Fact]
    public void Bad_state_dict_lists_every_offending_key_and_leaves_the_model_bit_for_bit_unchanged()
    {
        using var source = TinyGpt(seed: 3);
        using var target = TinyGpt(seed: 4);
        using var scope = NewDisposeScope();
        var state = CopyOfState(source);
        state.Remove("transformer.ln_f.bias");
        state.Remove("transformer.h.0.mlp.c_proj.weight");
        state["transformer.h.1.ln_1.weight"] = ones(16);
        state["transformer.h.0.attn.c_attn.weight"] = zeros(40, 16);
        state["transformer.h.0.ln_2.bias"] = zeros(17);
        state["transformer.wpe.weight"] = state["transformer.wpe.weight"].to(ScalarType.Float64);
        var before = RawState(target);

        var e = Assert.Throws<StateDictMismatchException>(() => StateDict.Load(state, target));

        Assert.Equal(["transformer.h.0.mlp.c_proj.weight [16, 64] Float32", "transformer.ln_f.bias [16] Float32"], e.Missing.Order(StringComparer.Ordinal));
        Assert.Equal(["transformer.h.1.ln_1.weight [16] Float32"], e.Unexpected);
        Assert.Equal(
            ["transformer.h.0.attn.c_attn.weight: model [48, 16], state dict [40, 16]", "transformer.h.0.ln_2.bias: model [16], state dict [17]"],
            e.WrongShape.Order(StringComparer.Ordinal));
        Assert.Equal(["transformer.wpe.weight: model Float32, state dict Float64"], e.WrongDType);
        Assert.Empty(e.ConflictingTies);
        Assert.Equal("the state dict", e.SourceName);

        Assert.StartsWith("the state dict does not fit this Gpt; nothing was loaded.", e.Message);
        foreach (var entry in e.Missing.Concat(e.Unexpected).Concat(e.WrongShape).Concat(e.WrongDType))
            Assert.Contains("\n    " + entry, e.Message);
        Assert.Contains("\n  missing (2):", e.Message);
        Assert.Contains("\n  unexpected (1):", e.Message);
        Assert.Contains("\n  wrong shape (2):", e.Message);
        Assert.Contains("\n  wrong dtype (1):", e.Message);

        Assert.Equal(before, RawState(target));
    }

    /// <summary>Any one name of a tied tensor is enough; with neither, both are missing.</summary>
    [Fact]
    public void Tied_tensor_needs_one_of_its_names()
    {
        using var source = TinyGpt(seed: 5);
        using var scope = NewDisposeScope();

        foreach (var dropped in new[] { "transformer.wte.weight", "lm_head.weight" })
        {
            using var target = TinyGpt(seed: 6);
            var state = CopyOfState(source);
            state.Remove(dropped);
            StateDict.Load(state, target, name: $"state without {dropped}");
            Assert.Equal(RawState(source), RawState(target));
            Assert.Equal(target.TokenEmbedding.weight!.storage<float>().data_ptr(), target.LmHead.weight!.storage<float>().data_ptr());
        }

        using var untouched = TinyGpt(seed: 7);
        var neither = CopyOfState(source);
        neither.Remove("transformer.wte.weight");
        neither.Remove("lm_head.weight");
        var e = Assert.Throws<StateDictMismatchException>(() => StateDict.Load(neither, untouched));
        Assert.Equal(["transformer.wte.weight [11, 16] Float32", "lm_head.weight [11, 16] Float32"], e.Missing);
    }

    /// <summary>A model cannot hold two values in one tensor: refused, rather than PyTorch's last-copy-wins.</summary>
    [Fact]
    public void Tied_names_with_different_values_are_refused()
    {
        using var source = TinyGpt(seed: 8);
        using var target = TinyGpt(seed: 9);
        using var scope = NewDisposeScope();
        var state = CopyOfState(source);
        state["transformer.wte.weight"] = state["transformer.wte.weight"] * 2f;
        var before = RawState(target);

        var e = Assert.Throws<StateDictMismatchException>(() => StateDict.Load(state, target));

        Assert.Equal(["transformer.wte.weight = lm_head.weight: one tensor in the model, different values in the state dict"], e.ConflictingTies);
        Assert.Empty(e.Missing);
        Assert.Equal(before, RawState(target));
    }

    [Fact]
    public void Nan_in_both_tied_names_is_not_a_conflict()
    {
        using var source = TinyGpt(seed: 10);
        using var target = TinyGpt(seed: 11);
        using var scope = NewDisposeScope();
        var state = CopyOfState(source);
        state["transformer.wte.weight"][2, 3] = tensor(float.NaN);
        state["lm_head.weight"][2, 3] = tensor(float.NaN);

        StateDict.Load(state, target);

        Assert.True(float.IsNaN(target.LmHead.weight![2, 3].item<float>()));
    }
}
