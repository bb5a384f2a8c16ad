using ModelDsl.Models.Zoo;
using ModelDsl.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Zoo;

/// <summary>ResNet-18 against torchvision's: its published parameter count, its output on the same weights, any image size.</summary>
public sealed class ResNet18Tests(ITestOutputHelper output) : OneThreadTests
{
    // A basic block of c channels: two 3×3 convolutions without bias, two batch norms.
    private static long Block(long c) => (2 * 9 * c * c) + (2 * 2 * c);

    // The first block of a later stage: 3×3 convolutions i→c (stride 2) and c→c, the 1×1 shortcut i→c, three batch norms.
    private static long Down(long i, long c) => (9 * i * c) + (9 * c * c) + (i * c) + (3 * 2 * c);

    [Fact]
    public void Has_torchvisions_11_689_512_parameters_for_1000_classes()
    {
        const long stem = (3 * 64 * 7 * 7) + (2 * 64);
        var stages = (2 * Block(64)) + Down(64, 128) + Block(128) + Down(128, 256) + Block(256) + Down(256, 512) + Block(512);
        const long fc = (512 * 1000) + 1000;
        Assert.Equal(11_689_512, stem + stages + fc);

        using var model = new ResNet18(classes: 1000);
        Assert.Equal(11_689_512, model.ParameterCount);
        Assert.Equal(11_689_512, ModelTestKit.SumOfParameters(model));
        Assert.Equal(10 * 513, new ResNet18(classes: 1010).ParameterCount - model.ParameterCount);
    }

    [Fact]
    public void Matches_torchvision_on_the_same_weights()
    {
        using var reference = new PyTorchReference("resnet18");
        using var model = new ResNet18(classes: 1000);
        Assert.Equal(reference.ParameterCount, model.ParameterCount);

        reference.LoadInto(model);
        using var noGrad = no_grad();
        var logits = model.Forward(reference.Input("x"));
        Assert.Equal(new long[] { 2, 1000 }, logits.shape);
        output.WriteLine($"ResNet-18: largest difference from torchvision {reference.AssertClose("y", logits):G3}");
    }

    [Theory]
    [InlineData(32, 32)]
    [InlineData(33, 47)]
    [InlineData(1, 1)]
    public void Classifies_images_of_any_size(int height, int width)
    {
        using var model = new ResNet18(classes: 10);
        model.eval();
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 2, 10 }, model.Forward(randn(2, 3, height, width)).shape);
    }
}
