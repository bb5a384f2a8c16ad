using ModelDsl.Models.Dcgan;
using Xunit;
using static TorchSharp.torch;
using static ModelDsl.Runtime.Tests.Models.ModelTestKit;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>The deep DCGAN (src/Models/Dcgan), <c>gan</c>'s default pair: a generator with a full-resolution stage and a discriminator with one logit per class.</summary>
public sealed class DeepDcganTests : OneThreadTests
{
    /// <summary>
    /// The generator is the compact one with a third transposed convolution (128 → 64, no bias, batch-normalised) and a
    /// 3×3 convolution to the image: 100·256·49 + 2·256 + 256·128·16 + 2·128 + 128·64·16 + 2·64 + (64·9 + 1). The
    /// discriminator is the compact one whose last convolution has ten outputs: (64·16 + 64) + 64·128·16 + 2·128 +
    /// (128·49·10 + 10).
    /// </summary>
    [Fact]
    public void Parameter_counts_match_the_layer_by_layer_reference()
    {
        using var generator = DeepDcganGenerator.Mnist();
        using var discriminator = ClassifyingDcganDiscriminator.Mnist();
        Assert.Equal(100 * 256 * 49 + 2 * 256 + 256 * 128 * 16 + 2 * 128 + 128 * 64 * 16 + 2 * 64 + (64 * 9 + 1), generator.ParameterCount);
        Assert.Equal((64 * 16 + 64) + 64 * 128 * 16 + 2 * 128 + (128 * 49 * 10 + 10), discriminator.ParameterCount);
        Assert.Equal(generator.ParameterCount, SumOfParameters(generator));
        Assert.Equal(discriminator.ParameterCount, SumOfParameters(discriminator));
    }

    [Fact]
    public void Generated_images_are_scored_with_one_logit_per_class()
    {
        manual_seed(5);
        using var scope = NewDisposeScope();
        var gan = DeepDcgan.Mnist();
        var images = gan.Generator.Forward(randn(3, 100));
        Assert.Equal(new long[] { 3, 1, 28, 28 }, images.shape);
        Assert.True(images.abs().max().item<float>() <= 1f, "the generator ends in tanh");
        Assert.Equal(new long[] { 3, 10 }, gan.Discriminator.Forward(images).shape);
    }

    [Fact]
    public void Images_of_another_size_are_refused_before_libtorch()
    {
        using var scope = NewDisposeScope();
        using var discriminator = new ClassifyingDcganDiscriminator(classes: 10, channels: 1, size: 28, width: 2);
        var error = Assert.Throws<ShapeMismatchException>(() => discriminator.Forward(randn(2, 1, 32, 32)));
        Assert.Contains("image", error.Message);
    }
}
