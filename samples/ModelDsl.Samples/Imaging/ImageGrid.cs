using System;
using System.IO;
using ModelDsl.IO;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Imaging;

/// <summary>The value range of an image tensor.</summary>
public enum PixelRange
{
    /// <summary>[-1, 1] (a tanh generator).</summary>
    MinusOneToOne,

    /// <summary>[0, 1].</summary>
    ZeroToOne,
}

/// <summary>Writes a batch of images as one PNG grid (SkiaSharp).</summary>
public static class ImageGrid
{
    /// <summary>
    /// Saves images <c>[N, C, H, W]</c> (C = 1 greyscale or 3 RGB) as a grid of <paramref name="columns"/> columns,
    /// each pixel drawn <paramref name="scale"/>×<paramref name="scale"/>, separated by <paramref name="padding"/> dark pixels.
    /// The file is replaced atomically.
    /// </summary>
    public static void SavePng(Tensor images, string path, PixelRange range, int columns = 8, int scale = 2, int padding = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (images.dim() != 4 || (images.shape[1] != 1 && images.shape[1] != 3))
            throw new ArgumentException($"Images must be [N, 1 or 3, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));

        var (count, channels, height, width) = ((int)images.shape[0], (int)images.shape[1], (int)images.shape[2], (int)images.shape[3]);
        byte[] pixels;
        using (var scope = NewDisposeScope())
        {
            var x = images.detach().cpu().to_type(ScalarType.Float32);
            if (range == PixelRange.MinusOneToOne)
                x = (x + 1) / 2;
            // [N, C, H, W] in [0, 1] → bytes [N, H, W, C].
            pixels = x.clamp(0, 1).mul(255).round().to_type(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().bytes.ToArray();
        }

        columns = Math.Min(columns, Math.Max(1, count));
        RenderThread.Run(() => Draw(pixels, path, count, channels, height, width, columns, scale, padding));
    }

    // Skia drawing, on the render thread (see RenderThread): only managed bytes come in.
    private static void Draw(byte[] pixels, string path, int count, int channels, int height, int width, int columns, int scale, int padding)
    {
        var rows = (count + columns - 1) / columns;
        var gridWidth = padding + columns * (width * scale + padding);
        var gridHeight = padding + rows * (height * scale + padding);
        using var bitmap = new SKBitmap(new SKImageInfo(gridWidth, gridHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(32, 32, 32));
        for (var n = 0; n < count; n++)
        {
            var left = padding + n % columns * (width * scale + padding);
            var top = padding + n / columns * (height * scale + padding);
            for (var y = 0; y < height; y++)
            {
                for (var xPos = 0; xPos < width; xPos++)
                {
                    var offset = ((n * height + y) * width + xPos) * channels;
                    var color = channels == 1
                        ? new SKColor(pixels[offset], pixels[offset], pixels[offset])
                        : new SKColor(pixels[offset], pixels[offset + 1], pixels[offset + 2]);
                    for (var dy = 0; dy < scale; dy++)
                    {
                        for (var dx = 0; dx < scale; dx++)
                            bitmap.SetPixel(left + xPos * scale + dx, top + y * scale + dy, color);
                    }
                }
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => png.SaveTo(stream));
    }
}
