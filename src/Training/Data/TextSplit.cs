namespace ModelDsl.Data;

/// <summary>Which part of a text corpus to draw from.</summary>
public enum TextSplit
{
    /// <summary>The first 90%.</summary>
    Train,

    /// <summary>The last 10%.</summary>
    Validation,
}
