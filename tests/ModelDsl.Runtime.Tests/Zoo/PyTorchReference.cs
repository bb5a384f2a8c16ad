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
/// state-dict keys, its inputs (<c>input:*</c>), what PyTorch computed from them in evaluation mode (<c>output:*</c>),
/// PyTorch's parameter count (<c>count:parameters</c>), and for weights too large to store, the sums of the procedural
/// ones (<c>checksum:*</c>, see <see cref="ProceduralWeights"/>). A colon never occurs in a state-dict key.
/// </summary>
internal sealed class PyTorchReference : IDisposable
{
    /// <summary>The largest absolute difference from PyTorch's float32 outputs that counts as parity.</summary>
    public const float Tolerance = 1e-5f;

    private readonly Dictionary<string, Tensor> _tensors;

    public PyTorchReference(string name)
    {
        Name = name;
        var path = Path.Combine(AppContext.BaseDirectory, "PyTorch", "zoo", name + ".safetensors");
        _tensors = TorchSharp.PyBridge.Safetensors.LoadStateDict(path);
    }

    public string Name { get; }

    public Tensor Input(string name) => _tensors["input:" + name];

    public Tensor Output(string name) => _tensors["output:" + name];

    /// <summary>
    /// The number of trainable parameters PyTorch's model has: as PyTorch counted it where the file says, else the
    /// weights it holds, without batch-norm statistics.
    /// </summary>
    public long ParameterCount => _tensors.TryGetValue("count:parameters", out var count)
        ? count.item<long>()
        : Weights.Where(w => !IsStatistic(w.Key)).Sum(w => w.Value.numel());

    /// <summary>
    /// Loads the weights into <paramref name="model"/> strictly (every name, shape and dtype) and sets it to evaluation
    /// mode. A weight the file leaves out is computed by <see cref="ProceduralWeights"/>, and its sum must equal the
    /// file's checksum.
    /// </summary>
    public void LoadInto(nn.Module model)
    {
        var weights = new Dictionary<string, Tensor>(Weights, StringComparer.Ordinal);
        foreach (var (key, tensor) in model.state_dict())
        {
            if (weights.ContainsKey(key) || !_tensors.TryGetValue("checksum:" + key, out var checksum))
                continue;
            var procedural = ProceduralWeights.For(key, tensor.shape);
            var sum = procedural.to(ScalarType.Float64).sum().item<double>();
            Assert.True(Math.Abs(sum - checksum.item<double>()) <= 1e-9 * Math.Max(1, Math.Abs(sum)), $"{key}: procedural weights sum to {sum}, PyTorch's to {checksum.item<double>()}");
            weights[key] = procedural;
        }

        StateDict.Load(weights, model, "the PyTorch reference");
        model.eval();
    }

    /// <summary>Asserts that .NET's output equals PyTorch's to <see cref="Tolerance"/> and returns the largest difference.</summary>
    public float AssertClose(string output, Tensor actual)
    {
        var expected = Output(output);
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= Tolerance, $"{Name} {output}: largest difference from PyTorch {difference:G3} > {Tolerance:G1}");
        return difference;
    }

    public void Dispose()
    {
        foreach (var tensor in _tensors.Values)
            tensor.Dispose();
    }

    private IReadOnlyDictionary<string, Tensor> Weights
        => _tensors.Where(t => !t.Key.Contains(':', StringComparison.Ordinal)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    private static bool IsStatistic(string key) => key.EndsWith(".running_mean", StringComparison.Ordinal) || key.EndsWith(".running_var", StringComparison.Ordinal) || key.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
}
