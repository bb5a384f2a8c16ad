using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelDsl.Inference;

/// <summary>
/// An exported model loaded into ONNX Runtime. Inputs and outputs go by the names the model's <c>Forward</c>
/// declares; every call is checked against the declared shapes first (rank, fixed dims, and each symbolic dim such as
/// <c>B</c> the same everywhere), so a wrong input fails with a message naming it, not inside the runtime.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    private OnnxModel(InferenceSession session, string name)
    {
        _session = session;
        Name = name;
        Inputs = session.InputNames.Select(n => Port(n, session.InputMetadata[n])).ToList();
        Outputs = session.OutputNames.Select(n => Port(n, session.OutputMetadata[n])).ToList();
        Hyperparameters = session.ModelMetadata.CustomMetadataMap
            .Where(m => m.Key.StartsWith(HyperparameterKey, StringComparison.Ordinal))
            .ToDictionary(m => m.Key.Substring(HyperparameterKey.Length), m => m.Value, StringComparer.Ordinal);
    }

    // Written by ModelDsl's exporter (OnnxExport.HyperparameterKey).
    private const string HyperparameterKey = "modeldsl.hyperparameter.";

    /// <summary>The file's name, for messages.</summary>
    public string Name { get; }

    /// <summary>The inputs in declaration order.</summary>
    public IReadOnlyList<OnnxPortInfo> Inputs { get; }

    /// <summary>The outputs in declaration order.</summary>
    public IReadOnlyList<OnnxPortInfo> Outputs { get; }

    /// <summary>The hyperparameters the model was built with (its constructor's arguments), as the exporter recorded them.</summary>
    public IReadOnlyDictionary<string, string> Hyperparameters { get; }

    /// <summary>Loads a model (and its <c>.data</c> file, if it has external weights).</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="threads">Threads for one operator; 0 lets ONNX Runtime choose.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static OnnxModel Load(string path, int threads = 0)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no ONNX model at '{path}'", path);
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        return new OnnxModel(new InferenceSession(path, options), Path.GetFileName(path));
    }

    /// <summary>Runs the model on one tensor per input, in declaration order.</summary>
    public OnnxResults Run(params OnnxTensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length != Inputs.Count)
            throw new ArgumentException($"{Name} takes {Inputs.Count} input(s) ({string.Join(", ", Inputs)}) but got {inputs.Length}", nameof(inputs));
        return Run(inputs.Select((t, i) => new OnnxInput(Inputs[i].Name, t)).ToArray());
    }

    /// <summary>Runs the model on named inputs, in any order.</summary>
    /// <exception cref="ArgumentException">An input is missing, unknown, of the wrong type or shape.</exception>
    public OnnxResults Run(params OnnxInput[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var byName = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (Inputs.All(p => p.Name != input.Name))
                throw new ArgumentException($"{Name} has no input '{input.Name}'; its inputs are {string.Join(", ", Inputs)}", nameof(inputs));
            if (!byName.TryAdd(input.Name, input.Tensor))
                throw new ArgumentException($"input '{input.Name}' is given twice", nameof(inputs));
        }

        var bound = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var port in Inputs)
        {
            if (!byName.TryGetValue(port.Name, out var tensor))
                throw new ArgumentException($"{Name} needs input '{port}'", nameof(inputs));
            Check(port, tensor, bound);
        }

        var values = Inputs.Select(p => ToOrtValue(byName[p.Name])).ToList();
        try
        {
            using var results = _session.Run(_runOptions, Inputs.Select(p => p.Name).ToList(), values, Outputs.Select(p => p.Name).ToList());
            return new OnnxResults(Outputs.Select((p, i) => (p.Name, FromOrtValue(results[i]))).ToList());
        }
        finally
        {
            foreach (var value in values)
                value.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }

    // Rank, element type, fixed dims, then symbolic dims bound on first use and compared everywhere after.
    private void Check(OnnxPortInfo port, OnnxTensor tensor, Dictionary<string, long> bound)
    {
        if (tensor.Type != port.Type)
            throw new ArgumentException($"{Name}: input '{port.Name}' takes {port.Type} elements but got {tensor.Type}");
        var fits = tensor.Shape.Length == port.Dims.Count;
        for (var i = 0; fits && i < port.Dims.Count; i++)
        {
            if (port.Dims[i] is { } size)
                fits = tensor.Shape[i] == size;
            else if (port.SymbolicDims[i].Length > 0)
                fits = !bound.TryGetValue(port.SymbolicDims[i], out var value) ? bound.TryAdd(port.SymbolicDims[i], tensor.Shape[i]) : value == tensor.Shape[i];
        }

        if (!fits)
        {
            var binding = bound.Count == 0 ? "" : " (" + string.Join(", ", bound.Select(b => b.Key + " = " + b.Value.ToString(CultureInfo.InvariantCulture))) + ")";
            throw new ArgumentException($"{Name}: input '{port.Name}' expected shape {port.ShapeText}{binding} but got {tensor.ShapeText}");
        }
    }

    private static OrtValue ToOrtValue(OnnxTensor tensor) => tensor.Type switch
    {
        OnnxTensorType.Int64 => OrtValue.CreateTensorValueFromMemory(tensor.Int64s, tensor.Shape),
        OnnxTensorType.Bool => OrtValue.CreateTensorValueFromMemory(tensor.Bools, tensor.Shape),
        _ => OrtValue.CreateTensorValueFromMemory(tensor.Floats, tensor.Shape),
    };

    private static OnnxTensor FromOrtValue(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        return info.ElementDataType switch
        {
            TensorElementType.Int64 => OnnxTensor.Int64(value.GetTensorDataAsSpan<long>().ToArray(), info.Shape),
            TensorElementType.Bool => OnnxTensor.Bool(value.GetTensorDataAsSpan<bool>().ToArray(), info.Shape),
            TensorElementType.Float => OnnxTensor.Float(value.GetTensorDataAsSpan<float>().ToArray(), info.Shape),
            var other => throw new NotSupportedException($"outputs of {other} elements are not supported"),
        };
    }

    private OnnxPortInfo Port(string name, NodeMetadata metadata)
    {
        var type = metadata.ElementDataType switch
        {
            TensorElementType.Float => OnnxTensorType.Float,
            TensorElementType.Int64 => OnnxTensorType.Int64,
            TensorElementType.Bool => OnnxTensorType.Bool,
            var other => throw new NotSupportedException($"{Name}: '{name}' has {other} elements; ModelDsl models use float, int64 and bool"),
        };
        var dims = metadata.Dimensions.Select(d => d < 0 ? (long?)null : d).ToList();
        var symbols = metadata.SymbolicDimensions.Select(s => s ?? "").ToList();
        return new OnnxPortInfo(name, type, dims, symbols);
    }
}
