using System;

namespace ModelDsl;

/// <summary>
/// Marks a <c>partial</c> class as a ModelDsl model. The source generator reads its layer members and its
/// <c>Forward</c> declaration, infers every tensor shape at compile time and emits the TorchSharp module.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
}
