using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// The named values a step can read: the Forward arguments, the outputs of earlier members and the parts of their
/// splits, each with its shape and what produced it (for messages).
/// </summary>
internal sealed class TapTable
{
    private readonly Dictionary<string, Tap> _taps = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    /// <summary>Adds a tap; false when the name is taken.</summary>
    public bool Add(Tap tap)
    {
        if (_taps.ContainsKey(tap.Ref.Name))
            return false;
        _order.Add(tap.Ref.Name);
        _taps[tap.Ref.Name] = tap;
        return true;
    }

    public Tap? Find(string name) => _taps.TryGetValue(name, out var tap) ? tap : null;

    /// <summary>The one tap whose name equals <paramref name="name"/> ignoring case; null when none or several do.</summary>
    public Tap? FindIgnoringCase(string name)
    {
        var matches = _order.Where(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? _taps[matches[0]] : null;
    }

    /// <summary>Finds a tap that holds one value, or reports MDL0107 (unknown) or MDL0125 (a split member) and returns null.</summary>
    public Tap? Require(StepContext step, string name)
    {
        var tap = Find(name);
        if (tap is null)
            step.Report(DiagnosticDescriptors.UnknownTap, name, step.MemberName, Known);
        else if (tap.Parts is { } parts)
            step.Report(DiagnosticDescriptors.SplitHasNoValue, name, string.Join(", ", parts));
        return tap is { Parts: null } ? tap : null;
    }

    public string Known => string.Join(", ", _order);
}

/// <summary>
/// A named value's shape and who produced it (<c>Linear 'Fc'</c>, or <c>Input 'x'</c> for an argument).
/// <see cref="Parts"/> is set for a member that ends in a split: it holds no value of its own, only its parts.
/// </summary>
internal sealed record Tap(TapRef Ref, EquatableArray<Dim> Shape, string ProducerKind, string Producer, EquatableArray<string>? Parts = null);
