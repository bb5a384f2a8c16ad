using System;

namespace ModelDsl;

/// <summary>
/// Pairs a generator model with a discriminator model. The build fails (MDL0114) unless the generator's
/// output shape equals the discriminator's input shape. The generated class holds one of each.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GanAttribute(Type generator, Type discriminator) : Attribute
{
    /// <summary>The <c>[Model]</c> that turns noise into samples.</summary>
    public Type Generator { get; } = generator;

    /// <summary>The <c>[Model]</c> that scores samples.</summary>
    public Type Discriminator { get; } = discriminator;
}

/// <summary>
/// Makes a <c>[Model]</c> usable as a column of a progressive network (Rusu et al. 2016): the generator adds
/// lateral inputs before each layer after the first and derives the lateral adapters' shapes from the
/// declaration. Use it with <c>ModelDsl.Progressive.ProgressiveNetwork&lt;TColumn&gt;</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ProgressiveColumnAttribute : Attribute
{
}
