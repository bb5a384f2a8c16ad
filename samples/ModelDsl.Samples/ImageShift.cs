using static TorchSharp.torch;

namespace ModelDsl.Samples;

/// <summary>
/// Random translation of a batch of images (DiffAugment's translation, Zhao et al. 2020): each image moves by whole
/// pixels, up to <c>most</c> each way along each axis, and the uncovered border takes the background value.
/// Differentiable in the images, so it may sit between a generator and its discriminator.
/// </summary>
public static class ImageShift
{
    /// <summary>Shifts each image of <paramref name="images"/> <c>[B, C, H, W]</c> by its own offsets, drawn from the global generator.</summary>
    public static Tensor Random(Tensor images, int most, double background)
    {
        if (most == 0)
            return images;
        using var scope = NewDisposeScope();
        var n = images.shape[0];
        // Whole-pixel offsets in grid_sample's normalised coordinates, where the image spans [−1, 1]: one pixel is 2 / size.
        var offsets = randint(-most, most + 1, [n, 2], dtype: ScalarType.Float32);
        var scale = tensor(new[] { 2f / images.shape[3], 2f / images.shape[2] });
        var identity = eye(2).expand(n, 2, 2);
        var theta = cat([identity, (offsets * scale).unsqueeze(2)], 2);
        var grid = nn.functional.affine_grid(theta, images.shape, align_corners: false);
        // grid_sample fills outside the image with zeros: sample the offset from the background, then add it back.
        return (nn.functional.grid_sample(images - background, grid, align_corners: false) + background).MoveToOuterDisposeScope();
    }
}
