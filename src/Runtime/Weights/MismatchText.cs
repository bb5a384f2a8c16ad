using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Weights;

/// <summary>The indented sections of a "does not fit this model" message, one per kind of mismatch.</summary>
internal static class MismatchText
{
    /// <summary>
    /// Appends <c>title (count):</c> and the entries, one per line; nothing when there are none. Past
    /// <paramref name="limit"/> entries, one line says how many more there are.
    /// </summary>
    public static void AppendSection(StringBuilder text, string title, IReadOnlyList<string> entries, int limit = int.MaxValue)
    {
        if (entries.Count == 0)
            return;
        text.Append($"\n  {title} ({entries.Count}):");
        foreach (var entry in entries.Take(limit))
            text.Append("\n    ").Append(entry);
        if (entries.Count > limit)
            text.Append($"\n    … and {entries.Count - limit} more");
    }
}
