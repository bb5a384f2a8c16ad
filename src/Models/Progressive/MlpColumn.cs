using ModelDsl;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Progressive;

/// <summary>
/// One column of a progressive network for 28×28 images: two hidden layers and a task head. The generator
/// adds lateral inputs to the second hidden layer and the head, with adapters derived from this declaration.
/// </summary>
[Model, ProgressiveColumn]
public sealed partial class MlpColumn
{
    /// <summary>Creates a column with <paramref name="hidden"/> units per layer and <paramref name="classes"/> outputs.</summary>
    public partial MlpColumn(int hidden, int classes);

    [Flatten, Linear("hidden"), ReLU]
    partial Linear Fc1 { get; }

    [Linear("hidden"), ReLU]
    partial Linear Fc2 { get; }

    [Linear("classes")]
    partial Linear Head { get; }

    /// <summary>Class logits of 1×28×28 images.</summary>
    [return: Shape("B", "classes")]
    public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
}
