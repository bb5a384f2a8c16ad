using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Models.Transformers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Seq2Seq;

/// <summary>
/// A padded batch for teacher forcing. Source <c>[B, S]</c> "d1 … dn PAD…"; decoder input <c>[B, T]</c>
/// "BOS t1 … tm PAD…"; labels <c>[B, T]</c> "t1 … tm EOS PAD…"; padding masks are true where the tokens are PAD.
/// S and T fit the longest example of the batch.
/// </summary>
public sealed class Seq2SeqBatch : IDisposable
{
    private Seq2SeqBatch(Tensor source, Tensor sourcePadding, Tensor decoderInput, Tensor targetPadding, Tensor labels)
        => (Source, SourcePadding, DecoderInput, TargetPadding, Labels) = (source, sourcePadding, decoderInput, targetPadding, labels);

    /// <summary>Source tokens <c>[B, S]</c> int64.</summary>
    public Tensor Source { get; }

    /// <summary>True at padded source positions <c>[B, S]</c>.</summary>
    public Tensor SourcePadding { get; }

    /// <summary>Decoder input <c>[B, T]</c>: BOS, then the target shifted right.</summary>
    public Tensor DecoderInput { get; }

    /// <summary>True at padded decoder positions <c>[B, T]</c>.</summary>
    public Tensor TargetPadding { get; }

    /// <summary>What each decoder position should predict <c>[B, T]</c>: the target, EOS, then PAD (ignored).</summary>
    public Tensor Labels { get; }

    /// <summary>Pads <paramref name="examples"/> into tensors on <paramref name="device"/> (CPU when null).</summary>
    public static Seq2SeqBatch Create(IReadOnlyList<Seq2SeqExample> examples, Device? device = null)
    {
        if (examples.Count == 0)
            throw new ArgumentException("A batch needs at least one example.", nameof(examples));
        var count = examples.Count;
        var sourceLength = examples.Max(e => e.Source.Length);
        var targetLength = examples.Max(e => e.Target.Length) + 1;
        var source = new long[count, sourceLength];
        var decoderInput = new long[count, targetLength];
        var labels = new long[count, targetLength];
        for (var i = 0; i < count; i++)
        {
            var (s, t) = (examples[i].Source, examples[i].Target);
            if (s.Length == 0)
                throw new ArgumentException($"Example {i} has an empty source.", nameof(examples));
            for (var j = 0; j < s.Length; j++)
                source[i, j] = s[j];
            decoderInput[i, 0] = Seq2SeqVocabulary.Bos;
            for (var j = 0; j < t.Length; j++)
            {
                decoderInput[i, j + 1] = t[j];
                labels[i, j] = t[j];
            }

            labels[i, t.Length] = Seq2SeqVocabulary.Eos;
        }

        using var scope = NewDisposeScope();
        var sourceTensor = tensor(source, device: device);
        var decoderTensor = tensor(decoderInput, device: device);
        var batch = new Seq2SeqBatch(
            sourceTensor,
            sourceTensor.eq(Seq2SeqVocabulary.Pad),
            decoderTensor,
            decoderTensor.eq(Seq2SeqVocabulary.Pad),
            tensor(labels, device: device));
        batch.MoveToOuter(scope);
        return batch;
    }

    /// <summary>Teacher-forced cross-entropy per predicted token, PAD labels ignored.</summary>
    public Tensor Loss(Transformer model)
    {
        using var scope = NewDisposeScope();
        var logits = model.Forward(Source, DecoderInput, SourcePadding, TargetPadding);
        var loss = nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[^1]), Labels.reshape(-1), ignore_index: Seq2SeqVocabulary.Pad);
        return scope.MoveToOuter(loss);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Source.Dispose();
        SourcePadding.Dispose();
        DecoderInput.Dispose();
        TargetPadding.Dispose();
        Labels.Dispose();
    }

    private void MoveToOuter(DisposeScope scope)
    {
        foreach (var t in new[] { Source, SourcePadding, DecoderInput, TargetPadding, Labels })
            scope.MoveToOuter(t);
    }
}
