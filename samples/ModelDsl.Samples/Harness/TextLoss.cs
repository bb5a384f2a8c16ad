using ModelDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Harness;

/// <summary>
/// The loss measures the character-level samples share, in eval mode without gradients, for any model given as its
/// cross-entropy on a batch <c>(x, y)</c>.
/// </summary>
public static class TextLoss
{
    /// <summary>
    /// nanoGPT's <c>estimate_loss</c>: the mean loss of <paramref name="batches"/> batches. They are the same at every
    /// evaluation (drawn from (seed, i)), so the curve compares like with like.
    /// </summary>
    public static double Estimate(nn.Module model, CharDataset data, TextSplit split, int batchSize, int batches, int seed, Func<Tensor, Tensor, Tensor> loss)
        => Evaluating(model, () =>
        {
            double sum = 0;
            for (var i = 0; i < batches; i++)
            {
                using var scope = NewDisposeScope();
                var (x, y) = data.GetBatch(split, batchSize, StepSeeds.For(seed, StepSeeds.Evaluation, split == TextSplit.Train ? i : 1_000_000 + i));
                sum += loss(x, y).item<float>();
            }
            return sum / batches;
        });

    /// <summary>The validation split's exact loss: every complete block once (a 20-batch estimate scatters by about ±0.01).</summary>
    public static double WholeValidationSplit(nn.Module model, CharDataset data, Func<Tensor, Tensor, Tensor> loss)
        => Evaluating(model, () =>
        {
            double sum = 0;
            long blocks = 0;
            foreach (var (x, y) in data.Blocks(TextSplit.Validation, batchSize: 64))
            {
                using (x)
                using (y)
                using (NewDisposeScope())
                {
                    sum += loss(x, y).item<float>() * x.shape[0];
                    blocks += x.shape[0];
                }
            }
            return sum / blocks;
        });

    /// <summary>Runs <paramref name="measure"/> in eval mode without gradients, then puts the model back in training mode.</summary>
    public static T Evaluating<T>(nn.Module model, Func<T> measure)
    {
        model.eval();
        try
        {
            using var noGrad = no_grad();
            return measure();
        }
        finally
        {
            model.train();
        }
    }
}
