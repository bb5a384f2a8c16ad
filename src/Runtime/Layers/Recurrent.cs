using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>The calls of TorchSharp's recurrent modules that generated code makes.</summary>
public static class Recurrent
{
    /// <summary>
    /// Runs <paramref name="lstm"/> on <paramref name="input"/> from <paramref name="state"/> (zeros when null) and returns
    /// its output and final state <c>(h, c)</c>, as <c>LSTM.call</c> does.
    /// </summary>
    /// <remarks>
    /// libtorch 2.10 runs a float32 LSTM on the CPU through oneDNN, which picks its inference kernel when gradients are
    /// off and its training kernel when they are on. On CPUs with AVX-512 (seen on an AMD EPYC) the inference kernel
    /// returns wrong values (differences of 0.1 and more), while the training kernel agrees with PyTorch to 1e-7, as
    /// the oneDNN kernels limited to AVX2 do. So with gradients off this turns them on for the call and detaches the
    /// results: evaluation and sampling compute what training computes.
    /// </remarks>
    public static (Tensor Output, Tensor H, Tensor C) Lstm(LSTM lstm, Tensor input, (Tensor, Tensor)? state = null)
    {
        if (is_grad_enabled() || input.device_type != DeviceType.CPU)
            return lstm.call(input, state);

        using var scope = NewDisposeScope();
        using var gradients = enable_grad();
        var (output, h, c) = lstm.call(input, state);
        return (scope.MoveToOuter(output.detach()), scope.MoveToOuter(h.detach()), scope.MoveToOuter(c.detach()));
    }
}
