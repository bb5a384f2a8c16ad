using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Models.Transformers;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Transformer = ModelDsl.Models.Transformers.Transformer;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Seq2Seq;

/// <summary>
/// Trains the encoder–decoder <see cref="Transformer"/> on a synthetic task with teacher forcing (Adam β2 0.98, linear
/// warmup, cosine decay to the minimum rate at the last step) and measures exact-match accuracy of greedy decodes on the held-out set.
/// </summary>
public sealed class Seq2SeqTrainer : IDisposable
{
    private readonly LearningRateSchedule _schedule;

    /// <summary>Creates the model (initialised from libtorch's current RNG) and its optimizer.</summary>
    public Seq2SeqTrainer(Seq2SeqData data, Seq2SeqSettings settings, Device? device = null)
    {
        settings.Validate();
        Data = data;
        Settings = settings;
        Device = device ?? CPU;
        Model = new Transformer(Seq2SeqVocabulary.Size, settings.Layers, settings.Heads, settings.Embed, settings.Hidden, settings.Dropout);
        Model.to(Device);
        Optimizer = optim.Adam(Model.parameters(), settings.LearningRate, beta1: 0.9, beta2: 0.98);
        var warmup = Math.Min(settings.WarmupSteps, Math.Max(0, settings.Steps - 1));
        _schedule = new LearningRateSchedule(settings.LearningRate, settings.MinLearningRate, warmup, Math.Max(warmup + 1, settings.Steps - 1));
    }

    /// <summary>The task's data.</summary>
    public Seq2SeqData Data { get; }

    /// <summary>The settings.</summary>
    public Seq2SeqSettings Settings { get; }

    /// <summary>Where the model lives.</summary>
    public Device Device { get; }

    /// <summary>The model.</summary>
    public Transformer Model { get; }

    /// <summary>Its optimizer.</summary>
    public OptimizerHelper Optimizer { get; }

    /// <summary>The greedy decodes' length limit: the longest target plus EOS.</summary>
    public int MaxDecodeLength => Data.Task.MaxTargetLength + 1;

    /// <summary>Runs training step <paramref name="step"/> (0-based) and returns its loss; throws on a non-finite loss.</summary>
    public double Step(long step)
    {
        using var scope = NewDisposeScope();
        Model.train();
        var learningRate = _schedule.Apply(Optimizer, step);
        using var batch = Seq2SeqBatch.Create(Data.TrainingBatch(step, Settings.BatchSize), Device);
        Optimizer.zero_grad();
        var loss = batch.Loss(Model);
        var value = LossGuard.Check(loss, step);
        loss.backward();
        Optimizer.step();
        LastLearningRate = learningRate;
        return value;
    }

    /// <summary>The learning rate of the last step.</summary>
    public double LastLearningRate { get; private set; }

    /// <summary>Greedy-decodes <paramref name="examples"/> (the held-out set when null) in chunks.</summary>
    public Seq2SeqEvaluation Evaluate(IReadOnlyList<Seq2SeqExample>? examples = null, int chunk = 250)
    {
        examples ??= Data.HeldOut;
        var decoded = new List<long[]>(examples.Count);
        var exact = 0;
        long tokens = 0, right = 0;
        for (var start = 0; start < examples.Count; start += chunk)
        {
            using var scope = NewDisposeScope();
            var part = examples.Skip(start).Take(chunk).ToList();
            using var batch = Seq2SeqBatch.Create(part, Device);
            var rows = Model.GreedyDecode(batch.Source, batch.SourcePadding, Seq2SeqVocabulary.Bos, Seq2SeqVocabulary.Eos, MaxDecodeLength).cpu();
            for (var i = 0; i < part.Count; i++)
            {
                var row = rows[i].data<long>().ToArray();
                decoded.Add(row);
                if (part[i].IsExactMatch(row))
                    exact++;
                var expected = part[i].Target.Append(Seq2SeqVocabulary.Eos).ToArray();
                tokens += expected.Length;
                for (var j = 0; j < expected.Length && j < row.Length; j++)
                    if (row[j] == expected[j])
                        right++;
            }
        }

        return new Seq2SeqEvaluation(examples, decoded, exact, tokens == 0 ? 0 : (double)right / tokens);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
    }
}
