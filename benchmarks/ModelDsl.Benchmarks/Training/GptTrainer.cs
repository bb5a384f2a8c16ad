using System;
using System.Diagnostics;
using System.Linq;
using ModelDsl.Benchmarks.HandWritten;
using ModelDsl.Models.Transformers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Training;

/// <summary>nanoGPT's CPU configuration (its README's "baby GPT" for a MacBook), dropout 0.</summary>
internal sealed record GptConfig(int Vocab = 65, int BlockSize = 64, int Layers = 4, int Heads = 4, int Embed = 128, int Batch = 12, double Dropout = 0.0)
{
    public static GptConfig NanoGptCpu { get; } = new();

    public Gpt CreateGenerated() => new(Vocab, BlockSize, Layers, Heads, Embed, Dropout);

    internal HandWrittenGpt CreateHandWritten() => new(Vocab, BlockSize, Layers, Heads, Embed, Dropout);

    public int TokensPerStep => Batch * BlockSize;
}

/// <summary>Time spent in each part of one training step, in milliseconds.</summary>
internal readonly record struct StepPhases(double Forward, double Backward, double Optimizer);

/// <summary>
/// One model with its AdamW optimiser and a fixed pool of random token batches; <see cref="Step"/> is one training
/// step as nanoGPT's train.py does it (forward, cross-entropy, backward, step, zero_grad), inside a dispose scope.
/// </summary>
internal sealed class GptTrainer : ITrainingStep
{
    private const int BatchPool = 8;
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly (Tensor X, Tensor Y)[] _batches;
    private int _next;

    public GptTrainer(string name, nn.Module<Tensor, Tensor> model, GptConfig config, long dataSeed = 1337)
    {
        Name = name;
        Config = config;
        _model = model;
        _model.train();
        // nanoGPT: AdamW, lr 1e-3, betas (0.9, 0.99), weight decay 0.1. Where TorchSharp 0.107 lists the tied matrix
        // twice (wte.weight and lm_head.weight as two Parameter objects over one tensor, depending on which way it was
        // tied), an optimizer given both steps it twice per step; PyTorch's parameters() lists it once, so pass it once.
        _optimizer = optim.AdamW(TrainableParameters(_model), lr: 1e-3, beta1: 0.9, beta2: 0.99, weight_decay: 0.1);
        var generator = new torch.Generator(seed: (ulong)dataSeed);
        _batches = Enumerable.Range(0, BatchPool).Select(_ =>
        {
            using var scope = NewDisposeScope();
            var chunk = randint(config.Vocab, [config.Batch, config.BlockSize + 1], dtype: ScalarType.Int64, generator: generator);
            var x = chunk[TensorIndex.Colon, TensorIndex.Slice(0, config.BlockSize)].contiguous();
            var y = chunk[TensorIndex.Colon, TensorIndex.Slice(1, config.BlockSize + 1)].contiguous();
            return (x.DetachFromDisposeScope(), y.DetachFromDisposeScope());
        }).ToArray();
        ParameterCount = TrainableParameters(_model).Sum(p => p.numel());
    }

    public string Name { get; }

    public GptConfig Config { get; }

    public nn.Module<Tensor, Tensor> Model => _model;

    /// <summary>Distinct trainable parameters (the tied embedding counted once).</summary>
    public long ParameterCount { get; }

    /// <summary>The model's parameters with the LM head's weight left out: it is the token embedding's tensor.</summary>
    public static Parameter[] TrainableParameters(nn.Module model) =>
        model.named_parameters().Where(p => p.name != "lm_head.weight").Select(p => p.parameter).ToArray();

    /// <summary>One training step.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        var (x, y) = NextBatch();
        var logits = _model.call(x);
        var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), y.view(-1));
        loss.backward();
        _optimizer.step();
        _optimizer.zero_grad();
    }

    /// <summary>One training step that returns its loss (reads the scalar back; not used for timing).</summary>
    public float StepWithLoss()
    {
        using var scope = NewDisposeScope();
        var (x, y) = NextBatch();
        var logits = _model.call(x);
        var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), y.view(-1));
        var value = loss.item<float>();
        loss.backward();
        _optimizer.step();
        _optimizer.zero_grad();
        return value;
    }

    /// <summary>One training step, timing forward (with the loss), backward and optimiser (step and zero_grad) apart.</summary>
    public StepPhases StepTimed()
    {
        using var scope = NewDisposeScope();
        var (x, y) = NextBatch();
        var t0 = Stopwatch.GetTimestamp();
        var logits = _model.call(x);
        var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), y.view(-1));
        var t1 = Stopwatch.GetTimestamp();
        loss.backward();
        var t2 = Stopwatch.GetTimestamp();
        _optimizer.step();
        _optimizer.zero_grad();
        var t3 = Stopwatch.GetTimestamp();
        return new StepPhases(Ms(t0, t1), Ms(t1, t2), Ms(t2, t3));
    }

    /// <summary>The loss of the model on batch <paramref name="index"/> of the pool, without training.</summary>
    public float Loss(int index = 0)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (x, y) = _batches[index];
        var logits = _model.call(x);
        return nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), y.view(-1)).item<float>();
    }

    public void Dispose()
    {
        foreach (var (x, y) in _batches)
        {
            x.Dispose();
            y.Dispose();
        }

        _optimizer.Dispose();
    }

    private (Tensor X, Tensor Y) NextBatch() => _batches[_next++ % _batches.Length];

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
