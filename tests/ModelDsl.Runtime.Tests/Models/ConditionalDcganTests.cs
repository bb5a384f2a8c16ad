using ModelDsl.Models.Dcgan;
using Xunit;
using static TorchSharp.torch;
using static ModelDsl.Runtime.Tests.Models.ModelTestKit;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>The compact and the conditional DCGAN (src/Models/Dcgan): the label reaches both networks, and labels of the wrong shape or type are refused.</summary>
public sealed class ConditionalDcganTests : OneThreadTests
{
    /// <summary>
    /// The generator is the compact DCGAN generator with a 10×10 label embedding whose output joins the noise (110
    /// input channels to the 7×7 transposed convolution): 10·10 + 110·256·49 (no bias) + 2·256 + 256·128·16 (no bias)
    /// + 2·128 + 128·16 + 1. The discriminator adds a 10×784 embedding (one image plane per class) to the compact
    /// discriminator with two input channels: 7,840 + (2·64·16 + 64) + 64·128·16 (no bias) + 2·128 + (128·49 + 1).
    /// </summary>
    [Fact]
    public void Parameter_counts_match_the_layer_by_layer_reference()
    {
        using var generator = ConditionalDcganGenerator.Mnist();
        using var discriminator = ConditionalDcganDiscriminator.Mnist();
        Assert.Equal(10 * 10 + 110 * 256 * 49 + 2 * 256 + 256 * 128 * 16 + 2 * 128 + 128 * 16 + 1, generator.ParameterCount);
        Assert.Equal(10 * 784 + (2 * 64 * 16 + 64) + 64 * 128 * 16 + 2 * 128 + (128 * 49 + 1), discriminator.ParameterCount);
        Assert.Equal(generator.ParameterCount, SumOfParameters(generator));
        Assert.Equal(discriminator.ParameterCount, SumOfParameters(discriminator));
    }

    /// <summary>The compact pair: the conditional one less its embeddings and the label plane's input channel.</summary>
    [Fact]
    public void Compact_pair_parameter_counts_match_the_layer_by_layer_reference()
    {
        using var generator = CompactDcganGenerator.Mnist();
        using var discriminator = CompactDcganDiscriminator.Mnist();
        Assert.Equal(100 * 256 * 49 + 2 * 256 + 256 * 128 * 16 + 2 * 128 + 128 * 16 + 1, generator.ParameterCount);
        Assert.Equal((64 * 16 + 64) + 64 * 128 * 16 + 2 * 128 + (128 * 49 + 1), discriminator.ParameterCount);
        using var scope = NewDisposeScope();
        var gan = CompactDcgan.Mnist();
        Assert.Equal(new long[] { 3, 1 }, gan.Discriminator.Forward(gan.Generator.Forward(randn(3, 100))).shape);
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
