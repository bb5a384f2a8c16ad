using ModelDsl.IO;
using ModelDsl.Training;
using ScottPlot;
using SkiaSharp;
using static TorchSharp.torch;

namespace ModelDsl.Samples.Harness;

/// <summary>One curve of a plot; <paramref name="Smooth"/> adds a moving average over a faint raw curve (noisy per-step losses).</summary>
public sealed record Curve(string Name, IReadOnlyList<LossPoint> Points, bool Smooth = false);

/// <summary>One plot of <see cref="Plots.SavePanels"/>.</summary>
public sealed record PlotPanel(string Title, YAxis Axis, string YLabel, params Curve[] Curves);

/// <summary>How a plot's y axis reads.</summary>
public enum YAxis
{
    /// <summary>The data's range, not below 0 unless the data is.</summary>
    Linear,

    /// <summary>Logarithmic: a loss that falls by orders of magnitude keeps showing progress.</summary>
    Log,

    /// <summary>Fractions in [0, 1] drawn as 0–100%.</summary>
    Percent,
}

/// <summary>PNG plots (ScottPlot) and image grids (SkiaSharp), drawn on the <see cref="RenderThread"/> and written atomically.</summary>
public static class Plots
{
    /// <summary>matplotlib's first six colours, so the plots read like PyTorch users' own.</summary>
    public static readonly Color[] Palette = [new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189), new(140, 86, 75)];

    /// <summary>Curves against the step.</summary>
    public static void Save(string path, string title, YAxis axis, string yLabel, params Curve[] curves) => RenderThread.Run(() =>
    {
        using var plot = Build(title, axis, yLabel, curves);
        SavePng(plot, path, 900, 500);
    });

    /// <summary>Several plots of curves against the step, side by side in one PNG (losses beside evaluation metrics, say).</summary>
    public static void SavePanels(string path, params PlotPanel[] panels) => RenderThread.Run(() =>
    {
        if (panels.Length == 0)
            throw new ArgumentException("Give at least one panel.", nameof(panels));
        const int width = 600, height = 450;
        using var bitmap = new SKBitmap(new SKImageInfo(width * panels.Length, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (var i = 0; i < panels.Length; i++)
            {
                using var plot = Build(panels[i].Title, panels[i].Axis, panels[i].YLabel, panels[i].Curves);
                using var panel = SKBitmap.Decode(plot.GetImageBytes(width, height, ImageFormat.Png));
                canvas.DrawBitmap(panel, i * width, 0);
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, png.SaveTo);
    });

    private static Plot Build(string title, YAxis axis, string yLabel, IReadOnlyList<Curve> curves)
    {
        var plot = new Plot();
        double Y(double v) => axis switch { YAxis.Log => Math.Log10(Math.Max(v, 1e-12)), YAxis.Percent => 100 * v, _ => v };
        foreach (var (curve, color) in curves.Where(c => c.Points.Count > 0).Select((c, i) => (c, Palette[i % Palette.Length])))
        {
            var xs = curve.Points.Select(p => (double)p.Step).ToArray();
            var ys = curve.Points.Select(p => Y(p.Value)).ToArray();
            var smooth = curve.Smooth && ys.Length > 10;
            if (smooth)
                plot.Add.ScatterLine(xs, ys, color.WithAlpha(0.25)).LineWidth = 1;
            var line = plot.Add.ScatterLine(xs, smooth ? MovingAverage(ys, Math.Clamp(ys.Length / 100, 2, 50)) : ys, color);
            line.LineWidth = 2;
            line.LegendText = curve.Name;
            if (!smooth && ys.Length <= 50)
                line.MarkerSize = 5;
        }
        var all = curves.SelectMany(c => c.Points).ToList();
        if (all.Count == 0)
            all.Add(new LossPoint(0, 1));
        if (axis == YAxis.Log)
        {
            // Ticks at 1, 2 and 5 (or every digit, when the curve spans less than a decade) times powers of ten.
            var (low, high) = (all.Min(p => Y(p.Value)), all.Max(p => Y(p.Value)));
            var digits = high - low < 1.2 ? Enumerable.Range(1, 9).ToArray() : high - low < 4 ? [1, 2, 5] : [1];
            var ticks = Enumerable.Range((int)Math.Floor(low), (int)Math.Ceiling(high) - (int)Math.Floor(low) + 1)
                .SelectMany(k => digits.Select(d => d * Math.Pow(10, k))).Where(v => Math.Log10(v) >= low - 0.05 && Math.Log10(v) <= high + 0.05).ToArray();
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                ticks.Select(Math.Log10).ToArray(), ticks.Select(TickLabel).ToArray());
            plot.Axes.SetLimitsY(low - 0.05 * (high - low + 0.1), high + 0.05 * (high - low + 0.1));
        }
        else if (axis == YAxis.Percent)
        {
            plot.Axes.SetLimitsY(-2, 102);
        }
        else
        {
            // The data's range with a margin, never below 0 for values that are not (a loss is not negative).
            var (low, high) = (all.Min(p => p.Value), all.Max(p => p.Value));
            var margin = 0.05 * (high - low) + 1e-9;
            plot.Axes.SetLimitsY(low >= 0 ? Math.Max(0, low - margin) : low - margin, high + margin);
        }
        plot.Axes.SetLimitsX(Math.Min(0, all.Min(p => p.Step)), Math.Max(1, all.Max(p => p.Step)) * 1.02);
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(axis == YAxis.Log ? $"{yLabel} (log scale)" : yLabel);
        plot.ShowLegend(axis == YAxis.Percent ? Alignment.LowerRight : Alignment.UpperRight);
        return plot;
    }

    /// <summary>Renders a plot built by the caller (on the render thread) and replaces <paramref name="path"/> atomically.</summary>
    public static void SavePng(Plot plot, string path, int width, int height)
    {
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>Images <c>[N, 1 or 3, H, W]</c> in [−1, 1] (or [0, 1]) as a PNG grid, each pixel drawn 2×2.</summary>
    public static void SaveGrid(Tensor images, string path, bool minusOneToOne = true)
    {
        if (images.dim() != 4 || (images.shape[1] != 1 && images.shape[1] != 3))
            throw new ArgumentException($"Images must be [N, 1 or 3, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        var (count, channels, height, width) = ((int)images.shape[0], (int)images.shape[1], (int)images.shape[2], (int)images.shape[3]);
        byte[] pixels;
        using (NewDisposeScope())
        {
            var x = images.detach().cpu().to_type(ScalarType.Float32);
            x = minusOneToOne ? (x + 1) / 2 : x;
            pixels = x.clamp(0, 1).mul(255).round().to_type(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().bytes.ToArray();
        }
        RenderThread.Run(() =>
        {
            const int scale = 2, gap = 2;
            var columns = (int)Math.Ceiling(Math.Sqrt(count));
            var rows = (count + columns - 1) / columns;
            using var bitmap = new SKBitmap(new SKImageInfo(gap + columns * (width * scale + gap), gap + rows * (height * scale + gap), SKColorType.Rgba8888, SKAlphaType.Opaque));
            bitmap.Erase(new SKColor(32, 32, 32));
            for (var n = 0; n < count; n++)
            {
                for (var y = 0; y < height * scale; y++)
                {
                    for (var x = 0; x < width * scale; x++)
                    {
                        var at = ((n * height + y / scale) * width + x / scale) * channels;
                        var color = channels == 1 ? new SKColor(pixels[at], pixels[at], pixels[at]) : new SKColor(pixels[at], pixels[at + 1], pixels[at + 2]);
                        bitmap.SetPixel(gap + n % columns * (width * scale + gap) + x, gap + n / columns * (height * scale + gap) + y, color);
                    }
                }
            }
            using var image = SKImage.FromBitmap(bitmap);
            using var png = image.Encode(SKEncodedImageFormat.Png, 100);
            AtomicFile.Write(path, png.SaveTo);
        });
    }

    // 0.02 as itself, 0.00002 as 2e-5.
    private static string TickLabel(double value) => value >= 1e-3
        ? value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)
        : FormattableString.Invariant($"{Math.Round(value / Math.Pow(10, Math.Floor(Math.Log10(value) + 1e-9)))}e{Math.Floor(Math.Log10(value) + 1e-9)}");

    // Exponential moving average with the time constant of a `span`-point window, bias-corrected at the start.
    private static double[] MovingAverage(double[] values, int span)
    {
        var alpha = 2.0 / (span + 1);
        double average = 0, weight = 0;
        return values.Select(v =>
        {
            average = (1 - alpha) * average + alpha * v;
            weight = (1 - alpha) * weight + alpha;
            return average / weight;
        }).ToArray();
    }
}
