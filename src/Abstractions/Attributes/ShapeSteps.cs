namespace ModelDsl;

/// <summary>Flattens every dimension from <see cref="StartDim"/> (default 1, keeping the batch) into one.</summary>
public sealed class FlattenAttribute : StepAttribute
{
    /// <summary>First dimension to flatten.</summary>
    public int StartDim { get; set; } = 1;
}

/// <summary>
/// Reshapes every dimension after the first (the batch) to <c>dims</c>; the element count must match.
/// </summary>
public sealed class ReshapeAttribute(params object[] dims) : StepAttribute
{
    /// <summary>The new shape without the leading batch dimension.</summary>
    public object[] Dims { get; } = dims;
}

/// <summary>Dropout with probability <c>p</c> (a <see cref="double"/> or a hyperparameter name); identity in eval mode.</summary>
public sealed class DropoutAttribute(object p) : StepAttribute
{
    /// <summary>Probability of zeroing an element.</summary>
    public object P { get; } = p;
}

/// <summary>Max pooling with a square window; the stride defaults to the window.</summary>
public sealed class MaxPool2dAttribute(object kernel) : StepAttribute
{
    /// <summary>Window size.</summary>
    public object Kernel { get; } = kernel;

    /// <summary>Stride, or <see langword="null"/> for the window size.</summary>
    public object? Stride { get; set; }

    /// <summary>Implicit negative-infinity padding on each side (default 0).</summary>
    public object Padding { get; set; } = 0;
}

/// <summary>Average pooling with a square window; the stride defaults to the window.</summary>
public sealed class AvgPool2dAttribute(object kernel) : StepAttribute
{
    /// <summary>Window size.</summary>
    public object Kernel { get; } = kernel;

    /// <summary>Stride, or <see langword="null"/> for the window size.</summary>
    public object? Stride { get; set; }

    /// <summary>Implicit zero padding on each side (default 0).</summary>
    public object Padding { get; set; } = 0;
}

/// <summary>
/// Takes the slice at <c>index</c> along <c>dim</c> and drops that dimension, as <c>x[:, 0]</c> takes ViT's class token:
/// <c>Select(1, 0)</c> turns <c>[B, T, E]</c> into <c>[B, E]</c>. Negative values count from the end.
/// </summary>
public sealed class SelectAttribute(int dim, int index) : StepAttribute
{
    /// <summary>The dimension dropped, counted from the batch at 0.</summary>
    public int Dim { get; } = dim;

    /// <summary>The position taken along it; −1 is the last.</summary>
    public int Index { get; } = index;
}
