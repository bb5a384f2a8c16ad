using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Zoo;

/// <summary>
/// A file of interop/pytorch/files/zoo written by <c>zoo.py</c>: a PyTorch model's weights under the ModelDsl model's
/// state-dict keys, its inputs (<c>input.*</c>) and what PyTorch computed from them in evaluation mode (<c>output.*</c>).
/// </summary>
internal sealed class PyTorchReference : IDisposable
{
    /// <summary>The largest absolute difference from PyTorch's float32 outputs that counts as parity.</summary>
    public const float Tolerance = 1e-5f;

    private readonly Dictionary<string, Tensor> _tensors;

    public PyTorchReference(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "PyTorch", "zoo", name + ".safetensors");
        _tensors = TorchSharp.PyBridge.Safetensors.LoadStateDict(path);
    }

    public Tensor Input(string name) => _tensors["input." + name];

    public Tensor Output(string name) => _tensors["output." + name];

    /// <summary>The number of trainable parameters PyTorch's model has (its weights, without batch-norm statistics).</summary>
    public long ParameterCount => Weights.Where(w => !IsStatistic(w.Key)).Sum(w => w.Value.numel());

    /// <summary>Loads the weights into <paramref name="model"/> strictly (every name, shape and dtype) and sets it to evaluation mode.</summary>
    public void LoadInto(nn.Module model)
    {
        StateDict.Load(Weights, model, "the PyTorch reference");
        model.eval();
    }

    /// <summary>Asserts that .NET's output equals PyTorch's to <see cref="Tolerance"/>.</summary>
    public void AssertClose(string output, Tensor actual)
    {
        var expected = Output(output);
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= Tolerance, $"{output}: largest difference from PyTorch {difference:G3} > {Tolerance:G1}");
    }

    public void Dispose()
    {
        foreach (var tensor in _tensors.Values)
            tensor.Dispose();
    }

    private IReadOnlyDictionary<string, Tensor> Weights
        => _tensors.Where(t => !t.Key.StartsWith("input.", StringComparison.Ordinal) && !t.Key.StartsWith("output.", StringComparison.Ordinal))
            .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    private static bool IsStatistic(string key) => key.EndsWith(".running_mean", StringComparison.Ordinal) || key.EndsWith(".running_var", StringComparison.Ordinal) || key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
}
