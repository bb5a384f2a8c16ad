using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

public sealed partial class Transformer
{
    /// <summary>
    /// Greedy decoding: starts every target with <paramref name="bos"/> and appends the most likely token until
    /// every row has produced <paramref name="eos"/> or <paramref name="maxLength"/> tokens. Tokens after a
    /// row's end are <paramref name="eos"/>. Returns <c>[B, L]</c> without the leading <paramref name="bos"/>.
    /// </summary>
    public Tensor GreedyDecode(Tensor source, Tensor sourcePadding, long bos, long eos, int maxLength)
    {
        if (maxLength < 1)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "must be positive");
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var batch = source.shape[0];
            var target = full(batch, 1, bos, dtype: ScalarType.Int64, device: source.device);
            var finished = zeros(batch, dtype: ScalarType.Bool, device: source.device);
            for (var step = 0; step < maxLength; step++)
            {
                var targetPadding = zeros(batch, target.shape[1], dtype: ScalarType.Bool, device: source.device);
                var logits = Forward(source, target, sourcePadding, targetPadding);
                var next = logits[TensorIndex.Colon, -1, TensorIndex.Colon].argmax(-1);
                next = where(finished, full_like(next, eos), next);
                target = cat(new[] { target, next.unsqueeze(1) }, 1);
                finished = finished.logical_or(next == eos);
                if (finished.all().item<bool>())
                    break;
            }

            return scope.MoveToOuter(target[TensorIndex.Colon, TensorIndex.Slice(1)]);
        }
        finally
        {
            train(wasTraining);
        }
    }
}
