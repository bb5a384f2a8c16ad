using System;
using System.Collections.Generic;
using System.Text;

namespace ModelDsl.Training;

/// <summary>
/// A checkpoint does not fit the model (or optimizer) it is being loaded into. Thrown before anything is
/// loaded, so the model is unchanged.
/// </summary>
public sealed class CheckpointMismatchException : InvalidOperationException
{
    /// <summary>Describes the mismatch between a checkpoint file and a model.</summary>
    public CheckpointMismatchException(
        string checkpointName, string? typeMismatch,
        IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> wrongShape)
        : base(Format(checkpointName, typeMismatch, missing, unexpected, wrongShape))
    {
        Missing = missing;
        Unexpected = unexpected;
        WrongShape = wrongShape;
    }

    /// <summary>Entries the model has but the checkpoint lacks (<c>name [shape]</c>).</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Entries the checkpoint has but the model lacks (<c>name [shape]</c>).</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Entries both have with different shapes (<c>name: model [..], checkpoint [..]</c>).</summary>
    public IReadOnlyList<string> WrongShape { get; }

    // A checkpoint of another architecture can differ in hundreds of entries; the properties keep them all.
    private const int Limit = 20;

    private static string Format(
        string name, string? typeMismatch,
        IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> wrongShape)
    {
        var text = new StringBuilder($"{name} does not fit this model; nothing was loaded.");
        if (typeMismatch is not null)
            text.Append("\n  ").Append(typeMismatch);
        MismatchText.AppendSection(text, "missing from the checkpoint", missing, Limit);
        MismatchText.AppendSection(text, "unexpected in the checkpoint", unexpected, Limit);
        MismatchText.AppendSection(text, "wrong shape", wrongShape, Limit);
        return text.ToString();
    }
}
