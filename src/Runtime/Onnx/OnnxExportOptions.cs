namespace ModelDsl.Onnx;

/// <summary>How <c>ExportOnnx</c> writes a model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The default opset: 17, the first with <c>LayerNormalization</c>, read by ONNX 1.12 and later.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The ONNX operator set to target, from <see cref="OnnxOpsets.Min"/> to <see cref="OnnxOpsets.Max"/>.</summary>
    public int Opset { get; init; } = DefaultOpset;

    /// <summary>Where the weights go: inside the model file, or beside it in <c>&lt;file&gt;.data</c>.</summary>
    public OnnxExternalData ExternalData { get; init; } = OnnxExternalData.Auto;

    /// <summary>The graph's name; null for the model's class name.</summary>
    public string? GraphName { get; init; }
}

/// <summary>Whether initializers are stored in a separate file (ONNX external data).</summary>
public enum OnnxExternalData
{
    /// <summary>Beside the model when they would take the file past protobuf's 2 GB limit, else inside it.</summary>
    Auto,

    /// <summary>Always beside the model (tensors of at least 1 KiB; smaller ones stay inline).</summary>
    Always,

    /// <summary>Always inside the model file; a model past the limit fails with an explanation.</summary>
    Never,
}
