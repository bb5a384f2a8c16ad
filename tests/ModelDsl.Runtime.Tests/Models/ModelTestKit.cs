using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>Shared checks of the showcase-model tests: parameter sums, bit-exact comparisons, save/load, tiny training loops.</summary>
internal static class ModelTestKit
{
    /// <summary>The sum of <c>numel</c> over <c>parameters()</c> (TorchSharp lists a shared parameter once).</summary>
    public static long SumOfParameters(nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>Every parameter and buffer as raw bytes, keyed by name.</summary>
    public static Dictionary<string, byte[]> RawState(nn.Module module)
    {
        var state = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, parameter) in module.named_parameters())
            state["param:" + name] = Bytes(parameter);
        foreach (var (name, buffer) in module.named_buffers())
            state["buffer:" + name] = Bytes(buffer);
        return state;
    }

    /// <summary>A tensor's elements as raw bytes (contiguous CPU copy).</summary>
    public static byte[] Bytes(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return tensor.detach().cpu().contiguous().bytes.ToArray();
    }

    /// <summary>Same shape, same dtype, same bytes: not <c>allclose</c>.</summary>
    public static void AssertBitwiseEqual(Tensor expected, Tensor actual, string? what = null)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.True(Bytes(expected).AsSpan().SequenceEqual(Bytes(actual)), $"{what ?? "tensor"}: bytes differ");
    }

    /// <summary>Saves <paramref name="trained"/> with <c>Module.save</c> to a temporary file and loads it into <paramref name="fresh"/>.</summary>
    public static void SaveAndLoad(nn.Module trained, nn.Module fresh)
    {
        var path = Path.Combine(Path.GetTempPath(), $"modeldsl-{Guid.NewGuid():N}.dat");
        try
        {
            trained.save(path);
            fresh.load(path, strict: true);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Runs <paramref name="steps"/> Adam steps of <paramref name="loss"/> over <paramref name="parameters"/>
    /// (one dispose scope per step); returns the loss of every step.
    /// </summary>
    public static List<float> Train(IEnumerable<Parameter> parameters, Func<Tensor> loss, int steps, double lr)
    {
        var optimizer = optim.Adam(parameters.ToList(), lr);
        var losses = new List<float>(steps);
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var value = loss();
            value.backward();
            optimizer.step();
            losses.Add(value.item<float>());
        }

        return losses;
    }

    /// <summary>The first step at which the loss went under <paramref name="threshold"/>, or -1.</summary>
    public static int FirstStepUnder(IReadOnlyList<float> losses, float threshold)
    {
        for (var i = 0; i < losses.Count; i++)
            if (losses[i] < threshold)
                return i;
        return -1;
    }

    /// <summary>Same shape, same dtype and equal elements (PyTorch's <c>torch.equal</c>; TorchSharp's <c>equal</c> is element-wise).</summary>
    public static bool AreEqual(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype)
            return false;
        using var scope = NewDisposeScope();
        return a.eq(b).all().item<bool>();
    }

    /// <summary>
    /// Runs libtorch on one intra-op thread until disposed. The models here are tiny, so a second thread buys nothing,
    /// while on a busy 2-core machine OpenMP's spinning threads make training steps an order of magnitude slower.
    /// </summary>
    public static IDisposable OneThread()
    {
        var previous = get_num_threads();
        set_num_threads(1);
        return new Restore(() => set_num_threads(previous));
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    /// <summary>Asserts two tensors agree within an absolute tolerance.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double atol, string? what = null)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= atol, $"{what ?? "tensor"}: max |difference| {difference} > {atol}");
    }
}
