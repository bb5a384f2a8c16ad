using System;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Pnn;

/// <summary>
/// What a network answers on one task's test images: the logits <c>[N, classes]</c> (a CPU copy), the predicted
/// labels and the accuracy. Recorded right after the task is trained and compared bit for bit later.
/// </summary>
public sealed class TaskSnapshot : IDisposable
{
    /// <summary>Takes ownership of <paramref name="logits"/> (CPU); <paramref name="labels"/> are the true labels.</summary>
    public TaskSnapshot(Tensor logits, Tensor labels)
    {
        if (logits.dim() != 2 || labels.dim() != 1 || logits.shape[0] != labels.shape[0])
            throw new ArgumentException($"Need logits [N, C] and labels [N]; got [{string.Join(", ", logits.shape)}] and [{string.Join(", ", labels.shape)}].");
        Logits = logits;
        using var predictions = logits.argmax(1);
        Predictions = predictions.data<long>().ToArray();
        using var right = predictions.eq(labels.to(predictions.device)).sum();
        Correct = right.item<long>();
        Count = (int)labels.shape[0];
    }

    /// <summary>The logits, <c>[N, classes]</c> on the CPU.</summary>
    public Tensor Logits { get; }

    /// <summary>The predicted label of every image.</summary>
    public long[] Predictions { get; }

    /// <summary>Images classified correctly.</summary>
    public long Correct { get; }

    /// <summary>Images.</summary>
    public int Count { get; }

    /// <summary>The fraction classified correctly.</summary>
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

    /// <summary>
    /// True when <paramref name="later"/> is bit-for-bit the same answer: identical logits (every float's bytes),
    /// hence identical predictions and accuracy.
    /// </summary>
    public bool IsIdenticalTo(TaskSnapshot later) =>
        later.Count == Count
        && later.Correct == Correct
        && later.Predictions.AsSpan().SequenceEqual(Predictions)
        && BitwiseEqual(Logits, later.Logits);

    /// <summary>The largest absolute difference between the two snapshots' logits (0 when identical).</summary>
    public double MaxAbsoluteDifference(TaskSnapshot later)
    {
        if (!later.Logits.shape.AsSpan().SequenceEqual(Logits.shape))
            return double.PositiveInfinity;
        using var difference = (Logits - later.Logits).abs().max();
        return difference.item<float>();
    }

    /// <summary>Same shape, dtype and bytes.</summary>
    public static bool BitwiseEqual(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.AsSpan().SequenceEqual(b.shape))
            return false;
        using var x = a.detach().cpu().contiguous();
        using var y = b.detach().cpu().contiguous();
        return x.numel() == 0 || x.bytes.SequenceEqual(y.bytes);
    }

    /// <inheritdoc/>
    public void Dispose() => Logits.Dispose();
}
