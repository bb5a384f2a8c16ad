namespace ModelDsl;

/// <summary>
/// Average pooling to a fixed output size, as <c>nn.AdaptiveAvgPool2d</c>: <c>[B, C, H, W]</c> becomes
/// <c>[B, C, height, width]</c> whatever <c>H</c> and <c>W</c> are; <c>AdaptiveAvgPool2d(1)</c> is global average pooling.
/// </summary>
public sealed class AdaptiveAvgPool2dAttribute(object height, object? width = null) : StepAttribute
{
    /// <summary>Output height: an integer or a hyperparameter expression.</summary>
    public object Height { get; } = height;

    /// <summary>Output width; the height when not given (a square output).</summary>
    public object Width { get; } = width ?? height;
}

/// <summary>
/// Scales the height and width of <c>[B, C, H, W]</c> by an integer <c>scale</c>, as <c>nn.Upsample</c>:
/// <c>[B, C, H · scale, W · scale]</c>, each new pixel the nearest source pixel's or, with <see cref="Bilinear"/>, the
/// bilinear interpolation of its neighbours (PyTorch's default <c>align_corners=False</c>).
/// </summary>
public sealed class UpsampleAttribute(int scale) : StepAttribute
{
    /// <summary>The factor applied to height and width.</summary>
    public int Scale { get; } = scale;

    /// <summary>Whether to interpolate bilinearly instead of repeating the nearest pixel.</summary>
    public bool Bilinear { get; set; }
}
