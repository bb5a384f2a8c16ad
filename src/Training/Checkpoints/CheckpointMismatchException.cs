using System;
using System.Collections.Generic;
using System.Text;
using ModelDsl.Weights;

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
        : this(checkpointName, typeMismatch, missing, unexpected, wrongShape, [], [])
    {
    }

    /// <summary>Describes the mismatch between a checkpoint file and a model, dtypes and tied weights included.</summary>
    public CheckpointMismatchException(
        string checkpointName, string? typeMismatch,
        IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> wrongShape,
        IReadOnlyList<string> wrongDType, IReadOnlyList<string> conflictingTies)
        : base(Format(checkpointName, typeMismatch, missing, unexpected, wrongShape, wrongDType, conflictingTies))
    {
        Missing = missing;
        Unexpected = unexpected;
        WrongShape = wrongShape;
        WrongDType = wrongDType;
        ConflictingTies = conflictingTies;
    }

    /// <summary>Entries the model has but the checkpoint lacks (<c>name [shape]</c>).</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Entries the checkpoint has but the model lacks (<c>name [shape]</c>).</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Entries both have with different shapes (<c>name: model [..], checkpoint [..]</c>).</summary>
    public IReadOnlyList<string> WrongShape { get; }

    /// <summary>Entries both have with different dtypes (<c>name: model Float32, checkpoint Int32</c>); a checkpoint does not convert.</summary>
    public IReadOnlyList<string> WrongDType { get; }

    /// <summary>Names of one tied tensor (<c>wte.weight = lm_head.weight</c>) whose saved values differ; a model cannot hold both.</summary>
    public IReadOnlyList<string> ConflictingTies { get; }

    // A checkpoint of another architecture can differ in hundreds of entries; the properties keep them all.
    private const int Limit = 20;

    private static string Format(
        string name, string? typeMismatch,
        IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> wrongShape,
        IReadOnlyList<string> wrongDType, IReadOnlyList<string> conflictingTies)
    {
        var text = new StringBuilder($"{name} does not fit this model; nothing was loaded.");
        if (typeMismatch is not null)
            text.Append("\n  ").Append(typeMismatch);
        MismatchText.AppendSection(text, "missing from the checkpoint", missing, Limit);
        MismatchText.AppendSection(text, "unexpected in the checkpoint", unexpected, Limit);
        MismatchText.AppendSection(text, "wrong shape", wrongShape, Limit);
        MismatchText.AppendSection(text, "wrong dtype", wrongDType, Limit);
        MismatchText.AppendSection(text, "tied but different", conflictingTies, Limit);
        return text.ToString();
    }
}
