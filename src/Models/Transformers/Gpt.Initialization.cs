using System;
using static TorchSharp.torch;

namespace ModelDsl.Models.Transformers;

public sealed partial class Gpt
{
    /// <summary>
    /// nanoGPT's <c>_init_weights</c>: weight matrices and embeddings N(0, 0.02), the residual projections
    /// (<c>attn.c_proj</c>, <c>mlp.c_proj</c>) N(0, 0.02/√(2·layers)), biases zero, LayerNorms as created (1, 0).
    /// TorchSharp's defaults (N(0, 1) embeddings, shared with the head) start the loss near 40 instead of
    /// ln(vocab) ≈ 4.2. The tied head is one parameter, drawn once.
    /// </summary>
    public void InitializeLikeNanoGpt()
    {
        using var noGrad = no_grad();
        var residualStd = 0.02 / Math.Sqrt(2.0 * Layers);
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal))
                parameter.zero_();
            else if (parameter.dim() >= 2)
                nn.init.normal_(parameter, 0, IsResidualProjection(name) ? residualStd : 0.02);
        }
    }

    private static bool IsResidualProjection(string name) =>
        name.EndsWith("c_proj.weight", StringComparison.Ordinal);
}
