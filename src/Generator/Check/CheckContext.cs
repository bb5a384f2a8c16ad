using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// What the shape rules share while checking one model: hyperparameter resolution, argument reading,
/// comparisons that may be undecidable at compile time (which become guards), and the diagnostics.
/// </summary>
internal sealed class CheckContext
{
    private static readonly HashSet<string> IntegerTypes = new(StringComparer.Ordinal) { "int", "long", "short", "byte", "uint", "ushort", "sbyte" };
    private static readonly HashSet<string> RealTypes = new(StringComparer.Ordinal) { "double", "float" };

    private readonly Func<string, Dim?>? _outerBinding;
    private readonly Dictionary<string, Dim> _runtimeSymbols = new(StringComparer.Ordinal);

    public CheckContext(ModelSpec spec, Func<string, Dim?>? outerBinding)
    {
        Spec = spec;
        _outerBinding = outerBinding;
    }

    public ModelSpec Spec { get; }

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    public List<GuardPlan> Guards { get; } = new();

    /// <summary>Range checks of real hyperparameters such as dropout rates, run by the constructor.</summary>
    public List<RateGuardPlan> RateGuards { get; } = new();

    /// <summary>Whether an error was reported; the plan is then discarded.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);

    /// <summary>Whether this model is checked as a layer of another (its symbols are bound by the outer model).</summary>
    public bool IsNested => _outerBinding is not null;

    public void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
        => Diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    /// <summary>Reports a diagnostic with the repair the code fix applies.</summary>
    public void Report(DiagnosticDescriptor descriptor, LocationInfo? location, Fix? fix, params object[] arguments)
        => Diagnostics.Add(fix is null ? DiagnosticInfo.Create(descriptor, location, arguments) : DiagnosticInfo.Create(descriptor, location, arguments).WithFix(fix));

