using System;

namespace ModelDsl;

/// <summary>
/// Declares the shape of a <c>Forward</c> argument or of its result. Each dimension is an <see cref="int"/>
/// constant or a string: the name of a hyperparameter (a constructor parameter or constant, possibly in a
/// small integer expression such as <c>"4 * embed"</c>) or a symbolic dimension such as <c>"B"</c> or
/// <c>"T"</c>, bound on first use and required to agree everywhere.
/// </summary>
/// <remarks>
/// A <c>Forward</c> that returns a tuple such as <c>(Tensor Mu, Tensor LogVar)</c> takes one <c>[return: Shape]</c>
/// per element, in order; a parameter takes exactly one. The same attributes on a method's parameters and return
/// value make its shape contract for <see cref="CallAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue, Inherited = false, AllowMultiple = true)]
public sealed class ShapeAttribute(params object[] dims) : Attribute
{
    /// <summary>The declared dimensions, outermost first.</summary>
    public object[] Dims { get; } = dims;
}
