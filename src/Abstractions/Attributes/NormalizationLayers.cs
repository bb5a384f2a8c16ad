namespace ModelDsl;

/// <summary><c>nn.BatchNorm1d</c> over <c>[B, C]</c> or <c>[B, C, L]</c>; <c>C</c> is inferred.</summary>
public sealed class BatchNorm1dAttribute : LayerAttribute
{
    /// <summary>Added to the variance for numerical stability (default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Running-statistics momentum (default 0.1).</summary>
    public double Momentum { get; set; } = 0.1;
}

/// <summary><c>nn.BatchNorm2d</c> over <c>[B, C, H, W]</c>; <c>C</c> is inferred.</summary>
public sealed class BatchNorm2dAttribute : LayerAttribute
{
    /// <summary>Added to the variance for numerical stability (default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Running-statistics momentum (default 0.1).</summary>
    public double Momentum { get; set; } = 0.1;
}

/// <summary><c>nn.LayerNorm</c> over the last dimension, which is inferred.</summary>
public sealed class LayerNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance for numerical stability (default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Whether the layer adds a learned bias (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>
/// <c>nn.GroupNorm</c> over <c>[B, C, *]</c> (Wu and He 2018): the channels are cut into <c>groups</c> groups, each
/// normalised over its channels and every position, then scaled and shifted per channel. <c>C</c> is inferred and must
/// be a multiple of <c>groups</c>; unlike batch norm it keeps no running statistics.
/// </summary>
public sealed class GroupNormAttribute(object groups) : LayerAttribute
{
    /// <summary>The number of groups (a constant or a hyperparameter expression) dividing the channels.</summary>
    public object Groups { get; } = groups;

    /// <summary>Added to the variance for numerical stability (default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;

    /// <summary>Whether the layer learns a per-channel scale and shift (default <see langword="true"/>).</summary>
    public bool Affine { get; set; } = true;
}

/// <summary>
/// Root-mean-square normalisation over the last dimension (Zhang and Sennrich 2019), as in LLaMA:
/// <c>x / sqrt(mean(x²) + eps) · weight</c>, no mean subtraction and no bias (<c>ModelDsl.Layers.RMSNorm</c>).
/// </summary>
public sealed class RMSNormAttribute : LayerAttribute
{
    /// <summary>Added to the mean square for numerical stability (default 1e-5, LLaMA's).</summary>
    public double Eps { get; set; } = 1e-5;
}
