using System;
using System.Linq;
using ModelDsl.Benchmarks.HandWritten;
using ModelDsl.Models.Dcgan;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Training;

/// <summary>The MNIST DCGAN setting: 100-d noise, 1×28×28 images, batch 64, Adam 2e-4 with β1 0.5.</summary>
internal static class DcganConfig
{
    public const int Batch = 64;
    public const int Noise = 100;

    public static (nn.Module<Tensor, Tensor> Generator, nn.Module<Tensor, Tensor> Discriminator) CreateGenerated()
    {
        var gan = Dcgan.Mnist();
        return (gan.Generator, gan.Discriminator);
    }

    public static (nn.Module<Tensor, Tensor> Generator, nn.Module<Tensor, Tensor> Discriminator) CreateHandWritten()
        => (new HandWrittenDcganGenerator(), new HandWrittenDcganDiscriminator());
}

/// <summary>
/// One GAN training step as in PyTorch's DCGAN tutorial: the discriminator on a real and a generated batch
/// (BCE with logits, one Adam step), then the generator through the discriminator (one Adam step), inside a dispose
/// scope. Real images come from a fixed pool of random batches in [-1, 1] (the cost does not depend on the pixels).
/// </summary>
internal sealed class DcganTrainer : ITrainingStep
{
    private const int BatchPool = 4;
    private readonly nn.Module<Tensor, Tensor> _generator;
    private readonly nn.Module<Tensor, Tensor> _discriminator;
    private readonly optim.Optimizer _generatorOptimizer;
    private readonly optim.Optimizer _discriminatorOptimizer;
    private readonly (Tensor Real, Tensor Noise)[] _batches;
    private readonly Tensor _ones;
    private readonly Tensor _zeros;
    private int _next;

    public DcganTrainer(string name, (nn.Module<Tensor, Tensor> Generator, nn.Module<Tensor, Tensor> Discriminator) models, long dataSeed = 7)
    {
        Name = name;
        (_generator, _discriminator) = models;
        _generator.train();
        _discriminator.train();
        _generatorOptimizer = optim.Adam(_generator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        _discriminatorOptimizer = optim.Adam(_discriminator.parameters(), lr: 2e-4, beta1: 0.5, beta2: 0.999);
        var generator = new torch.Generator(seed: (ulong)dataSeed);
        _batches = Enumerable.Range(0, BatchPool).Select(_ =>
        {
            var real = (rand([DcganConfig.Batch, 1, 28, 28], generator: generator) * 2 - 1).DetachFromDisposeScope();
            var noise = randn([DcganConfig.Batch, DcganConfig.Noise], generator: generator).DetachFromDisposeScope();
            return (real, noise);
        }).ToArray();
        _ones = ones(DcganConfig.Batch, 1);
        _zeros = zeros(DcganConfig.Batch, 1);
    }

    public string Name { get; }

    public nn.Module<Tensor, Tensor> Generator => _generator;

    public nn.Module<Tensor, Tensor> Discriminator => _discriminator;

    /// <summary>One discriminator step and one generator step.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        var (real, noise) = _batches[_next++ % _batches.Length];

        // Discriminator: real → 1, generated → 0.
        _discriminatorOptimizer.zero_grad();
        var fake = _generator.call(noise);
        var realLoss = nn.functional.binary_cross_entropy_with_logits(_discriminator.call(real), _ones);
        var fakeLoss = nn.functional.binary_cross_entropy_with_logits(_discriminator.call(fake.detach()), _zeros);
        (realLoss + fakeLoss).backward();
        _discriminatorOptimizer.step();

        // Generator: make the discriminator say 1.
        _generatorOptimizer.zero_grad();
        var generatorLoss = nn.functional.binary_cross_entropy_with_logits(_discriminator.call(fake), _ones);
        generatorLoss.backward();
        _generatorOptimizer.step();
    }

    public void Dispose()
    {
        foreach (var (real, noise) in _batches)
        {
            real.Dispose();
            noise.Dispose();
        }

        _ones.Dispose();
        _zeros.Dispose();
        _generatorOptimizer.Dispose();
        _discriminatorOptimizer.Dispose();
    }
}
