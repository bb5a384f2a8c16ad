namespace ModelDsl;

/// <summary>
/// Learned tokens put in front of a sequence, as ViT's class token (Dosovitskiy et al. 2021):
/// <c>[B, T, E] → [B, Count + T, E]</c>. The member is a <c>Parameter</c> of shape <c>[1, Count, E]</c> (zeros at
/// first), broadcast over the batch; its state-dict key is the member's name.
/// </summary>
public sealed class ClassTokenAttribute : LayerAttribute
{
    /// <summary>How many tokens (default 1).</summary>
    public object Count { get; set; } = 1;
}

/// <summary>
/// A learned tensor added to the value, such as ViT's position table: by default of the value's shape with a batch of
/// 1 (<c>[1, T, E]</c> for <c>[B, T, E]</c>), or of <c>shape</c>, which must broadcast to the value without changing
/// it (<c>[1, 1, E]</c> is a learned bias). The member is a <c>Parameter</c> drawn from N(0, 0.02²) at first; its
/// state-dict key is the member's name.
/// </summary>
public sealed class LearnedAttribute(params object[] shape) : LayerAttribute
{
    /// <summary>The tensor's shape, batch dimension included, or empty for the value's own with a batch of 1.</summary>
    public object[] Shape { get; } = shape;
}
