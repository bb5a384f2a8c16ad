using System;

namespace ModelDsl;

/// <summary>
/// A layer with parameters or buffers. It decorates a <c>partial</c> property of the matching TorchSharp
/// module type; the property's name, in snake_case, is the layer's state-dict key.
/// </summary>
/// <remarks>
/// Integer arguments typed <see cref="object"/> take an <see cref="int"/> constant or a hyperparameter
/// expression such as <c>"4 * embed"</c>; rate arguments take a <see cref="double"/> or a hyperparameter name.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// The layer's state-dict key, when it should not be the member's name in snake_case: a checkpoint's own names, dots
    /// included (<c>"transformer.wte"</c> puts the module in a container <c>transformer</c>, as PyTorch names it), so
    /// weights from the PyTorch world load verbatim while the C# name stays idiomatic.
    /// </summary>
    public string? Key { get; set; }
}

/// <summary>
/// A stateless step (activation, reshape, dropout, wiring) applied in attribute order before or after
/// the member's layer.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = true)]
public abstract class StepAttribute : Attribute
{
}
