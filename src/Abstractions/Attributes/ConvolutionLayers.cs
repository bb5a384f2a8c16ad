namespace ModelDsl;

/// <summary>
/// <c>nn.Conv1d</c> over sequences: <c>[B, C, L] → [B, out, L']</c> with
/// <c>L' = floor((L + 2·padding − kernel) / stride) + 1</c>, which must be positive.
/// </summary>
public sealed class Conv1dAttribute(object outChannels) : LayerAttribute
{
    /// <summary>Output channels.</summary>
    public object OutChannels { get; } = outChannels;

    /// <summary>Kernel size (default 3).</summary>
    public object Kernel { get; set; } = 3;

    /// <summary>Stride (default 1).</summary>
    public object Stride { get; set; } = 1;

    /// <summary>Zero padding on each side (default 0), or <c>"same"</c> for an output of <c>ceil(L / stride)</c> (odd kernels).</summary>
    public object Padding { get; set; } = 0;

    /// <summary>Whether the layer adds a learned bias (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>
/// <c>nn.Conv2d</c>: <c>[B, C, H, W] → [B, out, H', W']</c> with
/// <c>H' = (H + 2·padding − kernel) / stride + 1</c>, which must divide exactly and be positive.
/// </summary>
public sealed class Conv2dAttribute(object outChannels) : LayerAttribute
{
    /// <summary>Output channels.</summary>
    public object OutChannels { get; } = outChannels;

    /// <summary>Square kernel size (default 3).</summary>
    public object Kernel { get; set; } = 3;

    /// <summary>Stride (default 1).</summary>
    public object Stride { get; set; } = 1;

    /// <summary>Zero padding on each side (default 0), or <c>"same"</c> for an output of <c>ceil(H / stride)</c> (odd kernels).</summary>
    public object Padding { get; set; } = 0;

    /// <summary>Whether the layer adds a learned bias (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;
}

/// <summary>
/// <c>nn.ConvTranspose2d</c>: <c>[B, C, H, W] → [B, out, H', W']</c> with
/// <c>H' = (H − 1)·stride − 2·padding + kernel + outputPadding</c>.
/// </summary>
public sealed class ConvTranspose2dAttribute(object outChannels) : LayerAttribute
{
    /// <summary>Output channels.</summary>
    public object OutChannels { get; } = outChannels;

    /// <summary>Square kernel size (default 3).</summary>
    public object Kernel { get; set; } = 3;

    /// <summary>Stride (default 1).</summary>
    public object Stride { get; set; } = 1;

    /// <summary>
    /// Zero padding removed from each side of the output (default 0), or <c>"same"</c> for an output of
    /// <c>H · stride</c> (Keras' 'same'; sets <see cref="OutputPadding"/> too).
    /// </summary>
    public object Padding { get; set; } = 0;

    /// <summary>Extra rows and columns added to one side of the output (default 0; must be below the stride).</summary>
    public object OutputPadding { get; set; } = 0;

    /// <summary>Whether the layer adds a learned bias (default <see langword="true"/>).</summary>
    public bool Bias { get; set; } = true;
}
