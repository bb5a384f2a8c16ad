using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check.Rules;

/// <summary>
/// The named values a step can refer to: the Forward arguments and the outputs of earlier members,
/// each with its shape and the local variable that holds it in the generated Forward.
/// </summary>
internal sealed class TapTable
{
    private readonly Dictionary<string, Tap> _taps = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    public void Add(string name, EquatableArray<Dim> shape, string variable)
    {
        if (!_taps.ContainsKey(name))
            _order.Add(name);
        _taps[name] = new Tap(shape, variable);
    }

    public Tap? Find(string name) => _taps.TryGetValue(name, out var tap) ? tap : null;

    /// <summary>Finds a tap, or reports MDL0107 at the step that named it and returns null.</summary>
    public Tap? Require(CheckContext context, StepInput input, string name)
    {
        var tap = Find(name);
        if (tap is null)
            context.Report(Diagnostics.DiagnosticDescriptors.UnknownTap, input.Location, name, input.MemberName, Known);
        return tap;
    }

    public string Known => string.Join(", ", _order);

    /// <summary>The value that entered the member being checked: the default operand of a residual.</summary>
    public Tap? MemberInput { get; set; }

    public IEnumerable<string> Variables => _taps.Values.Select(t => t.Variable);
}

/// <summary>A named value's shape and its variable in the generated Forward.</summary>
internal sealed record Tap(EquatableArray<Dim> Shape, string Variable);
