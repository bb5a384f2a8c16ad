using System;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// The run-time half of a <c>[Call]</c> step's shape contract: generated <c>Forward</c> code checks what the user's
/// method returned against the shape its <c>[return: Shape]</c> declares, so a wrong result is reported where it
/// arises instead of reaching the next layer.
/// </summary>
public static class ResultChecks
{
    /// <summary>Throws unless <paramref name="result"/> has exactly the <paramref name="dims"/>.</summary>
    /// <exception cref="ShapeMismatchException">The result has another rank or size.</exception>
    public static void Shape(string model, string method, string expected, Tensor result, params long[] dims)
    {
        var actual = result.shape;
        if (!actual.AsSpan().SequenceEqual(dims))
            throw ShapeMismatchException.ForResult(model, method, expected, actual);
    }
}
