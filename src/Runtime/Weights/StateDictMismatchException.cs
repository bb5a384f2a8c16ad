using System;
using System.Collections.Generic;
using System.Text;

namespace ModelDsl.Weights;

/// <summary>
/// A state dict (a safetensors file, or a dictionary of tensors) does not fit the model it is being loaded into.
/// Thrown after checking every entry and before copying any, so the model is unchanged; the message and the
/// properties list every offending key.
/// </summary>
public sealed class StateDictMismatchException : InvalidOperationException
{
    /// <summary>Describes every way a state dict differs from a model.</summary>
    /// <param name="sourceName">The file name, or another name for the state dict; it starts the message.</param>
    /// <param name="modelType">The model's type, for the message.</param>
    /// <param name="missing">Entries the model has and the state dict lacks (<c>name [shape] dtype</c>).</param>
    /// <param name="unexpected">Entries the state dict has and the model lacks (<c>name [shape] dtype</c>).</param>
    /// <param name="wrongShape">Entries of both with different shapes (<c>name: model [..], file [..]</c>).</param>
    /// <param name="wrongDType">Entries of both with different dtypes (<c>name: model Float32, file Float64</c>).</param>
    /// <param name="conflictingTies">Names of one tied tensor whose values in the state dict differ.</param>
    public StateDictMismatchException(
        string sourceName, string modelType,
        IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<string> wrongShape, IReadOnlyList<string> wrongDType,
        IReadOnlyList<string> conflictingTies)
        : base(Format(sourceName, modelType, missing, unexpected, wrongShape, wrongDType, conflictingTies))
    {
        SourceName = sourceName;
        Missing = missing;
        Unexpected = unexpected;
        WrongShape = wrongShape;
        WrongDType = wrongDType;
        ConflictingTies = conflictingTies;
    }

    /// <summary>The file name, or another name for the state dict.</summary>
    public string SourceName { get; }

    /// <summary>Entries the model has and the state dict lacks (<c>name [shape] dtype</c>).</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Entries the state dict has and the model lacks (<c>name [shape] dtype</c>).</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Entries of both with different shapes (<c>name: model [..], file [..]</c>).</summary>
    public IReadOnlyList<string> WrongShape { get; }

    /// <summary>Entries of both with different dtypes (<c>name: model Float32, file Float64</c>).</summary>
    public IReadOnlyList<string> WrongDType { get; }

    /// <summary>
    /// Names that are one tensor in the model (a tied weight) but have different values in the state dict
    /// (<c>lm_head.weight = wte.weight: ...</c>); a model cannot hold both.
    /// </summary>
    public IReadOnlyList<string> ConflictingTies { get; }

    private static string Format(
        string sourceName, string modelType,
        IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<string> wrongShape, IReadOnlyList<string> wrongDType,
        IReadOnlyList<string> conflictingTies)
    {
        var text = new StringBuilder($"{sourceName} does not fit this {modelType}; nothing was loaded.");
        MismatchText.AppendSection(text, "missing", missing);
        MismatchText.AppendSection(text, "unexpected", unexpected);
        MismatchText.AppendSection(text, "wrong shape", wrongShape);
        MismatchText.AppendSection(text, "wrong dtype", wrongDType);
        MismatchText.AppendSection(text, "tied but different", conflictingTies);
        return text.ToString();
    }
}
