using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Weights;

/// <summary>
/// Strict, all-or-nothing loading of a state dict (names as <c>state_dict()</c> gives them, e.g.
/// <c>h.0.attn.c_attn.weight</c>) into a model.
/// </summary>
public static class StateDict
{
    /// <summary>
    /// Copies <paramref name="state"/> into <paramref name="model"/>'s parameters and persistent buffers, after
    /// checking that it has every entry of the model, no other entry, and each entry's exact shape and dtype.
    /// </summary>
    /// <param name="state">The tensors by state-dict name, on any device; they are copied, not kept.</param>
    /// <param name="model">Its tensors are overwritten in place (they keep their device).</param>
    /// <param name="name">Names the state dict in the exception's message.</param>
    /// <remarks>
    /// A tied tensor (the GPT's <c>lm_head.weight</c>, which is <c>wte.weight</c>) needs only one of its names; when
    /// several are given, their values must agree. Unlike PyTorch's <c>load_state_dict</c>, a dtype difference is an
    /// error rather than a silent conversion.
    /// </remarks>
    /// <exception cref="StateDictMismatchException">
    /// Entries are missing, unexpected, of the wrong shape or dtype, or tied but different. Every one is listed, and
    /// nothing was copied.
    /// </exception>
    public static void Load(IReadOnlyDictionary<string, Tensor> state, nn.Module model, string name = "the state dict")
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(model);
        Load(state, new StateDictCheck(model), name, "state dict");
    }

    /// <summary>Checks <paramref name="state"/> against the model of <paramref name="check"/>, then copies it in.</summary>
    internal static void Load(IReadOnlyDictionary<string, Tensor> state, StateDictCheck check, string name, string label)
    {
        var found = state.Select(kv => new TensorSignature(kv.Key, kv.Value.shape, kv.Value.dtype)).ToList();
        check.ThrowIfMismatched(found, name, label, state);

        // Everything that could refuse the load has been checked: from here on, only copies.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (key, target) in check.Target)
        {
            if (state.TryGetValue(key, out var source))
                target.copy_(source);
        }
    }
}
