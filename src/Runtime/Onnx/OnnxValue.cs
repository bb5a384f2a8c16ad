namespace ModelDsl.Onnx;

/// <summary>A tensor in an ONNX graph under construction: a graph input, an initializer or a node's output, by name.</summary>
/// <param name="Name">The value's name in the graph.</param>
public readonly record struct OnnxValue(string Name)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
