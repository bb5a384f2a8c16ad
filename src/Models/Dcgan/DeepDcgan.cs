using ModelDsl;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The DCGAN that <c>gan</c> trains by default: the build checks that <see cref="DeepDcganGenerator"/>'s output
/// shape is <see cref="ClassifyingDcganDiscriminator"/>'s input shape.
/// </summary>
[Gan(typeof(DeepDcganGenerator), typeof(ClassifyingDcganDiscriminator))]
public sealed partial class DeepDcgan
{
    /// <summary>The MNIST pair: 100-d noise, 1×28×28 images, ten digits, width 64.</summary>
    public static DeepDcgan Mnist() => new(DeepDcganGenerator.Mnist(), ClassifyingDcganDiscriminator.Mnist());
}
