using System;
using System.Linq;
using ModelDsl.Models.Dcgan;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static ModelDsl.Runtime.Tests.Models.ModelTestKit;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>The DCGAN generator, discriminator and their pairing (src/Models/Dcgan).</summary>
public sealed class DcganTests(ITestOutputHelper output) : OneThreadTests
{
    // ---- Parameter counts --------------------------------------------------------------------------------------

    /// <summary>
    /// PyTorch-style count, layer by layer (weights + biases + BatchNorm γ, β; running stats are buffers):
    /// Linear(100 → 7·7·256, no bias) 1,254,400; BatchNorm1d(12,544) 25,088; ConvTranspose2d(256 → 128, 5×5, no bias)
    /// 819,200; BatchNorm2d(128) 256; ConvTranspose2d(128 → 64, 5×5, no bias) 204,800; BatchNorm2d(64) 128;
    /// ConvTranspose2d(64 → 1, 5×5, bias) 1,601. Total 2,305,473. (TensorFlow's DCGAN tutorial generator has the same
    /// layers but no bias on the last one: 2,305,472 trainable, 2,330,944 in model.summary() with BatchNorm's
    /// moving statistics.)
    /// </summary>
    [Fact]
    public void Generator_parameter_count_matches_the_layer_by_layer_reference()
    {
        const long reference =
            100 * 12_544          // project
            + 2 * 12_544          // norm0
            + 256 * 128 * 25      // up1
            + 2 * 128             // norm1
            + 128 * 64 * 25       // up2
            + 2 * 64              // norm2
            + 64 * 1 * 25 + 1;    // up3
        Assert.Equal(2_305_473, reference);

        using var generator = DcganGenerator.Mnist();
        Assert.Equal(reference, generator.ParameterCount);
        Assert.Equal(reference, SumOfParameters(generator));
    }

    /// <summary>
    /// Conv2d(1 → 64, 5×5, s2, p2): 28 → 14, 1·64·25 + 64 = 1,664; Conv2d(64 → 128, 5×5, s2, p2): 14 → 7,
    /// 64·128·25 + 128 = 204,928; Linear(128·7·7 = 6,272 → 1) 6,273. Total 212,865 (the TensorFlow tutorial's
    /// discriminator, 212,865 in model.summary()).
    /// </summary>
    [Fact]
    public void Discriminator_parameter_count_matches_the_layer_by_layer_reference()
    {
        const long reference = (1 * 64 * 25 + 64) + (64 * 128 * 25 + 128) + (128 * 7 * 7 + 1);
        Assert.Equal(212_865, reference);

        using var discriminator = DcganDiscriminator.Mnist();
        Assert.Equal(reference, discriminator.ParameterCount);
        Assert.Equal(reference, SumOfParameters(discriminator));
    }

    // ---- Shapes ------------------------------------------------------------------------------------------------

    [Fact]
    public void Generator_maps_noise_to_images_in_minus_one_to_one()
    {
        manual_seed(1);
        using var generator = DcganGenerator.Mnist();
        using var scope = NewDisposeScope();
        var images = generator.Forward(randn(3, 100));
        Assert.Equal(new long[] { 3, 1, 28, 28 }, images.shape);
        Assert.True(images.abs().max().item<float>() <= 1f);

        generator.eval();
        Assert.Equal(new long[] { 1, 1, 28, 28 }, generator.Forward(randn(1, 100)).shape);
    }

    [Fact]
    public void Generator_rejects_noise_of_the_wrong_width_before_libtorch()
    {
        using var generator = DcganGenerator.Mnist();
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ShapeMismatchException>(() => generator.Forward(randn(2, 99)));
        Assert.Contains("[B, noise]", error.Message, System.StringComparison.Ordinal);
    }

    /// <summary>
    /// "size a multiple of 4" is the generator's precondition: its output is 4·(size / 4), so size 30 would make
    /// 28×28 images while Forward promises [B, channels, size, size]. The constructor must refuse it.
    /// </summary>
    [Fact]
    public void Generator_refuses_a_size_that_is_not_a_multiple_of_4()
    {
        Assert.Throws<ShapeMismatchException>(() => new DcganGenerator(noise: 8, channels: 1, size: 30, width: 2));
    }

