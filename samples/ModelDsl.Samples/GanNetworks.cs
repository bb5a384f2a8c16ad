using ModelDsl.Models.Dcgan;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>
/// The hyperparameters of a DCGAN pair; <paramref name="Classes"/> 0 means unconditional. <paramref name="Architecture"/>
/// is <see cref="Deep"/> (<see cref="DeepDcgan"/>'s generator), <see cref="Compact"/> (<see cref="CompactDcgan"/>) or
/// <see cref="Tutorial"/> (<see cref="Dcgan"/>, TensorFlow's DCGAN tutorial). <paramref name="DiscriminatorClasses"/>
/// above 0 gives an unconditional pair the <see cref="ClassifyingDcganDiscriminator"/> of that many classes (the
/// semi-supervised GAN); 0 gives it the one-logit discriminator of its architecture.
/// </summary>
public sealed record GanShape(string Architecture, int Noise, int Classes, int Size, int Width, int DiscriminatorClasses = 0)
{
    public const string Deep = "deep", Compact = "compact", Tutorial = "tutorial";

    public bool Conditional => Classes > 0;

    public GanNetwork NewGenerator() => new(this, (Architecture, Conditional) switch
    {
        (Deep, false) => new DeepDcganGenerator(Noise, channels: 1, Size, Width),
        (Compact, false) => new CompactDcganGenerator(Noise, channels: 1, Size, Width),
        (Tutorial, false) => new DcganGenerator(Noise, channels: 1, Size, Width),
        (Compact, true) => new ConditionalDcganGenerator(Noise, Classes, channels: 1, Size, Width),
        _ => throw Unknown(),
    });

    public GanNetwork NewDiscriminator() => new(this, (Architecture, Conditional) switch
    {
        (Deep or Compact, false) when DiscriminatorClasses > 0 => new ClassifyingDcganDiscriminator(DiscriminatorClasses, channels: 1, Size, Width),
        (Deep or Compact, false) => new CompactDcganDiscriminator(channels: 1, Size, Width),
        (Tutorial, false) => new DcganDiscriminator(channels: 1, Size, Width),
        (Compact, true) => new ConditionalDcganDiscriminator(Classes, channels: 1, Size, Width),
        _ => throw Unknown(),
    });

    private NotSupportedException Unknown() => new($"There is no {(Conditional ? "conditional " : "")}DCGAN of architecture '{Architecture}'{(DiscriminatorClasses > 0 ? " with a classifying discriminator" : "")}.");
}

/// <summary>
/// A generator or discriminator of either DCGAN, called the same way: a conditional network takes the labels, an
/// unconditional one takes none.
/// </summary>
public sealed class GanNetwork(GanShape shape, nn.Module module) : IDisposable
{
    public GanShape Shape { get; } = shape;
    public nn.Module Module { get; } = module;

    public long ParameterCount => Module.parameters().Sum(p => p.numel());

    /// <summary>Images <c>[B, 1, size, size]</c> in [−1, 1] from noise <c>[B, noise]</c> (and labels <c>[B]</c> when conditional).</summary>
    public Tensor Generate(Tensor noise, Tensor? labels) => Module switch
    {
        DeepDcganGenerator g => g.forward(noise),
        CompactDcganGenerator g => g.forward(noise),
        DcganGenerator g => g.forward(noise),
        ConditionalDcganGenerator g => g.forward(noise, labels ?? throw new ArgumentNullException(nameof(labels), "A conditional generator needs the labels.")),
        _ => throw new InvalidOperationException($"{Module.GetType().Name} is not a generator."),
    };

    /// <summary><see cref="Generate"/> in eval mode (batch normalisation from its running statistics), then back to the mode it was in.</summary>
    public Tensor Sample(Tensor noise, Tensor? labels)
    {
        var training = Module.training;
        Module.eval();
        try
        {
            return Generate(noise, labels);
        }
        finally
        {
            if (training)
                Module.train();
        }
    }

    /// <summary>
    /// The discriminator's logit that each image is real, <c>[B, 1]</c> (given the labels when conditional), and a
    /// classifying discriminator's class logits <c>[B, classes]</c> (null for the others); the realness logit of a
    /// classifying discriminator is the log-sum-exp of its class logits.
    /// </summary>
    public (Tensor Real, Tensor? ClassLogits) Score(Tensor images, Tensor? labels) => Module switch
    {
        ClassifyingDcganDiscriminator d => RealAndClasses(d.forward(images)),
        CompactDcganDiscriminator d => (d.forward(images), null),
        DcganDiscriminator d => (d.forward(images), null),
        ConditionalDcganDiscriminator d => (d.forward(images, labels ?? throw new ArgumentNullException(nameof(labels), "A conditional discriminator needs the labels.")), null),
        _ => throw new InvalidOperationException($"{Module.GetType().Name} is not a discriminator."),
    };

    private static (Tensor Real, Tensor? ClassLogits) RealAndClasses(Tensor classLogits) => (classLogits.logsumexp(1, keepdim: true), classLogits);

    /// <summary>Copies <paramref name="other"/>'s parameters and buffers (the same architecture).</summary>
    public void CopyFrom(GanNetwork other)
    {
        using var noGrad = no_grad();
        foreach (var ((_, mine), (_, theirs)) in Module.named_parameters().Zip(other.Module.named_parameters()))
        {
            mine.copy_(theirs);
            mine.requires_grad_(false);
        }
        foreach (var ((_, mine), (_, theirs)) in Module.named_buffers().Zip(other.Module.named_buffers()))
            mine.copy_(theirs);
    }

    /// <summary>
    /// One step of the exponential moving average of <paramref name="trained"/>'s weights, with the usual warm-up
    /// (decay min(<paramref name="decay"/>, (1 + step) / (10 + step)), so early samples are not the initial weights);
    /// batch-norm statistics are copied.
    /// </summary>
    public void Follow(GanNetwork trained, double decay, long step)
    {
        var d = Math.Min(decay, (1.0 + step) / (10.0 + step));
        using var noGrad = no_grad();
        foreach (var ((_, mine), (_, theirs)) in Module.named_parameters().Zip(trained.Module.named_parameters()))
            mine.mul_(d).add_(theirs, alpha: 1 - d);
        foreach (var ((_, mine), (_, theirs)) in Module.named_buffers().Zip(trained.Module.named_buffers()))
            mine.copy_(theirs);
    }

    public void Dispose() => Module.Dispose();
}
