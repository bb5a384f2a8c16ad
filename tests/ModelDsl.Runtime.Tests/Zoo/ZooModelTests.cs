using System.Linq;
using ModelDsl.Models.Zoo;
using ModelDsl.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Zoo;

/// <summary>
/// The zoo's models in libtorch: their output shapes, their parameter counts against references computed here layer by
/// layer and by PyTorch, and their outputs against PyTorch's on the same weights and inputs (interop/pytorch/zoo.py).
/// </summary>
public sealed class ZooModelTests(ITestOutputHelper output) : OneThreadTests
{
    [Fact]
    public void Basic_block_matches_torchvision()
    {
        using var reference = new PyTorchReference("basic_block");
        using var block = new BasicBlock(channels: 16);
        // Two 3×3 convolutions without bias and two batch norms.
        Assert.Equal((2 * 9 * 16 * 16) + (2 * 2 * 16), ModelTestKit.SumOfParameters(block));
        Assert.Equal(reference.ParameterCount, ModelTestKit.SumOfParameters(block));

        reference.LoadInto(block);
        using var noGrad = no_grad();
        output.WriteLine($"BasicBlock: largest difference from torchvision {reference.AssertClose("y", block.Forward(reference.Input("x"))):G3}");
    }

    [Theory]
    [InlineData("even", 32)]
    [InlineData("odd", 31)]
    public void Downsample_block_halves_even_and_odd_sizes_as_torchvision_does(string input, int size)
    {
        using var reference = new PyTorchReference("downsample_block");
        using var block = new DownsampleBlock(inChannels: 16, channels: 32);
        // conv1 3×3 16→32, conv2 3×3 32→32, the 1×1 shortcut 16→32, three batch norms.
        Assert.Equal((9 * 16 * 32) + (9 * 32 * 32) + (16 * 32) + (3 * 2 * 32), ModelTestKit.SumOfParameters(block));
        Assert.Equal(reference.ParameterCount, ModelTestKit.SumOfParameters(block));

        reference.LoadInto(block);
        using var noGrad = no_grad();
        var x = reference.Input(input);
        Assert.Equal(new long[] { 2, 16, size, size }, x.shape);
        var y = block.Forward(x);
        Assert.Equal(new long[] { 2, 32, 16, 16 }, y.shape);
        output.WriteLine($"DownsampleBlock ({input}): largest difference from torchvision {reference.AssertClose(input, y):G3}");
    }

    [Fact]
    public void Mlp_mixer_matches_pytorch_with_linear_token_mixing()
    {
        using var reference = new PyTorchReference("mlp_mixer");
        using var mixer = new MlpMixer(channels: 16, depth: 2, tokenHidden: 32, channelHidden: 64, classes: 10);
        const int tokens = 64;
        const long stem = (3 * 16 * 4 * 4) + 16;
        const long block = (2 * 2 * 16) + (tokens * 32) + 32 + (32 * tokens) + tokens + (16 * 64) + 64 + (64 * 16) + 16;
        const long head = (2 * 16) + (16 * 10) + 10;
        Assert.Equal(stem + (2 * block) + head, ModelTestKit.SumOfParameters(mixer));
        Assert.Equal(reference.ParameterCount, ModelTestKit.SumOfParameters(mixer));
        // Token mixing is a Linear over the tokens, shaped [hidden, tokens] as PyTorch's (not a 1×1 convolution).
        Assert.Equal(new long[] { 32, tokens }, mixer.state_dict()["blocks.0.token_fc1.weight"].shape);

        reference.LoadInto(mixer);
        using var noGrad = no_grad();
        var logits = mixer.Forward(reference.Input("x"));
        Assert.Equal(new long[] { 2, 10 }, logits.shape);
        output.WriteLine($"MLP-Mixer: largest difference from PyTorch {reference.AssertClose("y", logits):G3}");
    }

    [Fact]
    public void Vae_returns_reconstruction_mean_and_log_variance_as_pytorch_does()
    {
        using var reference = new PyTorchReference("vae");
        using var vae = new Vae(features: 64, hidden: 32, latent: 8);
        const long features = 64, hidden = 32, latent = 8;
        Assert.Equal((2 * features * hidden) + (3 * hidden * latent) + (2 * hidden) + (2 * latent) + features, vae.ParameterCount);
        Assert.Equal(vae.ParameterCount, ModelTestKit.SumOfParameters(vae));
        Assert.Equal(reference.ParameterCount, vae.ParameterCount);

        reference.LoadInto(vae);
        using var noGrad = no_grad();
        // The noise ε comes from the global generator right after this seed, in zoo.py as here.
        manual_seed(7);
        var (reconstruction, mu, logVar) = vae.Forward(reference.Input("x"));
        Assert.Equal(new long[] { 4, 64 }, reconstruction.shape);
        Assert.Equal(new long[] { 4, 8 }, mu.shape);
        var worst = new[] { reference.AssertClose("mu", mu), reference.AssertClose("log_var", logVar), reference.AssertClose("reconstruction", reconstruction) }.Max();
        output.WriteLine($"VAE: largest difference from PyTorch {worst:G3}");
    }

    [Fact]
    public void Vae_samples_a_new_code_each_call()
    {
        using var vae = new Vae(features: 64, hidden: 32, latent: 8);
        vae.eval();
        using var noGrad = no_grad();
        var x = rand(3, 64);
        var (first, mu1, _) = vae.Forward(x);
        var (second, mu2, _) = vae.Forward(x);
        Assert.Equal(0f, (mu1 - mu2).abs().max().item<float>());
        Assert.True((first - second).abs().max().item<float>() > 0, "RandnLike draws new noise each call");
    }
}
