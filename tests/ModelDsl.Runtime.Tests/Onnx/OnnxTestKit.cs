using System;
using System.IO;
using System.Linq;
using ModelDsl.Inference;
using ModelDsl.Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Onnx;

/// <summary>Exports a model to a temporary file, loads it in ONNX Runtime, and compares its outputs with TorchSharp's.</summary>
internal static class OnnxTestKit
{
    /// <summary>The tolerance of every parity test: float32 outputs within 1e-5 absolute.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>Exports with <paramref name="export"/> (a model's <c>ExportOnnx</c>) into a fresh folder and loads the file.</summary>
    public static Exported Export(Action<string, OnnxExportOptions?> export, OnnxExportOptions? options = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "modeldsl-onnx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "model.onnx");
        export(path, options);
        return new Exported(directory, path, OnnxModel.Load(path, threads: 1));
    }

    /// <summary>A TorchSharp tensor as an ONNX Runtime input (float32, int64 or bool).</summary>
    public static OnnxTensor ToOnnx(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        return tensor.dtype switch
        {
            ScalarType.Int64 => OnnxTensor.Int64(cpu.data<long>().ToArray(), tensor.shape),
            ScalarType.Bool => OnnxTensor.Bool(cpu.data<bool>().ToArray(), tensor.shape),
            _ => OnnxTensor.Float(cpu.to(ScalarType.Float32).data<float>().ToArray(), tensor.shape),
        };
    }

    /// <summary>The largest absolute difference between TorchSharp's output and ONNX Runtime's, after checking the shapes agree.</summary>
    public static double MaxAbsDifference(Tensor expected, OnnxTensor actual, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.Shape), $"{what}: TorchSharp gives [{string.Join(", ", expected.shape)}], ONNX Runtime {actual.ShapeText}");
        using var scope = NewDisposeScope();
        var reference = expected.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
        var result = actual.Floats;
        var largest = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var difference = Math.Abs((double)reference[i] - result[i]);
            // NaN anywhere is a failure, not a small difference.
            if (double.IsNaN(difference))
                return double.PositiveInfinity;
            largest = Math.Max(largest, difference);
        }

        return largest;
    }

    /// <summary>Asserts ONNX Runtime reproduces TorchSharp's output within <see cref="Tolerance"/>; returns the largest difference.</summary>
    public static double AssertClose(Tensor expected, OnnxTensor actual, string what)
    {
        var difference = MaxAbsDifference(expected, actual, what);
        Assert.True(difference <= Tolerance, $"{what}: ONNX Runtime differs from TorchSharp by {difference:G3} (tolerance {Tolerance:G1})");
        return difference;
    }

    /// <summary>A fresh export: the file, its folder (deleted on dispose) and the loaded model.</summary>
    public sealed class Exported(string directory, string path, OnnxModel model) : IDisposable
    {
        public string Path { get; } = path;

        public OnnxModel Model { get; } = model;

        public void Dispose()
        {
            Model.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }
}
