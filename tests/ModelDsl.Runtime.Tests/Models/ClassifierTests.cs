using System;
using System.Linq;
using ModelDsl.Models.Classifier;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static ModelDsl.Runtime.Tests.Models.ModelTestKit;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>The MNIST classifier and its feature trunk (src/Models/Classifier).</summary>
public sealed class ClassifierTests(ITestOutputHelper output) : OneThreadTests
{
    /// <summary>
    /// PyTorch-style, layer by layer: Conv2d(1 → 32, 3×3) 320; Conv2d(32 → 64, 3×3) 18,496; two 2×2 pools take 28 → 7,
    /// so Linear(64·7·7 = 3,136 → 128) 401,536 — features 420,352; Linear(128 → 10) 1,290. Total 421,642.
    /// </summary>
    [Fact]
    public void Parameter_count_matches_the_layer_by_layer_reference()
    {
        const long features = (1 * 32 * 9 + 32) + (32 * 64 * 9 + 64) + (64 * 7 * 7 * 128 + 128);
        const long reference = features + (128 * 10 + 10);
        Assert.Equal(420_352, features);
        Assert.Equal(421_642, reference);

        Assert.Equal(features, MnistFeatures.ParameterCount);
        Assert.Equal(reference, MnistClassifier.ParameterCount);
        using var classifier = new MnistClassifier();
        Assert.Equal(reference, SumOfParameters(classifier));
        Assert.Equal(features, SumOfParameters(classifier.Features));
    }

    [Fact]
    public void Maps_images_to_ten_logits_and_128_features()
    {
        manual_seed(41);
        using var classifier = new MnistClassifier();
        using var scope = NewDisposeScope();
        var images = rand(3, 1, 28, 28);
        Assert.Equal(new long[] { 3, 10 }, classifier.Forward(images).shape);
        Assert.Equal(new long[] { 3, 128 }, classifier.Features.Forward(images).shape);
        Assert.Throws<ShapeMismatchException>(() => classifier.Forward(rand(3, 28, 28)));
        Assert.Throws<ShapeMismatchException>(() => classifier.Forward(rand(3, 3, 28, 28)));
    }

    /// <summary>16 random images with random labels: cross-entropy under 0.1 (eval mode) within 40 Adam steps (lr 3e-3; eval loss ≈ 0.005).</summary>
    [Fact]
    public void Overfits_a_tiny_batch()
    {
        manual_seed(42);
        using var classifier = new MnistClassifier();
        using var scope = NewDisposeScope();
        var images = rand(16, 1, 28, 28);
        var labels = randint(0, 10, new long[] { 16 });

        var losses = Train(classifier.parameters(), () => nn.functional.cross_entropy(classifier.Forward(images), labels), steps: 40, lr: 3e-3);

        classifier.eval();
        using var noGrad = no_grad();
        var loss = nn.functional.cross_entropy(classifier.Forward(images), labels).item<float>();
        output.WriteLine($"train-mode loss {losses[0]:F3} → {losses[^1]:F4}; eval loss {loss:F4}");
        Assert.True(loss < 0.1f, $"eval loss {loss}");
        Assert.True(AreEqual(classifier.Forward(images).argmax(1), labels));
    }

    [Fact]
    public void Save_load_round_trip_gives_identical_logits()
    {
        manual_seed(43);
        using var trained = new MnistClassifier();
        using var scope = NewDisposeScope();
        var images = rand(4, 1, 28, 28);
        var labels = randint(0, 10, new long[] { 4 });
        Train(trained.parameters(), () => nn.functional.cross_entropy(trained.Forward(images), labels), steps: 2, lr: 1e-3);

        using var fresh = new MnistClassifier();
        SaveAndLoad(trained, fresh);

        trained.eval();
        fresh.eval();
        using var noGrad = no_grad();
        AssertBitwiseEqual(trained.Forward(images), fresh.Forward(images), "logits");
    }

    /// <summary>PyTorch-style state-dict keys, one per tensor: features.conv1.weight … logits.bias.</summary>
    [Fact]
    public void State_dict_has_one_pytorch_style_key_per_tensor()
    {
        using var classifier = new MnistClassifier();
        Assert.Equal(
            new[] { "features.conv1.bias", "features.conv1.weight", "features.conv2.bias", "features.conv2.weight", "features.hidden.bias", "features.hidden.weight", "logits.bias", "logits.weight" },
            classifier.state_dict().Keys.Order(StringComparer.Ordinal));
    }
}
