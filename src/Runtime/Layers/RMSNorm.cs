using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// Root-mean-square normalisation over the last dimension (Zhang and Sennrich 2019), as LLaMA uses it:
/// <c>x / sqrt(mean(x²) + eps) · weight</c>, without mean subtraction or bias. Half-precision inputs are normalised in
/// float32 and cast back before the scale, as LLaMA does. State dict: <c>weight</c> (ones at first).
/// </summary>
public sealed class RMSNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    /// <summary>Creates the scale of <paramref name="features"/> ones.</summary>
    public RMSNorm(long features, double eps = 1e-5)
        : base(nameof(RMSNorm))
    {
        // Checked here: ones() would reject a negative size only inside libtorch, without naming the layer.
        if (features <= 0)
            throw new ShapeMismatchException(nameof(RMSNorm), $"features ({features}) must be positive");
        (Features, Eps) = (features, eps);
        weight = new Parameter(ones(features));
        register_parameter(nameof(weight), weight);
    }

    /// <summary>The size of the normalised last dimension.</summary>
    public long Features { get; }

    /// <summary>Added to the mean square for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>The learned scale, for the ONNX export.</summary>
    internal Parameter Weight => weight;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var wide = x.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? x.to(ScalarType.Float32) : x;
        var normalised = wide * rsqrt(wide.square().mean([-1L], keepdim: true) + Eps);
        return scope.MoveToOuter(normalised.to(x.dtype) * weight);
    }
}
