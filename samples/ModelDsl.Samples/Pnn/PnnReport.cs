using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Spectre.Console;

namespace ModelDsl.Samples.Pnn;

/// <summary>The tables the <c>pnn</c> sample prints.</summary>
public static class PnnReport
{
    /// <summary>The text of the exact-equality check of one earlier task.</summary>
    public static string CheckText(TaskAccuracyRow row) =>
        row.IsNew ? "just trained (recorded)"
        : row.ProgressiveUnchanged ? "unchanged ✓ (bit-identical logits)"
        : string.Create(CultureInfo.InvariantCulture, $"CHANGED ✗ (max |Δlogit| {row.ProgressiveMaxDifference:0.###e+0})");

    /// <summary>The fine-tuning baseline's change on an earlier task, in percentage points.</summary>
    public static string ChangeText(double recorded, double now, bool identical, bool isNew) =>
        isNew ? "just trained"
        : identical ? "unchanged"
        : string.Create(CultureInfo.InvariantCulture, $"{(now - recorded) * 100:+0.00;−0.00;±0.00} pts");

    /// <summary>Accuracy as a percentage with two decimals.</summary>
    public static string Percent(double accuracy) => (accuracy * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>The table after a task: every task so far, progressive network beside the fine-tuning baseline.</summary>
    public static Table AfterTask(AfterTaskReport report, int totalTasks)
    {
        var table = new Table()
            .Title(Markup.Escape($"After task {report.TaskIndex + 1}/{totalTasks} ({report.TaskName}): test accuracy on every task so far — progressive network ({report.Columns} column{(report.Columns == 1 ? "" : "s")}) vs fine-tuning"))
            .AddColumn("Task")
            .AddColumn(new TableColumn("PNN when trained").RightAligned())
            .AddColumn(new TableColumn("PNN now").RightAligned())
            .AddColumn("PNN exact check")
            .AddColumn(new TableColumn("Fine-tuning when trained").RightAligned())
            .AddColumn(new TableColumn("Fine-tuning now").RightAligned())
            .AddColumn(new TableColumn("Fine-tuning change").RightAligned());
        foreach (var row in report.Rows)
        {
            var check = CheckText(row);
            table.AddRow(
                Markup.Escape(row.Task),
                Percent(row.ProgressiveRecorded),
                Percent(row.ProgressiveNow),
                row.IsNew ? Markup.Escape(check) : row.ProgressiveUnchanged ? $"[green]{Markup.Escape(check)}[/]" : $"[red]{Markup.Escape(check)}[/]",
                Percent(row.FineTuningRecorded),
                Percent(row.FineTuningNow),
                Markup.Escape(ChangeText(row.FineTuningRecorded, row.FineTuningNow, row.FineTuningUnchanged, row.IsNew)));
        }

        table.AddEmptyRow();
        table.AddRow(
            "[bold]mean[/]",
            Percent(report.Rows.Average(r => r.ProgressiveRecorded)),
            $"[bold]{Percent(report.Rows.Average(r => r.ProgressiveNow))}[/]",
            Markup.Escape(report.Rows.Count == 1 ? "" : report.Rows.Where(r => !r.IsNew).All(r => r.ProgressiveUnchanged) ? $"all {report.Rows.Count - 1} earlier unchanged ✓" : "NOT all unchanged ✗"),
            Percent(report.Rows.Average(r => r.FineTuningRecorded)),
            $"[bold]{Percent(report.Rows.Average(r => r.FineTuningNow))}[/]",
            Markup.Escape(report.Rows.Count == 1 ? "" : string.Create(CultureInfo.InvariantCulture,
                $"{(report.Rows.Average(r => r.FineTuningNow) - report.Rows.Average(r => r.FineTuningRecorded)) * 100:+0.00;−0.00;±0.00} pts")));
        return table;
    }

    /// <summary>Transfer: each task's column against a fresh column trained alone, and the parameters each column adds.</summary>
    public static Table Transfer(IReadOnlyList<TransferRow> rows, double threshold)
    {
        var thresholdText = Percent(threshold).Replace(".00%", "%", StringComparison.Ordinal);
        var table = new Table()
            .Title(Markup.Escape($"Transfer: each task's PNN column vs a fresh column (same initial weights, same batches, same steps)"))
            .AddColumn("Task")
            .AddColumn("Column(s)")
            .AddColumn(new TableColumn("Trainable params (column + adapters)").RightAligned())
            .AddColumn(new TableColumn("PNN test acc").RightAligned())
            .AddColumn(new TableColumn("Fresh test acc").RightAligned())
            .AddColumn(new TableColumn("Δ acc").RightAligned())
            .AddColumn(new TableColumn($"PNN steps to {thresholdText} val").RightAligned())
            .AddColumn(new TableColumn($"Fresh steps to {thresholdText} val").RightAligned());
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Task),
                string.Join(", ", row.ColumnIndexes),
                row.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture),
                Percent(row.ProgressiveAccuracy),
                Percent(row.FreshAccuracy),
                Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{(row.ProgressiveAccuracy - row.FreshAccuracy) * 100:+0.00;−0.00;±0.00} pts")),
                row.ProgressiveStepsToThreshold?.ToString(CultureInfo.InvariantCulture) ?? "not reached",
                row.FreshStepsToThreshold?.ToString(CultureInfo.InvariantCulture) ?? "not reached");
        }

        return table;
    }

    /// <summary>Columns grown on a plateau.</summary>
    public static Table Growth(IReadOnlyList<GrowthEvent> events)
    {
        var table = new Table().Title("Growth: columns added when validation accuracy plateaued below the target")
            .AddColumns("Task", "New column", "After step", "Validation accuracy at the plateau");
        foreach (var e in events)
            table.AddRow(Markup.Escape(e.Task), e.Column.ToString(CultureInfo.InvariantCulture), e.AtStep.ToString(CultureInfo.InvariantCulture), Percent(e.ValidationAccuracy));
        return table;
    }
}
