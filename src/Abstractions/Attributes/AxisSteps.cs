namespace ModelDsl;

/// <summary>
/// Swaps two dimensions, as <c>torch.transpose</c>: <c>[B, T, C]</c> with <c>Transpose(1, 2)</c> becomes
/// <c>[B, C, T]</c>. Dimensions count from the batch at 0; negative ones count from the end.
/// </summary>
public sealed class TransposeAttribute(int dim0, int dim1) : StepAttribute
{
    /// <summary>The first dimension swapped.</summary>
    public int Dim0 { get; } = dim0;

    /// <summary>The second dimension swapped.</summary>
    public int Dim1 { get; } = dim1;
}

/// <summary>
/// Reorders every dimension, as <c>torch.permute</c>: <c>Permute(0, 2, 3, 1)</c> turns <c>[B, C, H, W]</c> into
/// <c>[B, H, W, C]</c>. The order names each dimension exactly once, the batch included.
/// </summary>
public sealed class PermuteAttribute(params int[] order) : StepAttribute
{
    /// <summary>The input dimension that lands at each position.</summary>
    public int[] Order { get; } = order;
}

/// <summary>Inserts a dimension of size 1 at <c>dim</c> (negative counts from the end of the result).</summary>
public sealed class UnsqueezeAttribute(int dim) : StepAttribute
{
    /// <summary>Where the new dimension goes.</summary>
    public int Dim { get; } = dim;
}

/// <summary>Removes the dimension <c>dim</c>, which must have size 1.</summary>
public sealed class SqueezeAttribute(int dim) : StepAttribute
{
    /// <summary>The dimension removed.</summary>
    public int Dim { get; } = dim;
}

/// <summary>
/// The mean over the dimension <c>dim</c>, which disappears (or stays as 1 with <see cref="KeepDim"/>): global average
/// pooling of a token sequence <c>[B, T, C]</c> is <c>Mean(1)</c>.
/// </summary>
public sealed class MeanAttribute(int dim) : StepAttribute
{
    /// <summary>The dimension averaged.</summary>
    public int Dim { get; } = dim;

    /// <summary>Whether the averaged dimension stays, with size 1.</summary>
    public bool KeepDim { get; set; }
}
