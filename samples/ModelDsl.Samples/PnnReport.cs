using System.Globalization;
using ModelDsl.Samples.Harness;
using ScottPlot;
using Spectre.Console;

namespace ModelDsl.Samples;

/// <summary>One task's line after a later task: its test accuracy now against the one recorded when it was trained, and whether the answers are bit for bit the same.</summary>
public sealed record TaskAccuracyRow(
    string Task, bool IsNew,
    double ProgressiveRecorded, double ProgressiveNow, bool ProgressiveUnchanged, double ProgressiveMaxDifference,
    double FineTuningRecorded, double FineTuningNow, bool FineTuningUnchanged);

/// <summary>Every task's line after training task <paramref name="TaskIndex"/>.</summary>
public sealed record AfterTaskReport(int TaskIndex, string TaskName, int Columns, IReadOnlyList<TaskAccuracyRow> Rows);

/// <summary>A task's column(s) against a fresh column trained alone on it (same initial weights, batches and steps).</summary>
/// <param name="TrainableParameters">Column and adapters, summed over the columns added for the task.</param>
public sealed record TransferRow(
    string Task, IReadOnlyList<int> ColumnIndexes, double ProgressiveAccuracy, double FreshAccuracy,
    int? ProgressiveStepsToThreshold, int? FreshStepsToThreshold, int ProgressiveStepsRun,
    long TrainableParameters, long FreshParameters, long NetworkParameters);

/// <summary>A column grown because a task's validation accuracy plateaued.</summary>
public sealed record GrowthEvent(string Task, int Column, int AtStep, double ValidationAccuracy);

