using ModelDsl;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The compact DCGAN: the build checks that <see cref="CompactDcganGenerator"/>'s output shape is
/// <see cref="CompactDcganDiscriminator"/>'s input shape.
/// </summary>
[Gan(typeof(CompactDcganGenerator), typeof(CompactDcganDiscriminator))]
public sealed partial class CompactDcgan
{
    /// <summary>The MNIST pair: 100-d noise, 1×28×28 images, width 64.</summary>
    public static CompactDcgan Mnist() => new(CompactDcganGenerator.Mnist(), CompactDcganDiscriminator.Mnist());
}
