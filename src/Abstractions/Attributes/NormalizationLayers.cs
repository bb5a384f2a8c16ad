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
