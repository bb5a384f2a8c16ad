using System;
using System.Collections.Generic;

namespace ModelDsl;

/// <summary>
/// A tensor or hyperparameter does not fit the shapes a model declares. Thrown by generated constructors
/// (checks that depend on hyperparameters) and by generated <c>Forward</c> prologues (checks of the
/// arguments), before anything reaches libtorch.
/// </summary>
public sealed class ShapeMismatchException : Exception
{
    /// <summary>A shape error with a complete message.</summary>
    public ShapeMismatchException(string model, string message)
        : base($"{model}: {message}")
    {
        Model = model;
    }

    private ShapeMismatchException(string model, string argument, string expected, string actual, string? detail)
        : base($"{model}.Forward: argument '{argument}' expected shape {expected} but got {actual}" + (detail is null ? "" : $" ({detail})"))
    {
        Model = model;
        Argument = argument;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The model whose check failed.</summary>
    public string Model { get; }

    /// <summary>The <c>Forward</c> argument that failed, for forward-time checks.</summary>
    public string? Argument { get; }

    /// <summary>The declared shape, e.g. <c>[B, 784]</c>.</summary>
    public string? Expected { get; }

    /// <summary>The actual shape, e.g. <c>[32, 780]</c>.</summary>
    public string? Actual { get; }

    /// <summary>A forward-time mismatch of one argument.</summary>
    public static ShapeMismatchException ForArgument(string model, string argument, string expected, ReadOnlySpan<long> actual, string? detail = null)
        => new(model, argument, expected, Format(actual), detail);

    /// <summary>A method used as a step (<c>[Call]</c>) returned another shape than its contract declares.</summary>
    public static ShapeMismatchException ForResult(string model, string method, string expected, ReadOnlySpan<long> actual)
        => new(model, $"Forward: {method} returned shape {Format(actual)}, but its contract declares {expected}");

    /// <summary>Formats a shape the way the generator prints shapes: <c>[2, 3, 28, 28]</c>.</summary>
    public static string Format(ReadOnlySpan<long> shape)
    {
        var parts = new List<string>(shape.Length);
        foreach (var dim in shape)
            parts.Add(dim.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "[" + string.Join(", ", parts) + "]";
    }
}
