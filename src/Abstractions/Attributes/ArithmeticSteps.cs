namespace ModelDsl;

/// <summary>
/// Adds the tap <c>other</c> (a <c>Forward</c> argument, an earlier member or a split part) to the value, with
/// PyTorch's broadcasting: shapes align from the last dimension and each pair is equal or 1. Use
/// <see cref="ResidualAttribute"/> for a skip connection of equal shapes.
/// </summary>
public sealed class AddAttribute(string other) : StepAttribute
{
    /// <summary>The tap added.</summary>
    public string Other { get; } = other;
}

/// <summary>
/// Multiplies the value element-wise by the tap <c>other</c>, with broadcasting as <see cref="AddAttribute"/>:
/// the gate of SwiGLU (<c>silu(w1·x) · w3·x</c>) or a mask.
/// </summary>
public sealed class MultiplyAttribute(string other) : StepAttribute
{
    /// <summary>The tap multiplied in.</summary>
    public string Other { get; } = other;
}

/// <summary>Multiplies the value by a constant <c>factor</c>: a <see cref="double"/> or the name of a real hyperparameter.</summary>
public sealed class ScaleAttribute(object factor) : StepAttribute
{
    /// <summary>The factor.</summary>
    public object Factor { get; } = factor;
}

/// <summary>
/// Replaces the value by standard normal noise of its shape, dtype and device (<c>torch.randn_like</c>), drawn from
/// the global generator in training and evaluation alike: the <c>ε</c> of a reparameterisation
/// <c>z = μ + σ · ε</c>, written <c>[RandnLike, Multiply("sigma"), Add("mu")]</c>.
/// </summary>
public sealed class RandnLikeAttribute : StepAttribute
{
}
