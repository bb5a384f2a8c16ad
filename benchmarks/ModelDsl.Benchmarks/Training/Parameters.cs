using System;
using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Training;

internal static class Parameters
{
    /// <summary>Elements of every parameter of <paramref name="module"/> (models without tied weights).</summary>
    public static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>
    /// Copies every parameter and buffer of <paramref name="from"/> into the one of <paramref name="to"/> whose name,
    /// mapped by <paramref name="rename"/>, is the same, so that two implementations of one model start equal.
    /// </summary>
    public static void Copy(nn.Module from, nn.Module to, Func<string, string>? rename = null)
    {
        rename ??= name => name;
        var source = from.state_dict();
        using var noGrad = no_grad();
        foreach (var (name, target) in to.state_dict())
        {
            if (!source.TryGetValue(rename(name), out var value))
                throw new InvalidOperationException($"'{from.GetName()}' has no '{rename(name)}' for '{to.GetName()}.{name}'.");
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidOperationException($"'{name}': shapes differ.");
            target.copy_(value);
        }
    }
}
