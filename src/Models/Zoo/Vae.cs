using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Zoo;

/// <summary>
/// The variational autoencoder of Kingma and Welling (2014), shaped as PyTorch's example: an encoder to the mean and
/// log-variance of the latent code, the reparameterisation <c>z = μ + exp(logVar / 2) · ε</c>, and a decoder back to
/// pixels. Forward returns the reconstruction and both halves of the code, which the loss needs.
/// </summary>
/// <remarks>State-dict keys: the example's <c>fc1, fc21, fc22, fc3, fc4</c> are <c>encoder, mu, log_var, decoder, reconstruction</c>.</remarks>
[Model]
public sealed partial class Vae
{
    /// <summary>A VAE of <paramref name="features"/> inputs, a hidden layer of <paramref name="hidden"/> and a code of <paramref name="latent"/>.</summary>
    public partial Vae(int features, int hidden, int latent);

    [Linear("hidden"), ReLU]
    partial Linear Encoder { get; }

    [Linear("latent")]
    public partial Linear Mu { get; }

    [Input(nameof(Encoder)), Linear("latent")]
    public partial Linear LogVar { get; }

    // σ = exp(logVar / 2), then z = μ + σ · ε: steps on members that hold no weights.
    [Input(nameof(LogVar)), Scale(0.5), Exp]
    partial Identity Sigma { get; }

    [RandnLike, Multiply(nameof(Sigma)), Add(nameof(Mu))]
    partial Identity Z { get; }

    [Linear("hidden"), ReLU]
    partial Linear Decoder { get; }

    [Linear("features"), Sigmoid]
    partial Linear Reconstruction { get; }

    /// <summary>Encodes, samples a code and decodes a batch of flattened images.</summary>
    [return: Shape("B", "features"), Shape("B", "latent"), Shape("B", "latent")]
    public partial (Tensor Reconstruction, Tensor Mu, Tensor LogVar) Forward([Shape("B", "features")] Tensor x);
}
