using ModelDsl.Models.Dcgan;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>The conditional DCGAN (src/Models/Dcgan): the label reaches both networks, and labels of the wrong shape or type are refused.</summary>
public sealed class ConditionalDcganTests : OneThreadTests
{
    /// <summary>
    /// The generator is the DCGAN generator with a 10×10 label embedding whose output joins the noise (110 inputs to
    /// the projection): 2,305,473 + 10·10 + 10·12,544. The discriminator adds a 10×784 embedding (one image plane per
    /// class) and one more input channel to its first convolution: 212,865 + 7,840 + 64·25.
    /// </summary>
    [Fact]
    public void Parameter_counts_add_the_embeddings_and_the_joined_inputs()
    {
        using var generator = ConditionalDcganGenerator.Mnist();
        using var discriminator = ConditionalDcganDiscriminator.Mnist();
        Assert.Equal(2_305_473 + 10 * 10 + 10 * 12_544, generator.ParameterCount);
        Assert.Equal(212_865 + 10 * 784 + 64 * 25, discriminator.ParameterCount);
    }

    [Fact]
    public void Label_changes_the_generated_image_and_the_discriminators_score()
    {
        manual_seed(11);
        using var scope = NewDisposeScope();
        var gan = ConditionalDcgan.Mnist();
        gan.Generator.eval();
        gan.Discriminator.eval();
        var z = randn(1, 100).expand(2, 100);
        var labels = tensor(new long[] { 3, 7 });

        var images = gan.Generator.Forward(z, labels);
        Assert.Equal(new long[] { 2, 1, 28, 28 }, images.shape);
        Assert.True(images[0].sub(images[1]).abs().max().item<float>() > 1e-4f, "the same noise with another label gave the same image");

        var same = images[0].unsqueeze(0).expand(2, 1, 28, 28);
        var scores = gan.Discriminator.Forward(same, labels);
        Assert.Equal(new long[] { 2, 1 }, scores.shape);
        Assert.NotEqual(scores[0].item<float>(), scores[1].item<float>());
    }

    [Fact]
    public void Labels_of_the_wrong_shape_or_type_are_refused_before_libtorch()
    {
        using var scope = NewDisposeScope();
        using var generator = new ConditionalDcganGenerator(noise: 8, classes: 10, channels: 1, size: 28, width: 2);
        Assert.Throws<ShapeMismatchException>(() => generator.Forward(randn(2, 8), tensor(new long[] { 1, 2, 3 })));
        Assert.Throws<TensorArgumentException>(() => generator.Forward(randn(2, 8), tensor(new float[] { 1, 2 })));
    }
}
