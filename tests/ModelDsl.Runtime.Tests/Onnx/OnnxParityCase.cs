using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using ModelDsl.Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Onnx;

/// <summary>
/// A parity check of one generated model: created once, BatchNorm statistics moved off their initial values by two
/// training-mode passes, exported once in evaluation mode, then run by TorchSharp and ONNX Runtime at every size.
/// </summary>
/// <param name="Name">The model, as the parity table names it.</param>
/// <param name="Create">Builds the model.</param>
/// <param name="Inputs">The Forward arguments for a batch size and a second size (a length, or an image side).</param>
/// <param name="Sizes">The (batch, size) pairs to run, all from the one file.</param>
internal sealed record OnnxParityCase(string Name, Func<nn.Module> Create, Func<long, long, Tensor[]> Inputs, (long Batch, long Size)[] Sizes)
{
    /// <summary>Runs the check; returns the largest difference over every output and size.</summary>
    public double Run(OnnxExportOptions? options = null)
    {
        manual_seed(7);
        using var model = Create();
        WarmBatchNorm(model);
        model.eval();
        using var exported = OnnxTestKit.Export((path, o) => Export(model, path, o), options);

        var largest = 0.0;
        foreach (var (batch, size) in Sizes)
        {
            using var scope = NewDisposeScope();
            var inputs = Inputs(batch, size);
            Tensor[] expected;
            using (no_grad())
                expected = Outputs(Forward(model, inputs));
            var actual = exported.Model.Run(inputs.Select(OnnxTestKit.ToOnnx).ToArray());
            Assert.Equal(expected.Length, actual.Count);
            for (var i = 0; i < expected.Length; i++)
                largest = Math.Max(largest, OnnxTestKit.AssertClose(expected[i], actual[i], $"{Name} output {i} at ({batch}, {size})"));
        }

        return largest;
    }

    /// <summary>Calls the model's generated <c>ExportOnnx</c>.</summary>
    public static void Export(nn.Module model, string path, OnnxExportOptions? options)
        => Method(model, "ExportOnnx").Invoke(model, new object?[] { path, options });

    /// <summary>Calls the model's <c>Forward</c> with one tensor per argument.</summary>
    public static object Forward(nn.Module model, Tensor[] inputs) => Method(model, "Forward").Invoke(model, inputs.Cast<object>().ToArray())!;

    /// <summary>A tensor, or the elements of a returned tuple, in order.</summary>
    public static Tensor[] Outputs(object result)
        => result is Tensor tensor ? new[] { tensor } : Enumerable.Range(0, ((ITuple)result).Length).Select(i => (Tensor)((ITuple)result)[i]!).ToArray();

    // Two training-mode passes at batch 4 give BatchNorm running statistics that are not 0 and 1, so the export's
    // use of them is tested; layers without state are unaffected.
    private void WarmBatchNorm(nn.Module model)
    {
        model.train();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (var i = 0; i < 2; i++)
            Forward(model, Inputs(4, Sizes[^1].Size));
    }

    private static MethodInfo Method(nn.Module model, string name)
        => model.GetType().GetMethod(name, BindingFlags.Public | BindingFlags.Instance) ?? throw new InvalidOperationException($"{model.GetType().Name} has no {name}");
}
