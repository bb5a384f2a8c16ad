using System.Collections.Generic;
using System.Linq;
using ModelDsl.Samples;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>The discriminator's augmentation: whole-pixel shifts of each image, the border filled with the background.</summary>
public sealed class ImageShiftTests
{
    /// <summary><paramref name="image"/> <c>[C, H, W]</c> moved <paramref name="dy"/> rows down and <paramref name="dx"/> columns right.</summary>
    private static Tensor Moved(Tensor image, int dy, int dx, float background)
    {
        var (h, w) = ((int)image.shape[1], (int)image.shape[2]);
        var result = full_like(image, background);
        var (rows, columns) = (h - System.Math.Abs(dy), w - System.Math.Abs(dx));
        result.narrow(1, System.Math.Max(dy, 0), rows).narrow(2, System.Math.Max(dx, 0), columns)
            .copy_(image.narrow(1, System.Math.Max(-dy, 0), rows).narrow(2, System.Math.Max(-dx, 0), columns));
        return result;
    }

    [Fact]
    public void EachImageIsItselfMovedByWholePixelsWithinTheLimit()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var images = rand(32, 1, 9, 11) * 2 - 1;
        var shifted = ImageShift.Random(images, 2, background: -1);

        var offsets = new HashSet<(int, int)>();
        for (var i = 0; i < images.shape[0]; i++)
        {
            var matches = (from dy in Enumerable.Range(-2, 5)
                           from dx in Enumerable.Range(-2, 5)
                           where Moved(images[i], dy, dx, -1).allclose(shifted[i], rtol: 0, atol: 1e-5)
                           select (dy, dx)).ToList();
            Assert.True(matches.Count == 1, $"image {i} is no whole-pixel shift of its input within ±2 px (matches: {matches.Count})");
            offsets.Add(matches[0]);
        }
        Assert.True(offsets.Count > 5, $"32 images took only {offsets.Count} distinct offsets");
    }

    [Fact]
    public void GradientsReachTheImagesAndNoShiftIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        var images = rand(4, 1, 8, 8).requires_grad_(true);
        ImageShift.Random(images, 1, background: 0).sum().backward();
        Assert.True(images.grad is { } grad && grad.abs().sum().item<float>() > 0);
        Assert.Same(images, ImageShift.Random(images, 0, background: 0));
    }
}
