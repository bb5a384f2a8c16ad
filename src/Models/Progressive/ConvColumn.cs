using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Progressive;

/// <summary>
/// A convolutional column: lateral adapters into its second convolution are a 1×1 convolution V and a 3×3
/// convolution U, as Rusu et al. (2016) prescribe for convolutional layers. Into <c>Hidden</c>, which flattens
/// the 32×7×7 map, V is a 1×1 convolution on the earlier columns' maps before the flatten and U a Linear from
/// the flattened 1,568 features: about 100k parameters per adapter instead of 2.5M for V on 1,568 features.
/// </summary>
[Model, ProgressiveColumn]
public sealed partial class ConvColumn
{
    /// <summary>Creates a column with <paramref name="classes"/> outputs.</summary>
    public partial ConvColumn(int classes);

    [Conv2d(16, Kernel = 3, Padding = "same"), ReLU, MaxPool2d(2)]
    partial Conv2d Conv1 { get; }

    [Conv2d(32, Kernel = 3, Padding = "same"), ReLU, MaxPool2d(2)]
    partial Conv2d Conv2 { get; }

    [Flatten, Linear(64), ReLU]
    partial Linear Hidden { get; }

    [Linear("classes")]
    partial Linear Head { get; }

    /// <summary>Class logits of 1×28×28 images.</summary>
    [return: Shape("B", "classes")]
    public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
}
