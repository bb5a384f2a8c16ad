using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Pnn;

/// <summary>The learning curve of one training run: validation accuracy every few steps.</summary>
public sealed class LearningCurve
{
    private readonly List<(int Step, double Accuracy)> _points = [];

    /// <summary>(step, validation accuracy) pairs, in order.</summary>
    public IReadOnlyList<(int Step, double Accuracy)> Points => _points;

    /// <summary>Steps actually run.</summary>
    public int Steps { get; internal set; }

    /// <summary>The last training loss.</summary>
    public double LastLoss { get; internal set; } = double.NaN;

    /// <summary>The first evaluated step with validation accuracy at least <paramref name="threshold"/>, or null.</summary>
    public int? StepsTo(double threshold) => _points.Where(p => p.Accuracy >= threshold).Select(p => (int?)p.Step).FirstOrDefault();

    /// <summary>The final validation accuracy.</summary>
    public double FinalAccuracy => _points.Count == 0 ? double.NaN : _points[^1].Accuracy;

    internal void Add(int step, double accuracy) => _points.Add((step, accuracy));
}

/// <summary>Trains and evaluates classifiers on <see cref="PnnTask"/>s with Adam and cross-entropy.</summary>
public static class ClassifierTraining
{
    /// <summary>
    /// Runs up to <paramref name="steps"/> Adam steps of <paramref name="forward"/> over <paramref name="parameters"/>
    /// on shuffled batches of <paramref name="task"/>'s training images drawn from <paramref name="batchSeed"/>,
    /// evaluating on the validation images every <see cref="PnnSettings.EvalEvery"/> steps and at the end.
    /// <paramref name="afterEvaluation"/> sees each (step, accuracy) and may stop training early by returning true.
    /// <paramref name="afterStep"/> sees each step's loss (progress display).
    /// </summary>
    public static LearningCurve Train(
        nn.Module module,
        Func<Tensor, Tensor> forward,
        IEnumerable<Parameter> parameters,
        PnnTask task,
        PnnSettings settings,
        int batchSeed,
        int? steps = null,
        Func<int, double, bool>? afterEvaluation = null,
        Action<int, double>? afterStep = null)
    {
        var total = steps ?? settings.Steps;
        var curve = new LearningCurve();
        using var optimizer = optim.Adam(parameters.ToList(), settings.LearningRate);
        var random = new Random(batchSeed);
        using var batches = Endless(task.Train, settings.BatchSize, random).GetEnumerator();
        for (var step = 1; step <= total; step++)
        {
            using (var scope = NewDisposeScope())
            {
                module.train();
                batches.MoveNext();
                var (x, y) = batches.Current;
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(forward(x), y);
                curve.LastLoss = LossGuard.Check(loss, step);
                loss.backward();
                optimizer.step();
            }

            curve.Steps = step;
            afterStep?.Invoke(step, curve.LastLoss);
            if (step % settings.EvalEvery == 0 || step == total)
            {
                using var snapshot = Evaluate(module, forward, task.Validation);
                curve.Add(step, snapshot.Accuracy);
                if (afterEvaluation?.Invoke(step, snapshot.Accuracy) == true)
                    break;
            }
        }

        module.eval();
        return curve;
    }

    /// <summary>
    /// The logits of every image of <paramref name="data"/> in eval mode without gradients, in fixed chunks (so the
    /// same network gives the same bytes every time), as a <see cref="TaskSnapshot"/>.
    /// </summary>
    public static TaskSnapshot Evaluate(nn.Module module, Func<Tensor, Tensor> forward, ImageDataset data, int chunk = 500)
    {
        var wasTraining = module.training;
        module.eval();
        try
        {
            using var noGrad = no_grad();
            var parts = new List<Tensor>();
            try
            {
                foreach (var (x, y) in data.Batches(chunk, 0, shuffle: false))
                {
                    using (x)
                    using (y)
                        parts.Add(forward(x).detach().cpu());
                }

                return new TaskSnapshot(cat(parts, 0), data.Labels);
            }
            finally
            {
                foreach (var part in parts)
                    part.Dispose();
            }
        }
        finally
        {
            module.train(wasTraining);
        }
    }

    // Epoch after epoch of shuffled full batches; the shuffle advances with each epoch.
    private static IEnumerable<(Tensor X, Tensor Y)> Endless(ImageDataset data, int batchSize, Random random)
    {
        var size = Math.Min(batchSize, data.Count);
        while (true)
        {
            foreach (var batch in data.Batches(size, random, shuffle: true, dropLast: true))
                yield return batch;
        }
    }
}
