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
/// A parity check of one generated model: created once, parameters that start constant (norm scales and shifts, class
/// tokens) moved off their initial values, BatchNorm statistics moved off theirs by two
/// training-mode passes, exported once in evaluation mode, then run by TorchSharp and ONNX Runtime at every size.
/// </summary>
/// <param name="Name">The model, as the parity table names it.</param>
/// <param name="Create">Builds the model.</param>
/// <param name="Inputs">The Forward arguments for a batch size and a second size (a length, or an image side).</param>
/// <param name="Sizes">The (batch, size) pairs to run, all from the one file.</param>
internal sealed record OnnxParityCase(string Name, Func<nn.Module> Create, Func<long, long, Tensor[]> Inputs, (long Batch, long Size)[] Sizes)
{
    /// <summary>Runs the check; returns the largest difference over every output and size.</summary>
    public double Run(OnnxExportOptions? options = null) => RunPerSize(options).Max(r => r.Difference);

    /// <summary>Runs the check; returns the largest difference over every output at each size, in order.</summary>
    public IReadOnlyList<(long Batch, long Size, double Difference)> RunPerSize(OnnxExportOptions? options = null)
    {
        manual_seed(7);
        using var model = Create();
        PerturbConstantParameters(model);
        WarmBatchNorm(model);
        model.eval();
        using var exported = OnnxTestKit.Export((path, o) => Export(model, path, o), options);

        var results = new List<(long, long, double)>();
        foreach (var (batch, size) in Sizes)
        {
            var largest = 0.0;
            using var scope = NewDisposeScope();
            var inputs = Inputs(batch, size);
            Tensor[] expected;
            using (no_grad())
                expected = Outputs(Forward(model, inputs));
            var actual = exported.Model.Run(inputs.Select(OnnxTestKit.ToOnnx).ToArray());
            Assert.Equal(expected.Length, actual.Count);
            for (var i = 0; i < expected.Length; i++)
                largest = Math.Max(largest, OnnxTestKit.AssertClose(expected[i], actual[i], $"{Name} output {i} at ({batch}, {size})"));
            results.Add((batch, size, largest));
        }

        return results;
    }

    /// <summary>Calls the model's generated <c>ExportOnnx</c>.</summary>
    public static void Export(nn.Module model, string path, OnnxExportOptions? options)
        => Method(model, "ExportOnnx").Invoke(model, new object?[] { path, options });

    /// <summary>Calls the model's <c>Forward</c> with one tensor per argument.</summary>
    public static object Forward(nn.Module model, Tensor[] inputs) => Method(model, "Forward").Invoke(model, inputs.Cast<object>().ToArray())!;

    /// <summary>A tensor, or the elements of a returned tuple, in order.</summary>
    public static Tensor[] Outputs(object result)
        => result is Tensor tensor ? new[] { tensor } : Enumerable.Range(0, ((ITuple)result).Length).Select(i => (Tensor)((ITuple)result)[i]!).ToArray();

    // Norm scales and shifts start as ones and zeros, and class tokens as zeros: moved off them (each element by its
    // own amount), an export that used them per group instead of per channel, or not at all, would show.
    private static void PerturbConstantParameters(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (_, parameter) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            if (parameter.numel() > 0 && (parameter == parameter.flatten()[0]).all().item<bool>())
                parameter.add_(randn_like(parameter) * 0.5);
        }
    }

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
