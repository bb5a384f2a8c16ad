using System;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Weight tying (<c>TiedTo = …</c>): an output head and an embedding, two embeddings, or two linear layers, hold one weight
/// Parameter, counted once and trained once. Generated constructors tie with <c>Share</c>, and generated models tie
/// again after <c>to()</c>, <c>cuda()</c> and <c>cpu()</c>, which convert each module's parameters separately and would
/// otherwise leave two tensors where PyTorch, converting in place, keeps one.
/// </summary>
public static class TiedWeights
{
    /// <summary>Gives <paramref name="target"/> (an Embedding or a Linear) the weight Parameter of <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">The target is neither, or the weights' shapes differ.</exception>
    public static void Share(Linear source, nn.Module target)
    {
        var weight = source.weight ?? throw new ArgumentException($"Linear '{source.GetName()}' has no weight to share.", nameof(source));
        switch (target)
        {
            case Embedding embedding:
                RequireShape(embedding.weight, weight, target);
                embedding.weight = weight;
                break;
            case Linear linear:
                RequireShape(linear.weight, weight, target);
                linear.weight = weight;
                break;
            default:
                throw new ArgumentException($"Only an Embedding or a Linear can share a Linear's weight, not {target.GetType().Name} '{target.GetName()}'.", nameof(target));
        }
    }

    /// <summary>Gives <paramref name="target"/> (an Embedding) the weight Parameter of <paramref name="source"/>, another Embedding.</summary>
    /// <exception cref="ArgumentException">The weights' shapes differ.</exception>
    public static void Share(Embedding source, Embedding target)
    {
        var weight = source.weight ?? throw new ArgumentException($"Embedding '{source.GetName()}' has no weight to share.", nameof(source));
        RequireShape(target.weight, weight, target);
        target.weight = weight;
    }

    private static void RequireShape(Tensor? current, Tensor weight, nn.Module target)
    {
        if (current is not null && !current.shape.AsSpan().SequenceEqual(weight.shape))
            throw new ArgumentException($"'{target.GetName()}' has a weight of shape {ShapeMismatchException.Format(current.shape)}, the shared one {ShapeMismatchException.Format(weight.shape)}.", nameof(target));
    }
}
