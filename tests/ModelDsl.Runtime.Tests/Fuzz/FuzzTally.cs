using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelDsl.Runtime.Tests.Fuzz;

/// <summary>
/// Runs a loader's fuzz cases and keeps score: each outcome class (loaded, or an exception type with the gist of its
/// message), the slowest case, and every violation of the loader's promises with the case that broke it.
/// </summary>
internal sealed partial class FuzzTally(string loader, string fileName, IReadOnlyList<Type> documented)
{
    private readonly SortedDictionary<string, int> classes = new(StringComparer.Ordinal);
    private readonly List<string> violations = [];
    private (TimeSpan Time, string Case) slowest = (TimeSpan.Zero, "");

    public int Cases { get; private set; }

    public IReadOnlyList<string> Violations => violations;

    /// <summary>
    /// Runs one case. <paramref name="load"/> loads the file; <paramref name="unchanged"/>, called after a refusal,
    /// says whether the target is as it was; <paramref name="loaded"/>, after a success, whether what was loaded is
    /// consistent (null when fine, else why not).
    /// </summary>
    public void Run(string description, Action load, Func<bool> unchanged, Func<string?>? loaded = null)
    {
        Cases++;
        var clock = Stopwatch.StartNew();
        Exception? error = null;
        try
        {
            load();
        }
        catch (Exception e)
        {
            error = e;
        }
        clock.Stop();
        if (clock.Elapsed > slowest.Time)
            slowest = (clock.Elapsed, description);

        if (error is null)
        {
            Count("loaded");
            if (loaded?.Invoke() is string problem)
                violations.Add($"{description}: loaded, but {problem}");
            return;
        }
        Count($"{error.GetType().Name}: {Gist(error.Message)}");
        if (!documented.Any(t => t.IsInstanceOfType(error)))
            violations.Add($"{description}: {error.GetType().FullName} is not a documented exception: {error.Message}");
        else if (!error.Message.Contains(fileName, StringComparison.Ordinal))
            violations.Add($"{description}: the message does not name {fileName}: {error.Message}");
        if (!unchanged())
            violations.Add($"{description}: {error.GetType().Name} was thrown, but the target changed");
    }

    public string Summary()
    {
        var text = new StringBuilder($"{loader}: {Cases:N0} inputs, {classes.Values.Sum() - classes.GetValueOrDefault("loaded"):N0} refused, {classes.GetValueOrDefault("loaded"):N0} loaded; slowest {slowest.Time.TotalMilliseconds:F1} ms ({slowest.Case})");
        foreach (var (outcome, count) in classes.OrderByDescending(kv => kv.Value))
            text.Append($"\n  {count,6:N0}  {outcome}");
        foreach (var violation in violations.Take(20))
            text.Append($"\n  VIOLATION {violation}");
        return text.ToString();
    }

    private void Count(string outcome) => classes[outcome] = classes.GetValueOrDefault(outcome) + 1;

    // The message without the file name, quoted names, numbers and details in parentheses: its kind, not its case.
    private string Gist(string message)
    {
        var gist = message.Replace(fileName, "", StringComparison.Ordinal).TrimStart(':', ' ');
        gist = Parenthesised().Replace(gist, "(…)");
        gist = Quoted().Replace(gist, "'…'");
        gist = HexNumbers().Replace(gist, "X");
        gist = Numbers().Replace(gist, "N");
        var firstLine = gist.Split('\n')[0];
        return firstLine.Length > 90 ? firstLine[..90] + "…" : firstLine;
    }

    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b(?=[0-9A-F]*[A-F])[0-9A-F]{2,8}\b")]
    private static partial Regex HexNumbers();

    [GeneratedRegex(@"-?[0-9][0-9,.]*")]
    private static partial Regex Numbers();
}
