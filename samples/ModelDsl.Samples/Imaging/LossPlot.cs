using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Samples.Cli;
using ScottPlot;

namespace ModelDsl.Samples.Imaging;

/// <summary>One curve of a loss plot.</summary>
/// <param name="Name">The legend text.</param>
/// <param name="Points">(step, loss) points.</param>
/// <param name="Smooth">Also draw an exponential moving average (for noisy per-step losses); the raw curve is drawn faint.</param>
public sealed record LossCurve(string Name, IReadOnlyList<LossPoint> Points, bool Smooth = false);

/// <summary>Writes loss curves as a PNG plot (ScottPlot).</summary>
public static class LossPlot
{
    /// <summary>Saves <paramref name="curves"/> against the step as a <paramref name="width"/>×<paramref name="height"/> PNG (replaced atomically).</summary>
    public static void SavePng(string path, string title, IEnumerable<LossCurve> curves, int width = 900, int height = 500, string yLabel = "loss")
    {
        var list = curves.ToList();
        RenderThread.Run(() => Draw(path, title, list, width, height, yLabel));
    }

    // ScottPlot drawing, on the render thread (see RenderThread).
    private static void Draw(string path, string title, List<LossCurve> curves, int width, int height, string yLabel)
    {
        var plot = new Plot();
        var index = 0;
        foreach (var curve in curves)
        {
            if (curve.Points.Count == 0)
                continue;
            var color = PlotFile.Palette[index++ % PlotFile.Palette.Length];
            var xs = curve.Points.Select(p => (double)p.Step).ToArray();
            var ys = curve.Points.Select(p => p.Value).ToArray();
            if (curve.Smooth && ys.Length > 10)
            {
                var raw = plot.Add.ScatterLine(xs, ys, color.WithAlpha(0.25));
                raw.LineWidth = 1;
                var smooth = plot.Add.ScatterLine(xs, MovingAverage(ys, Math.Clamp(ys.Length / 100, 2, 50)), color);
                smooth.LineWidth = 2;
                smooth.LegendText = curve.Name;
            }
            else
            {
                var line = plot.Add.ScatterLine(xs, ys, color);
                line.LineWidth = 2;
                line.LegendText = curve.Name;
                if (ys.Length <= 50)
                    line.MarkerSize = 5;
            }
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);

        PlotFile.SavePng(plot, path, width, height);
    }

    // Exponential moving average with the time constant of a window of `span` points, bias-corrected at the start.
    private static double[] MovingAverage(double[] values, int span)
    {
        var alpha = 2.0 / (span + 1);
        var result = new double[values.Length];
        double average = 0, weight = 0;
        for (var i = 0; i < values.Length; i++)
        {
            average = (1 - alpha) * average + alpha * values[i];
            weight = (1 - alpha) * weight + alpha;
            result[i] = average / weight;
        }
        return result;
    }
}
