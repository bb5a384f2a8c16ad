using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Progressive;

/// <summary>
/// The non-linear lateral adapter of Rusu et al. (2016), eq. 2: <c>U σ(V α h)</c>, where <c>h</c> concatenates
/// the earlier columns' inputs to layer <c>i</c>, <c>α</c> is a learned scalar initialised small, <c>V</c>
/// projects back to one column's width (a 1×1 convolution for images) and <c>U</c> has the layer's geometry.
/// </summary>
public sealed class LateralAdapter : nn.Module<Tensor, Tensor>
{
    private readonly Parameter alpha;
    private readonly nn.Module<Tensor, Tensor> v;
    private readonly nn.Module<Tensor, Tensor> u;

    /// <summary>Creates an adapter from its two projections; <paramref name="initialAlpha"/> scales the input.</summary>
    public LateralAdapter(nn.Module<Tensor, Tensor> v, nn.Module<Tensor, Tensor> u, double initialAlpha = 0.01)
        : base(nameof(LateralAdapter))
    {
        alpha = new Parameter(tensor(new[] { (float)initialAlpha }));
        this.v = v;
        this.u = u;
        register_parameter(nameof(alpha), alpha);
        register_module(nameof(v), v);
        register_module(nameof(u), u);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor previous)
    {
        using var scope = NewDisposeScope();
        var result = u.call(nn.functional.relu(v.call(previous * alpha)));
        return scope.MoveToOuter(result);
    }
}
