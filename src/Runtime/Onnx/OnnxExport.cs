using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace ModelDsl.Onnx;

/// <summary>
/// Writes a generated model as an ONNX file: the graph its <c>LowerOnnx</c> builds, inputs and outputs as its
/// <c>Forward</c> declares them (symbolic dims as <c>dim_param</c>s), and its weights as initializers.
/// </summary>
public static class OnnxExport
{
    // Protobuf cannot hold a message of 2 GiB or more; past this, weights go to an external data file.
    private const long InlineLimit = 2_000_000_000 - (64L << 20);
    private const int ExternalThreshold = 1024;
    private const int ExternalAlignment = 4096;

    /// <summary>The metadata key prefix of the hyperparameters: <c>modeldsl.hyperparameter.</c> + the constructor parameter's name.</summary>
    public const string HyperparameterKey = "modeldsl.hyperparameter.";

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> (and, with external data, its weights to
    /// <c>path + ".data"</c>). Generated <c>ExportOnnx</c> methods call this with the model's declared signature.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="inputs">The graph's inputs: the <c>Forward</c> arguments.</param>
    /// <param name="outputs">The graph's outputs: what <c>Forward</c> returns.</param>
    /// <param name="options">Opset and external data; null for the defaults.</param>
    /// <param name="hyperparameters">The constructor's arguments, written as metadata (<c>modeldsl.hyperparameter.blockSize</c>).</param>
    public static void Save(IOnnxModule model, string path, IReadOnlyList<OnnxPort> inputs, IReadOnlyList<OnnxPort> outputs, OnnxExportOptions? options = null,
        IReadOnlyList<(string Name, object Value)>? hyperparameters = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new OnnxExportOptions();
        var proto = Build(model, inputs, outputs, options, out var graph);
        foreach (var (name, value) in hyperparameters ?? Array.Empty<(string, object)>())
            proto.MetadataProps.Add(new StringStringEntryProto { Key = HyperparameterKey + name, Value = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" });
        var external = options.ExternalData switch
        {
            OnnxExternalData.Always => true,
            OnnxExternalData.Never => false,
            _ => graph.Initializers.Sum(i => i.ByteCount) > InlineLimit,
        };
        if (!external && graph.Initializers.Sum(i => i.ByteCount) > InlineLimit)
            throw new NotSupportedException($"the weights take {graph.Initializers.Sum(i => i.ByteCount)} bytes, past protobuf's 2 GB limit for one file; export with ExternalData = Auto or Always");

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var dataName = Path.GetFileName(path) + ".data";
        var dataPath = Path.Combine(directory, dataName);
        if (external)
            WriteExternal(proto.Graph, graph.Initializers, dataPath, dataName);
        else
        {
            proto.Graph.Initializer.AddRange(graph.Initializers.Select(i => i.ToProto()));
            // A data file left by an earlier export with external data would only mislead.
            File.Delete(dataPath);
        }

        // Write beside the target, then move: a failure never leaves half a model under the real name.
        var temporary = path + ".partial";
        using (var stream = File.Create(temporary))
            proto.WriteTo(stream);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The model, without initializers; <paramref name="graph"/> holds them and the nodes.</summary>
    internal static ModelProto Build(IOnnxModule model, IReadOnlyList<OnnxPort> inputs, IReadOnlyList<OnnxPort> outputs, OnnxExportOptions options, out OnnxGraph graph)
    {
        var built = graph = new OnnxGraph(options.Opset);
        var values = inputs.Select(i => built.Input(i.Name)).ToArray();
        // No dispose scope here: the initializers hold the modules' tensors until the file is written.
        OnnxValue[] results;
        using (no_grad())
            results = model.LowerOnnx(graph, values);
        if (results.Length != outputs.Count)
            throw new InvalidOperationException($"the model produced {results.Length} values for {outputs.Count} declared outputs");
        for (var i = 0; i < results.Length; i++)
            graph.Output(outputs[i].Name, results[i]);

        var name = options.GraphName ?? model.GetType().Name;
        var proto = new ModelProto
        {
            IrVersion = OnnxOpsets.IrVersion(options.Opset),
            ProducerName = "ModelDsl",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "",
            DocString = $"{model.GetType().FullName} in evaluation mode, exported from its compile-time graph by ModelDsl.",
            Graph = new GraphProto { Name = name },
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        proto.Graph.Input.AddRange(inputs.Select(ValueInfo));
        proto.Graph.Output.AddRange(outputs.Select(ValueInfo));
        proto.Graph.Node.AddRange(graph.Nodes);
        return proto;
    }

    private static void WriteExternal(GraphProto proto, IReadOnlyList<OnnxInitializer> initializers, string dataPath, string dataName)
    {
        var temporary = dataPath + ".partial";
        using (var stream = File.Create(temporary))
        {
            foreach (var initializer in initializers)
            {
                if (initializer.ByteCount < ExternalThreshold)
                {
                    proto.Initializer.Add(initializer.ToProto());
                    continue;
                }

                // Aligned offsets let ONNX Runtime map the file instead of copying it.
                var padding = (ExternalAlignment - stream.Position % ExternalAlignment) % ExternalAlignment;
                stream.Write(new byte[padding]);
                proto.Initializer.Add(initializer.ToExternalProto(dataName, stream.Position));
                initializer.WriteData(stream);
            }
        }

        File.Move(temporary, dataPath, overwrite: true);
    }

    private static ValueInfoProto ValueInfo(OnnxPort port)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in port.Dims)
            shape.Dim.Add(dim.Name is { } symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol } : new TensorShapeProto.Types.Dimension { DimValue = dim.Value!.Value });
        var type = port.Type switch
        {
            OnnxElementType.Int64 => TensorProto.Types.DataType.Int64,
            OnnxElementType.Bool => TensorProto.Types.DataType.Bool,
            _ => TensorProto.Types.DataType.Float,
        };
        return new ValueInfoProto
        {
            Name = port.Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