    /// <summary>Resolves an identifier in a dimension expression, or returns null if it is unknown.</summary>
    public Dim? Resolve(string name)
    {
        if (_runtimeSymbols.TryGetValue(name, out var bound))
            return bound;
        foreach (var constant in Spec.Constants)
            if (constant.Name == name && IsInteger(constant.Type) && long.TryParse(constant.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                return Dim.Const(value);
        foreach (var parameter in Spec.Parameters)
            if (parameter.Name == name && IsInteger(parameter.Type))
                return _outerBinding?.Invoke(name) ?? Dim.Symbol(name);
        return null;
    }

    /// <summary>Resolves a hyperparameter or integer constant (not a symbolic input dim), or returns null.</summary>
    public Dim? ResolveHyperparameter(string name) => _runtimeSymbols.ContainsKey(name) ? null : Resolve(name);

    /// <summary>Binds a symbolic dim such as <c>B</c> from a Forward argument's declared shape.</summary>
    public Dim BindRuntimeSymbol(string name, Dim? value = null)
    {
        if (!_runtimeSymbols.TryGetValue(name, out var dim))
            _runtimeSymbols[name] = dim = value ?? Dim.Symbol(name);
        return dim;
    }

    public bool IsRuntimeSymbol(string name) => _runtimeSymbols.ContainsKey(name) && !IsNested;

    /// <summary>Whether a dim is known when the model is constructed (it mentions no input dims).</summary>
    public bool IsKnownAtConstruction(Dim dim) => dim.Symbols.All(s => !IsRuntimeSymbol(s));

    /// <summary>Reads an integer argument (a constant or a hyperparameter expression); reports and returns null if malformed.</summary>
    public Dim? ReadDim(StepSpec step, ArgValue? arg, string argument, string member, bool positive = true, bool allowZero = false)
    {
        if (arg is null)
            return null;
        Dim? dim = null;
        switch (arg.Kind)
        {
            case ArgKind.Int:
                var value = long.Parse(arg.Text, CultureInfo.InvariantCulture);
                if (value > int.MaxValue || value < int.MinValue)
                {
                    Report(DiagnosticDescriptors.ValueOutOfRange, step.Location, step.Name, member, $"{argument} must be {(value > 0 ? $"at most {int.MaxValue}" : $"at least {int.MinValue}")}, not {arg.Text}");
                    return null;
                }

                dim = Dim.Const(value);
                break;
            case ArgKind.String:
                dim = ParseExpression(arg.Text, step.Location);
                if (dim is null)
                    return null;
                break;
            default:
                Report(DiagnosticDescriptors.ArgumentType, step.Location, step.Name, member,
                    $"{argument} must be an integer or a hyperparameter expression, not {Describe(arg)}");
                return null;
        }

        if (positive && dim.IsConstant && (dim.Value < 0 || (dim.Value == 0 && !allowZero)))
        {
            Report(DiagnosticDescriptors.ValueOutOfRange, step.Location, step.Name, member,
                $"{argument} must be {(allowZero ? "zero or more" : "positive")}, not {dim.Value}");
            return null;
        }

        if (positive && !dim.IsConstant && !allowZero)
            CheckPositive(dim, $"{step.Name} '{member}': {argument} {dim} must be positive");
        return dim;
    }

    /// <summary>Parses a dimension expression, reporting unknown identifiers and syntax errors.</summary>
    public Dim? ParseExpression(string text, LocationInfo? location)
    {
        var result = DimExpression.Parse(text, Resolve);
        if (result.UnknownIdentifier is { } unknown)
        {
            var real = Spec.Parameters.FirstOrDefault(p => p.Name == unknown && RealTypes.Contains(ShortType(p.Type)));
            if (real is not null)
                Report(DiagnosticDescriptors.RealInDimension, location, text, unknown, ShortType(real.Type));
            else
                Report(DiagnosticDescriptors.UnknownHyperParameter, location, unknown, text, Spec.Name);
            return null;
        }

        if (result.Error is not null)
        {
            Report(DiagnosticDescriptors.InvalidExpression, location, text, result.Error);
            return null;
        }

        return result.Dim;
    }

    /// <summary>Reads a real-valued argument (a rate): a number, or the name of a real or integer hyperparameter.</summary>
    public RealArg? ReadRate(StepSpec step, ArgValue? arg, string argument, string member, double min, double max)
    {
        if (arg is null)
            return null;
        if (arg.Kind is ArgKind.Double or ArgKind.Int)
        {
            var value = double.Parse(arg.Text, CultureInfo.InvariantCulture);
            if (double.IsNaN(value) || value < min || value > max)
            {
                Report(DiagnosticDescriptors.RateOutOfRange, step.Location, step.Name, member, argument, min, max, arg.Text);
                return null;
            }

            return RealArg.Of(value);
        }

        if (arg.Kind == ArgKind.String)
        {
            var name = arg.Text.Trim();
            if (Spec.Parameters.Any(p => p.Name == name && (RealTypes.Contains(ShortType(p.Type)) || IsInteger(p.Type))))
            {
                var guard = new RateGuardPlan(name, min, max, $"{step.Name} '{member}': {argument}");
                if (!IsNested && min > double.MinValue && !RateGuards.Any(g => g.Name == name && g.Min == min && g.Max == max))
                    RateGuards.Add(guard);
                return new RealArg(null, name);
            }

            var constant = Spec.Constants.FirstOrDefault(c => c.Name == name);
            if (constant?.Value is not null && double.TryParse(constant.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var constantValue))
                return RealArg.Of(constantValue);
            Report(DiagnosticDescriptors.UnknownHyperParameter, step.Location, name, arg.Text, Spec.Name);
            return null;
        }

        Report(DiagnosticDescriptors.ArgumentType, step.Location, step.Name, member, $"{argument} must be a number or a hyperparameter name, not {Describe(arg)}");
        return null;
    }

    /// <summary>Reads a constant integer argument such as a softmax dimension.</summary>
    public long? ReadInt(StepSpec step, ArgValue? arg, string argument, string member)
    {
        if (arg is null)
            return null;
        if (arg.Kind == ArgKind.Int)
            return long.Parse(arg.Text, CultureInfo.InvariantCulture);
        Report(DiagnosticDescriptors.ArgumentType, step.Location, step.Name, member, $"{argument} must be an integer constant, not {Describe(arg)}");
        return null;
    }

    /// <summary>Reads a constant real argument such as an epsilon.</summary>
    public double? ReadDouble(StepSpec step, ArgValue? arg, string argument, string member)
    {
        if (arg is null)
            return null;
        if (arg.Kind is ArgKind.Double or ArgKind.Int && double.TryParse(arg.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsNaN(value) && !double.IsInfinity(value))
            return value;
        Report(DiagnosticDescriptors.ArgumentType, step.Location, step.Name, member, $"{argument} must be a finite number, not {Describe(arg)}");
        return null;
    }

    public bool? ReadBool(StepSpec step, ArgValue? arg, string argument, string member)
    {
        if (arg is null)
            return null;
        if (arg.Kind == ArgKind.Bool)
            return arg.Text == "true";
        Report(DiagnosticDescriptors.ArgumentType, step.Location, step.Name, member, $"{argument} must be true or false, not {Describe(arg)}");
        return null;
    }

    /// <summary>
    /// Compares two dims: true or false when decidable, else records a guard that runs in the constructor
    /// (or in Forward, when an input dim is involved) and returns true.
    /// </summary>
    public bool CheckEqual(Dim actual, Dim expected, string guardMessage)
    {
        if (actual.Equals(expected))
            return true;
        var difference = actual - expected;
        if (difference.IsConstant)
            return false;
        AddGuard(GuardKind.Equal, actual, expected, guardMessage);
        WarnIfDifferentSymbols(actual, expected);
        return true;
    }

    /// <summary>The step being checked, for warnings raised by the comparisons it asks for; null between steps.</summary>
    public StepContext? CurrentStep { get; set; }

    // Two input dims of different symbols (T and S) that must be equal are checked in Forward, but the declaration is
    // usually wrong: say so once per step.
    private void WarnIfDifferentSymbols(Dim actual, Dim expected)
    {
        if (CurrentStep is not { } step || IsKnownAtConstruction(actual) || IsKnownAtConstruction(expected))
            return;
        var symbols = new HashSet<string>(actual.Symbols, StringComparer.Ordinal);
        if (symbols.SetEquals(expected.Symbols) || Diagnostics.Any(d => d.Descriptor == DiagnosticDescriptors.SymbolicDimsMeet && d.Location == step.Location))
            return;
        Report(DiagnosticDescriptors.SymbolicDimsMeet, step.Location, step.Kind, step.MemberName, actual, expected);
    }

    /// <summary>Whether two shapes agree: rank and every dim (undecidable dims become guards).</summary>
    public bool CheckShapesEqual(EquatableArray<Dim> actual, EquatableArray<Dim> expected, string guardMessage)
    {
        if (actual.Count != expected.Count)
            return false;
        var ok = true;
        for (var i = 0; i < actual.Count; i++)
            ok &= CheckEqual(actual[i], expected[i], guardMessage);
        return ok;
    }

    /// <summary>Checks a size that must be positive; false when it is decidably not.</summary>
    public bool CheckPositive(Dim dim, string guardMessage)
    {
        if (dim.IsConstant)
            return dim.Value > 0;
        // A sum of positive multiples of hyperparameters is positive when each of them is: guard those instead.
        if (dim.PositiveFactors is { } factors && factors.All(f => IsKnownAtConstruction(f)))
        {
            foreach (var factor in factors)
                AddGuard(GuardKind.Positive, factor, Dim.Const(0), factor.Symbols.Count() == 1 && factor.ToString() == factor.Symbols.First() ? $"hyperparameter {factor} must be positive" : $"{factor} must be positive");
            return true;
        }

        AddGuard(GuardKind.Positive, dim, Dim.Const(0), guardMessage);
        return true;
    }

    /// <summary>Checks <c>value ≤ limit</c>; false when it is decidably not (an input length is checked in Forward).</summary>
    public bool CheckAtMost(Dim value, Dim limit, string guardMessage)
    {
        var slack = limit - value;
        if (slack.IsConstant)
            return slack.Value >= 0;
        AddGuard(GuardKind.AtMost, value, limit, guardMessage);
        return true;
    }

    /// <summary>Checks divisibility; false when it is decidably not.</summary>
    public bool CheckMultiple(Dim dim, Dim divisor, string guardMessage)
    {
        if (divisor.IsConstant && divisor.Value > 0 && dim.IsMultipleOf(divisor.Value) is { } decided)
            return decided;
        AddGuard(GuardKind.Multiple, dim, divisor, guardMessage);
        return true;
    }

    private void AddGuard(GuardKind kind, Dim left, Dim right, string message)
    {
        // A nested model's own constructor checks its hyperparameters; only report what the outer model decides.
        var atForward = !IsKnownAtConstruction(left) || !IsKnownAtConstruction(right);
        AddGuard(new GuardPlan(kind, left, right, message, atForward));
    }

    /// <summary>Adds a guard unless one with the same condition exists.</summary>
    public void AddGuard(GuardPlan guard)
    {
        if (!Guards.Any(g => g.Kind == guard.Kind && g.Left.Equals(guard.Left) && g.Right.Equals(guard.Right)))
            Guards.Add(guard);
    }

    public static bool IsInteger(string type) => IntegerTypes.Contains(ShortType(type));

    public static string ShortType(string type) => type.Replace("global::", "").Replace("System.", "") switch
    {
        "Int32" => "int",
        "Int64" => "long",
        "Int16" => "short",
        "Byte" => "byte",
        "Double" => "double",
        "Single" => "float",
        "Boolean" => "bool",
        var other => other,
    };

    public static string Describe(ArgValue arg) => arg.Kind switch
    {
        ArgKind.Null => "null",
        ArgKind.Other => "an unreadable value",
        ArgKind.Array => "an array",
        ArgKind.Bool => "a bool (" + arg.Text + ")",
        ArgKind.Double => "a real number (" + arg.Text + ")",
        ArgKind.String => "\"" + arg.Text + "\"",
        _ => arg.Text,
    };
}
