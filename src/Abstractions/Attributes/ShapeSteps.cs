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
