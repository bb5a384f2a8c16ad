using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Benchmarks.Measurement;

/// <summary>A GitHub-flavoured markdown table, padded so it also reads well in a terminal.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Add(params object[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        _rows.Add(cells.Select(c => Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray());
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            text.Append("| ").Append(string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i])))).Append(" |\n");
        Line(headers);
        text.Append("| ").Append(string.Join(" | ", widths.Select(w => new string('-', w)))).Append(" |\n");
        foreach (var row in _rows)
            Line(row);
        return text.ToString();
    }
}