    [Fact]
    public void Discriminator_scores_each_image_with_one_logit()
    {
        manual_seed(2);
        using var discriminator = DcganDiscriminator.Mnist();
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 5, 1 }, discriminator.Forward(randn(5, 1, 28, 28)).shape);
        Assert.Throws<ShapeMismatchException>(() => discriminator.Forward(randn(5, 1, 14, 14)));
    }

    [Fact]
    public void Mnist_pair_fits_the_discriminator_on_generated_samples()
    {
        manual_seed(3);
        using var scope = NewDisposeScope();
        var gan = Dcgan.Mnist();
        Assert.Equal("[B, channels, size, size]", Dcgan.SampleShape);
        var samples = gan.Generator.Forward(randn(4, 100));
        Assert.Equal(new long[] { 4, 1 }, gan.Discriminator.Forward(samples).shape);
    }

    // ---- Overfitting a tiny batch ------------------------------------------------------------------------------

    /// <summary>Four fixed noise vectors regress onto four fixed ±0.8 images: MSE under 0.01 within 100 Adam steps (lr 1e-2).</summary>
    [Fact]
    public void Generator_overfits_a_tiny_batch()
    {
        manual_seed(4);
        using var generator = new DcganGenerator(noise: 16, channels: 1, size: 28, width: 8);
        using var scope = NewDisposeScope();
        var z = randn(4, 16);
        var targets = randint(0, 2, new long[] { 4, 1, 28, 28 }).to(ScalarType.Float32) * 1.6f - 0.8f;

        var losses = Train(generator.parameters(), () => nn.functional.mse_loss(generator.Forward(z), targets), steps: 100, lr: 1e-2);

        output.WriteLine($"MSE {losses[0]:F3} → {losses[^1]:F4}; under 0.01 first at step {FirstStepUnder(losses, 0.01f)}");
        Assert.True(losses[^1] < 0.01f, $"final MSE {losses[^1]} (first {losses[0]})");
    }

    /// <summary>Eight fixed images, four labelled real: BCE under 0.05 within 25 Adam steps (lr 1e-3), measured in eval mode.</summary>
    [Fact]
    public void Discriminator_overfits_a_tiny_batch()
    {
        manual_seed(5);
        using var discriminator = DcganDiscriminator.Mnist();
        using var scope = NewDisposeScope();
        var images = rand(8, 1, 28, 28) * 2 - 1;
        var labels = tensor(new float[] { 1, 1, 1, 1, 0, 0, 0, 0 }).unsqueeze(1);

        var losses = Train(discriminator.parameters(), () => nn.functional.binary_cross_entropy_with_logits(discriminator.Forward(images), labels), steps: 25, lr: 1e-3);
        output.WriteLine($"BCE (train mode) {losses[0]:F3} → {losses[^1]:F4}; under 0.05 first at step {FirstStepUnder(losses, 0.05f)}");

        discriminator.eval();
        using var noGrad = no_grad();
        var loss = nn.functional.binary_cross_entropy_with_logits(discriminator.Forward(images), labels).item<float>();
        Assert.True(loss < 0.05f, $"BCE {loss}");
    }

    // ---- Save → load -------------------------------------------------------------------------------------------

    /// <summary>Weights and BatchNorm running statistics survive Module.save / Module.load: identical eval-mode outputs.</summary>
    [Fact]
    public void Generator_save_load_round_trip_gives_identical_outputs()
    {
        manual_seed(6);
        using var trained = new DcganGenerator(noise: 16, channels: 1, size: 28, width: 8);
        using var scope = NewDisposeScope();
        var z = randn(4, 16);
        Train(trained.parameters(), () => trained.Forward(z).square().mean(), steps: 3, lr: 1e-2); // moves weights and running stats

        using var fresh = new DcganGenerator(noise: 16, channels: 1, size: 28, width: 8);
        SaveAndLoad(trained, fresh);

        trained.eval();
        fresh.eval();
        using var noGrad = no_grad();
        AssertBitwiseEqual(trained.Forward(z), fresh.Forward(z), "generated images");
        Assert.Equal(RawState(trained).Keys.Order(), RawState(fresh).Keys.Order());
        Assert.True(RawState(trained).All(e => e.Value.AsSpan().SequenceEqual(RawState(fresh)[e.Key])));
    }

    [Fact]
    public void Discriminator_save_load_round_trip_gives_identical_outputs()
    {
        manual_seed(7);
        using var trained = DcganDiscriminator.Mnist();
        using var scope = NewDisposeScope();
        var images = randn(4, 1, 28, 28);
        Train(trained.parameters(), () => trained.Forward(images).mean(), steps: 2, lr: 1e-3);

        using var fresh = DcganDiscriminator.Mnist();
        SaveAndLoad(trained, fresh);

        trained.eval();
        fresh.eval();
        using var noGrad = no_grad();
        AssertBitwiseEqual(trained.Forward(images), fresh.Forward(images), "logits");
    }
}
