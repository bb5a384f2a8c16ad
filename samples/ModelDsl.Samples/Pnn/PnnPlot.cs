using System.Collections.Generic;
using System.Linq;
using ModelDsl.Samples.Imaging;
using ScottPlot;

namespace ModelDsl.Samples.Pnn;

/// <summary>
/// The forgetting picture: every task's test accuracy after each later task, for the progressive network (solid,
/// flat by construction) and the fine-tuning baseline (dashed, falling as it forgets).
/// </summary>
public static class PnnPlot
{
    /// <summary>Saves the plot of <paramref name="reports"/> (one per task, in order) as a PNG (replaced atomically).</summary>
    public static void SavePng(string path, string title, IReadOnlyList<AfterTaskReport> reports) =>
        RenderThread.Run(() => Draw(path, title, reports));

    private static void Draw(string path, string title, IReadOnlyList<AfterTaskReport> reports)
    {
        var plot = new Plot();
        var tasks = reports.Select(r => r.TaskName).ToList();
        for (var t = 0; t < tasks.Count; t++)
        {
            // Task t's accuracy after training task t, t + 1, ….
            var rows = reports.Skip(t).Select(r => r.Rows.First(row => row.Task == tasks[t])).ToList();
            var xs = Enumerable.Range(t + 1, rows.Count).Select(x => (double)x).ToArray();
            var color = PlotFile.Palette[t % PlotFile.Palette.Length];

            var progressive = plot.Add.ScatterLine(xs, rows.Select(r => 100 * r.ProgressiveNow).ToArray(), color);
            progressive.LineWidth = 2.5f;
            progressive.MarkerSize = 7;
            progressive.LegendText = $"{tasks[t]}: progressive";

            var fineTuning = plot.Add.ScatterLine(xs, rows.Select(r => 100 * r.FineTuningNow).ToArray(), color);
            fineTuning.LineWidth = 2;
            fineTuning.LinePattern = LinePattern.Dashed;
            fineTuning.MarkerSize = 5;
            fineTuning.LegendText = $"{tasks[t]}: fine-tuning";
        }

        var positions = Enumerable.Range(1, tasks.Count).Select(x => (double)x).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, tasks.Select(t => "after " + t).ToArray());
        plot.Axes.SetLimitsX(0.7, tasks.Count + 0.3);
        plot.Axes.SetLimitsY(0, 102);
        plot.Title(title);
        plot.YLabel("test accuracy (%)");
        plot.ShowLegend(Alignment.LowerLeft);

        PlotFile.SavePng(plot, path, 1000, 560);
    }
}
