namespace ModelDsl.Onnx;

/// <summary>
/// A module that can write itself into an ONNX graph: implemented by the generator for every <c>[Model]</c> whose
/// operations all have an ONNX lowering (a model with one that does not gets warning MDL0201 instead).
/// </summary>
public interface IOnnxModule
{
    /// <summary>
    /// Appends the module's evaluation-mode graph: <paramref name="inputs"/> are its <c>Forward</c> arguments in
    /// order; the result holds its outputs in order. Initializers are named by state-dict key under the graph's scope.
    /// </summary>
    OnnxValue[] LowerOnnx(OnnxGraph graph, OnnxValue[] inputs);
}
