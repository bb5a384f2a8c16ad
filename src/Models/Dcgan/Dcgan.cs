using ModelDsl;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The DCGAN: the build checks that <see cref="DcganGenerator"/>'s output shape is
/// <see cref="DcganDiscriminator"/>'s input shape.
/// </summary>
[Gan(typeof(DcganGenerator), typeof(DcganDiscriminator))]
public sealed partial class Dcgan
{
    /// <summary>The MNIST pair: 100-d noise, 1×28×28 images, width 64.</summary>
    public static Dcgan Mnist() => new(DcganGenerator.Mnist(), DcganDiscriminator.Mnist());
}
