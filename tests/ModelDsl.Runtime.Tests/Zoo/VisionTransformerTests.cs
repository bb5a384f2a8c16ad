using ModelDsl.Models.Zoo;
using ModelDsl.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Zoo;

/// <summary>The Vision Transformer against torchvision's: parameter count, class token and position table, output.</summary>
public sealed class VisionTransformerTests(ITestOutputHelper output) : OneThreadTests
{
    [Fact]
    public void Matches_torchvisions_vision_transformer()
    {
        using var reference = new PyTorchReference("vit");
        using var vit = new VisionTransformer(embed: 32, depth: 2, heads: 4, mlp: 64, classes: 10, dropout: 0.1);
        const long e = 32, m = 64, c = 10, tokens = (32 / 8) * (32 / 8);
        const long patches = (3 * e * 8 * 8) + e;
        const long classToken = e, positions = (tokens + 1) * e;
        const long layer = (2 * 2 * e) + ((4 * e * e) + (4 * e)) + ((e * m) + m + (m * e) + e);
        const long head = (2 * e) + (e * c) + c;
        Assert.Equal(patches + classToken + positions + (2 * layer) + head, vit.ParameterCount);
        Assert.Equal(vit.ParameterCount, ModelTestKit.SumOfParameters(vit));
        Assert.Equal(reference.ParameterCount, vit.ParameterCount);
        Assert.Equal(new long[] { 1, 1, e }, vit.ClassToken.shape);
        Assert.Equal(new long[] { 1, tokens + 1, e }, vit.PosEmbedding.shape);
        Assert.Contains("class_token", vit.state_dict().Keys);
        Assert.Contains("pos_embedding", vit.state_dict().Keys);

        reference.LoadInto(vit);
        using var noGrad = no_grad();
        var logits = vit.Forward(reference.Input("x"));
        Assert.Equal(new long[] { 2, c }, logits.shape);
        output.WriteLine($"ViT: largest difference from torchvision {reference.AssertClose("y", logits):G3}");
    }

    [Fact]
    public void Starts_with_a_zero_class_token_and_a_small_position_table()
    {
        using var vit = new VisionTransformer(embed: 32, depth: 1, heads: 4, mlp: 64, classes: 10, dropout: 0);
        Assert.Equal(0f, vit.ClassToken.abs().max().item<float>());
        var std = vit.PosEmbedding.std().item<float>();
        Assert.InRange(std, 0.015f, 0.025f);
    }
}
