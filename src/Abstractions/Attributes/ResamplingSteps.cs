namespace ModelDsl;

/// <summary>
/// Average pooling to a fixed output size, as <c>nn.AdaptiveAvgPool2d</c>: <c>[B, C, H, W]</c> becomes
/// <c>[B, C, height, width]</c> whatever <c>H</c> and <c>W</c> are; <c>AdaptiveAvgPool2d(1)</c> is global average pooling.
/// </summary>
public sealed class AdaptiveAvgPool2dAttribute : StepAttribute
{
    /// <summary>A square output of <c>size × size</c>.</summary>
    public AdaptiveAvgPool2dAttribute(object size) => (Height, Width) = (size, size);

    /// <summary>An output of <c>height × width</c>.</summary>
    public AdaptiveAvgPool2dAttribute(object height, object width) => (Height, Width) = (height, width);

    /// <summary>Output height: an integer or a hyperparameter expression.</summary>
    public object Height { get; }

    /// <summary>Output width: an integer or a hyperparameter expression.</summary>
    public object Width { get; }
}

/// <summary>How <see cref="UpsampleAttribute"/> fills the new pixels.</summary>
public enum UpsampleMode
{
    /// <summary>Each pixel repeats its nearest source pixel.</summary>
    Nearest,

    /// <summary>Bilinear interpolation with PyTorch's default <c>align_corners=False</c>.</summary>
    Bilinear,
}

/// <summary>
/// Scales the height and width of <c>[B, C, H, W]</c> by an integer <c>scale</c>, as <c>nn.Upsample</c>:
/// <c>[B, C, H · scale, W · scale]</c>.
/// </summary>
public sealed class UpsampleAttribute(int scale) : StepAttribute
{
    /// <summary>The factor applied to height and width.</summary>
    public int Scale { get; } = scale;

    /// <summary>The interpolation (default <see cref="UpsampleMode.Nearest"/>).</summary>
    public UpsampleMode Mode { get; set; } = UpsampleMode.Nearest;
}
