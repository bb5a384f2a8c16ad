using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Classifier;

/// <summary>The convolutional trunk of <see cref="MnistClassifier"/>: its 128-d output is the feature space of the GAN metrics.</summary>
[Model]
public sealed partial class MnistFeatures
{
    [Conv2d(32, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
    partial Conv2d Conv1 { get; }

    [Conv2d(64, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
    partial Conv2d Conv2 { get; }

    [Flatten, Linear(128), ReLU]
    partial Linear Hidden { get; }

    /// <summary>Penultimate features of 1×28×28 images.</summary>
    [return: Shape("B", 128)]
    public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
}

/// <summary>
/// A small CNN for 28×28 digits (or Fashion-MNIST): the classifier behind the Inception-style score and the
/// Fréchet distance of generated images.
/// </summary>
[Model]
public sealed partial class MnistClassifier
{
    /// <summary>The convolutional trunk; its output is the 128-d feature vector.</summary>
    [Nested]
    public partial MnistFeatures Features { get; }

    [Dropout(0.25), Linear(10)]
    partial Linear Logits { get; }

    /// <summary>Class logits of 1×28×28 images.</summary>
    [return: Shape("B", 10)]
    public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
}
