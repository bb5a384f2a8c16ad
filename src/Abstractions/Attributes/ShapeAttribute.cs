using System;

namespace ModelDsl;

/// <summary>
/// Declares the shape of a <c>Forward</c> argument or of its result. Each dimension is an <see cref="int"/>
/// constant or a string: the name of a hyperparameter (a constructor parameter or constant, possibly in a
/// small integer expression such as <c>"4 * embed"</c>) or a symbolic dimension such as <c>"B"</c> or
/// <c>"T"</c>, bound on first use and required to agree everywhere.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue, Inherited = false)]
public sealed class ShapeAttribute(params object[] dims) : Attribute
{
    /// <summary>The declared dimensions, outermost first.</summary>
    public object[] Dims { get; } = dims;
}