/// <summary>The tables and the plot of the <c>pnn</c> sample.</summary>
public static class PnnReport
{
    public static string Percent(double accuracy) => (accuracy * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    public static string CheckText(TaskAccuracyRow row) =>
        row.IsNew ? "just trained (recorded)"
        : row.ProgressiveUnchanged ? "unchanged ✓ (bit-identical logits)"
        : string.Create(CultureInfo.InvariantCulture, $"CHANGED ✗ (max |Δlogit| {row.ProgressiveMaxDifference:0.###e+0})");

    public static string ChangeText(double recorded, double now, bool identical, bool isNew) =>
        isNew ? "just trained" : identical ? "unchanged" : Points(now - recorded);

    private static string Points(double difference) => string.Create(CultureInfo.InvariantCulture, $"{difference * 100:+0.00;−0.00;±0.00} pts");

    public static Table AfterTask(AfterTaskReport report, int totalTasks)
    {
        var table = new Table()
            .Title(Markup.Escape($"After task {report.TaskIndex + 1}/{totalTasks} ({report.TaskName}): test accuracy on every task so far — progressive network ({report.Columns} column{(report.Columns == 1 ? "" : "s")}) vs fine-tuning"))
            .AddColumn("Task").AddColumn(new TableColumn("PNN when trained").RightAligned()).AddColumn(new TableColumn("PNN now").RightAligned()).AddColumn("PNN exact check")
            .AddColumn(new TableColumn("Fine-tuning when trained").RightAligned()).AddColumn(new TableColumn("Fine-tuning now").RightAligned()).AddColumn(new TableColumn("Fine-tuning change").RightAligned());
        foreach (var row in report.Rows)
        {
            var check = Markup.Escape(CheckText(row));
            table.AddRow(Markup.Escape(row.Task), Percent(row.ProgressiveRecorded), Percent(row.ProgressiveNow),
                row.IsNew ? check : row.ProgressiveUnchanged ? $"[green]{check}[/]" : $"[red]{check}[/]",
                Percent(row.FineTuningRecorded), Percent(row.FineTuningNow), Markup.Escape(ChangeText(row.FineTuningRecorded, row.FineTuningNow, row.FineTuningUnchanged, row.IsNew)));
        }
        var earlier = report.Rows.Count - 1;
        table.AddEmptyRow();
        table.AddRow("[bold]mean[/]", Percent(report.Rows.Average(r => r.ProgressiveRecorded)), $"[bold]{Percent(report.Rows.Average(r => r.ProgressiveNow))}[/]",
            Markup.Escape(earlier == 0 ? "" : report.Rows.Where(r => !r.IsNew).All(r => r.ProgressiveUnchanged) ? $"all {earlier} earlier unchanged ✓" : "NOT all unchanged ✗"),
            Percent(report.Rows.Average(r => r.FineTuningRecorded)), $"[bold]{Percent(report.Rows.Average(r => r.FineTuningNow))}[/]",
            Markup.Escape(earlier == 0 ? "" : Points(report.Rows.Average(r => r.FineTuningNow) - report.Rows.Average(r => r.FineTuningRecorded))));
        return table;
    }

    public static Table Transfer(IReadOnlyList<TransferRow> rows, double threshold)
    {
        var target = Percent(threshold).Replace(".00%", "%", StringComparison.Ordinal);
        var table = new Table().Title("Transfer: each task's PNN column vs a fresh column (same initial weights, same batches, same steps)")
            .AddColumn("Task").AddColumn("Column(s)").AddColumn(new TableColumn("Trainable params (column + adapters)").RightAligned())
            .AddColumn(new TableColumn("PNN test acc").RightAligned()).AddColumn(new TableColumn("Fresh test acc").RightAligned()).AddColumn(new TableColumn("Δ acc").RightAligned())
            .AddColumn(new TableColumn($"PNN steps to {target} val").RightAligned()).AddColumn(new TableColumn($"Fresh steps to {target} val").RightAligned());
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Task), string.Join(", ", row.ColumnIndexes), row.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture),
                Percent(row.ProgressiveAccuracy), Percent(row.FreshAccuracy), Markup.Escape(Points(row.ProgressiveAccuracy - row.FreshAccuracy)),
                row.ProgressiveStepsToThreshold?.ToString(CultureInfo.InvariantCulture) ?? "not reached", row.FreshStepsToThreshold?.ToString(CultureInfo.InvariantCulture) ?? "not reached");
        }
        return table;
    }

    public static Table Growth(IReadOnlyList<GrowthEvent> events)
    {
        var table = new Table().Title("Growth: columns added when validation accuracy plateaued below the target")
            .AddColumns("Task", "New column", "After step", "Validation accuracy at the plateau");
        foreach (var e in events)
            table.AddRow(Markup.Escape(e.Task), e.Column.ToString(CultureInfo.InvariantCulture), e.AtStep.ToString(CultureInfo.InvariantCulture), Percent(e.ValidationAccuracy));
        return table;
    }

    /// <summary>Every task's test accuracy after each later task: the progressive network solid (flat by construction), fine-tuning dashed (falling as it forgets).</summary>
    public static void SavePlot(string path, string title, IReadOnlyList<AfterTaskReport> reports) => RenderThread.Run(() =>
    {
        var plot = new Plot();
        var tasks = reports.Select(r => r.TaskName).ToList();
        for (var t = 0; t < tasks.Count; t++)
        {
            var rows = reports.Skip(t).Select(r => r.Rows.First(row => row.Task == tasks[t])).ToList();
            var xs = Enumerable.Range(t + 1, rows.Count).Select(x => (double)x).ToArray();
            var color = Plots.Palette[t % Plots.Palette.Length];
            var progressive = plot.Add.ScatterLine(xs, rows.Select(r => 100 * r.ProgressiveNow).ToArray(), color);
            (progressive.LineWidth, progressive.MarkerSize, progressive.LegendText) = (2.5f, 7, $"{tasks[t]}: progressive");
            var fineTuning = plot.Add.ScatterLine(xs, rows.Select(r => 100 * r.FineTuningNow).ToArray(), color);
            (fineTuning.LineWidth, fineTuning.LinePattern, fineTuning.MarkerSize, fineTuning.LegendText) = (2, LinePattern.Dashed, 5, $"{tasks[t]}: fine-tuning");
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(1, tasks.Count).Select(x => (double)x).ToArray(), tasks.Select(t => "after " + t).ToArray());
        plot.Axes.SetLimitsX(0.7, tasks.Count + 0.3);
        plot.Axes.SetLimitsY(0, 102);
        plot.Title(title);
        plot.YLabel("test accuracy (%)");
        plot.ShowLegend(Alignment.LowerLeft);
        Plots.SavePng(plot, path, 1000, 560);
    });
}
