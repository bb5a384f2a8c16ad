using ModelDsl;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The conditional DCGAN: the build checks that <see cref="ConditionalDcganGenerator"/>'s output shape is
/// <see cref="ConditionalDcganDiscriminator"/>'s image input, and that both take the same condition (the labels).
/// </summary>
[Gan(typeof(ConditionalDcganGenerator), typeof(ConditionalDcganDiscriminator))]
public sealed partial class ConditionalDcgan
{
    /// <summary>The MNIST pair: 100-d noise, ten digits, 1×28×28 images, width 64.</summary>
    public static ConditionalDcgan Mnist() => new(ConditionalDcganGenerator.Mnist(), ConditionalDcganDiscriminator.Mnist());
}
