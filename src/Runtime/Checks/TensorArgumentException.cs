using System;

namespace ModelDsl;

/// <summary>
/// A <c>Forward</c> argument has the right shape but the wrong element type or device: floats where token indices
/// belong, double precision into a single-precision model, a CPU tensor into a model on a GPU. Thrown by generated
/// <c>Forward</c> prologues, before libtorch would fail somewhere inside the model.
/// </summary>
public sealed class TensorArgumentException : Exception
{
    /// <summary>Reports that <paramref name="argument"/> of <paramref name="model"/> is <paramref name="actual"/> where <paramref name="expected"/> is needed.</summary>
    public TensorArgumentException(string model, string argument, string expected, string actual, string remedy)
        : base($"{model}.Forward: argument '{argument}' must be {expected}, but it is {actual}. {remedy}")
    {
        Model = model;
        Argument = argument;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The model whose check failed.</summary>
    public string Model { get; }

    /// <summary>The <c>Forward</c> argument that failed.</summary>
    public string Argument { get; }

    /// <summary>What the model needs, e.g. <c>a Float32 tensor</c> or <c>on cuda:0</c>.</summary>
    public string Expected { get; }

    /// <summary>What it got.</summary>
    public string Actual { get; }
}
