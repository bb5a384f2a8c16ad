using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// What a kind's shape rule returns: the typed operation and the shape it produces; a split (or a recurrent layer)
/// also names the parts (final states) it produces, which become taps.
/// </summary>
internal sealed record Checked(Op Op, EquatableArray<Dim> Output, IReadOnlyList<(TapRef Part, EquatableArray<Dim> Shape)>? Parts = null);

/// <summary>
/// What one attribute's shape rule sees: the member, the attribute, the value flowing in, the taps, and readers
/// for its arguments by name (the attribute property's <c>nameof</c>). A reader that finds a malformed argument
/// reports it and returns null; the rule then returns null too.
/// </summary>
internal sealed class StepContext(CheckContext model, MemberSpec member, StepSpec step, EquatableArray<Dim> shape, TapTable taps, Tap memberInput)
{
    public CheckContext Model { get; } = model;

    public MemberSpec Member { get; } = member;

    public StepSpec Step { get; } = step;

    /// <summary>The shape of the value flowing into this step.</summary>
    public EquatableArray<Dim> Shape { get; } = shape;

    public TapTable Taps { get; } = taps;

    /// <summary>The value that entered the member: a residual's default operand.</summary>
    public Tap MemberInput { get; } = memberInput;

    public string MemberName => Member.Name;

    /// <summary>The attribute's name as written: <c>Linear</c>.</summary>
    public string Kind => Step.Name;

    public LocationInfo? Location => Step.Location ?? Member.Location;

    public int Rank => Shape.Count;

    public bool Has(string argument) => Step.Get(argument) is { Kind: not ArgKind.Null };

    /// <summary>An integer argument: a constant or a hyperparameter expression; <paramref name="fallback"/> when absent.</summary>
    public Dim? Dim(string argument, Dim? fallback = null, bool positive = true, bool allowZero = false)
        => Step.Get(argument) is { Kind: not ArgKind.Null } arg
            ? Model.ReadDim(Step, arg, argument, MemberName, positive, allowZero)
            : fallback ?? Missing<Dim>(argument);

    /// <summary>A constant integer argument such as a dimension index.</summary>
    public long? Int(string argument, long fallback)
        => Step.Get(argument) is { } arg ? Model.ReadInt(Step, arg, argument, MemberName) : fallback;

    /// <summary>A constant real argument such as an epsilon.</summary>
    public double? Real(string argument, double fallback)
        => Step.Get(argument) is { } arg ? Model.ReadDouble(Step, arg, argument, MemberName) : fallback;

    public bool? Bool(string argument, bool fallback)
        => Step.Get(argument) is { } arg ? Model.ReadBool(Step, arg, argument, MemberName) : fallback;

    /// <summary>
    /// A rate: a number in [min, max] or a hyperparameter name (range-checked by the constructor, whose message calls
    /// it <paramref name="display"/>, by default the argument's name).
    /// </summary>
    public RealArg? Rate(string argument, double fallback, double min = 0, double max = 1, string? display = null)
        => Model.ReadRate(Step, Step.Get(argument) ?? ArgValue.Of(ArgKind.Double, fallback.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), display ?? argument, MemberName, min, max);

    /// <summary>The items of an array argument (a params array); a single value counts as one item.</summary>
    public EquatableArray<ArgValue> Items(string argument)
        => Step.Get(argument) switch
        {
            { Kind: ArgKind.Array } array => array.Items,
            { Kind: ArgKind.Null } or null => EquatableArray<ArgValue>.Empty,
            var single => new[] { single }.ToEquatableArray(),
        };

    /// <summary>A tap name argument: a Forward argument, an earlier member or a split part.</summary>
    public Tap? Tap(string argument)
    {
        var arg = Step.Get(argument);
        return arg is { Kind: ArgKind.String, Text.Length: > 0 } ? Taps.Require(this, arg.Text) : BadTapName(argument, arg);
    }

    /// <summary>The taps named by an array argument, in order.</summary>
    public List<Tap>? TapList(string argument)
    {
        var taps = new List<Tap>();
        foreach (var item in Items(argument))
        {
            var tap = item is { Kind: ArgKind.String, Text.Length: > 0 } ? Taps.Require(this, item.Text) : BadTapName(argument, item);
            if (tap is null)
                return null;
            taps.Add(tap);
        }

        return taps;
    }

    /// <summary>A dimension index in [-rank, rank), normalised to [0, rank); reports MDL0116 when out of range.</summary>
    public int? Axis(string argument, long fallback, int rank)
    {
        var value = Int(argument, fallback);
        if (value is null)
            return null;
        if (value < -rank || value >= rank)
        {
            Report(DiagnosticDescriptors.AxisOutOfRange, Kind, MemberName, value, ShapeText.Format(Shape), rank);
            return null;
        }

        return (int)(value < 0 ? value + rank : value);
    }

    /// <summary>Requires an input of the given rank; reports MDL0106 otherwise.</summary>
    public bool RequireRank(int rank, string expected)
    {
        if (Rank == rank)
            return true;
        Report(DiagnosticDescriptors.RankMismatch, Kind, MemberName, expected, ShapeText.Format(Shape));
        return false;
    }

    /// <summary>Requires a size the constructor needs to be known there; reports MDL0108 otherwise.</summary>
    public bool KnownAtConstruction(Dim size, string what)
    {
        if (Model.IsKnownAtConstruction(size))
            return true;
        Report(DiagnosticDescriptors.SizeNotKnownAtConstruction, Kind, MemberName, what, size);
        return false;
    }

    public void Report(DiagnosticDescriptor descriptor, params object[] arguments) => Model.Report(descriptor, Location, arguments);

    /// <summary>Reports and returns null, for a rule's early exits.</summary>
    public Checked? Fail(DiagnosticDescriptor descriptor, params object[] arguments)
    {
        Report(descriptor, arguments);
        return null;
    }

    /// <summary>Reports with the repair the code fix applies to this attribute, and returns null.</summary>
    public Checked? Fail(DiagnosticDescriptor descriptor, Fix? fix, params object[] arguments)
    {
        Model.Report(descriptor, Location, fix, arguments);
        return null;
    }

    /// <summary>A fix that sets an argument of this step's attribute.</summary>
    public Fix SetArgument(string argument, Dim value, int? index = null) => Fix.SetArgument(Step.Location, argument, value.ToString(), index);

    /// <summary>Reports an argument of the wrong type (MDL0005) and returns null.</summary>
    public Checked? WrongType(string problem) => Fail(DiagnosticDescriptors.ArgumentType, Kind, MemberName, problem);

    private T? Missing<T>(string argument)
        where T : class
    {
        Report(DiagnosticDescriptors.MissingArguments, Kind, MemberName, $"{argument} is required");
        return null;
    }

    private Tap? BadTapName(string argument, ArgValue? arg)
    {
        Report(DiagnosticDescriptors.ArgumentType, Kind, MemberName, $"{argument} must name a Forward argument, an earlier member or a split part{(arg is null ? "" : ", not " + CheckContext.Describe(arg))}");
        return null;
    }
}
