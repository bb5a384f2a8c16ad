using System;

namespace ModelDsl;

/// <summary>
/// Marks a <c>partial</c> class as a ModelDsl model. The source generator reads its layer members and its
/// <c>Forward</c> declaration, infers every tensor shape at compile time and emits the TorchSharp module.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>
    /// Whether the generator writes <c>ExportOnnx</c> (the default). A model whose steps have no ONNX lowering, such as
    /// a <c>[Call]</c>, gets warning MDL0201 instead; <c>Onnx = false</c> declares that it never leaves TorchSharp, and
    /// silences it.
    /// </summary>
    public bool Onnx { get; set; } = true;
}
