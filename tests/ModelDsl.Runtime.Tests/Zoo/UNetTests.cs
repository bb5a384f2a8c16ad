using ModelDsl.Models.Zoo;
using ModelDsl.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Zoo;

/// <summary>The U-Net against the same network in plain PyTorch, and its size rule (multiples of 4).</summary>
public sealed class UNetTests(ITestOutputHelper output) : OneThreadTests
{
    // Two 3×3 convolutions without bias, i→c and c→c, and two GroupNorms' scales and shifts.
    private static long DoubleConv(long i, long c) => (9 * i * c) + (9 * c * c) + (2 * 2 * c);

    [Fact]
    public void Matches_pytorch_with_group_norm_and_skip_connections()
    {
        using var reference = new PyTorchReference("unet");
        using var unet = new UNet(inChannels: 3, classes: 2, width: 8, groups: 4);
        var expected = DoubleConv(3, 8) + DoubleConv(8, 16) + DoubleConv(16, 32)
            + ((32 * 16 * 2 * 2) + 16) + DoubleConv(32, 16)
            + ((16 * 8 * 2 * 2) + 8) + DoubleConv(16, 8)
            + ((8 * 2) + 2);
        Assert.Equal(expected, unet.ParameterCount);
        Assert.Equal(expected, ModelTestKit.SumOfParameters(unet));
        Assert.Equal(expected, reference.ParameterCount);

        reference.LoadInto(unet);
        using var noGrad = no_grad();
        var scores = unet.Forward(reference.Input("x"));
        Assert.Equal(new long[] { 2, 2, 16, 16 }, scores.shape);
        output.WriteLine($"U-Net: largest difference from PyTorch {reference.AssertClose("y", scores):G3}");
    }

    [Theory]
    [InlineData(8, 12)]
    [InlineData(4, 4)]
    public void Keeps_any_size_that_is_a_multiple_of_4(int height, int width)
    {
        using var unet = new UNet(inChannels: 1, classes: 3, width: 4, groups: 2);
        using var noGrad = no_grad();
        Assert.Equal(new long[] { 1, 3, height, width }, unet.Forward(randn(1, 1, height, width)).shape);
    }

    [Fact]
    public void Rejects_a_size_the_skip_connections_cannot_join()
    {
        using var unet = new UNet(inChannels: 1, classes: 3, width: 4, groups: 2);
        var error = Assert.Throws<ShapeMismatchException>(() => unet.Forward(randn(1, 1, 10, 8)));
        Assert.Contains("Concat on 'Dec2'", error.Message, System.StringComparison.Ordinal);
        Assert.Contains("H = 10", error.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_groups_that_do_not_divide_the_width_when_constructed()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => new UNet(inChannels: 1, classes: 3, width: 6, groups: 4));
        Assert.Contains("GroupNorm", error.Message, System.StringComparison.Ordinal);
    }
}
