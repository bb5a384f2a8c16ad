using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Progressive;

/// <summary>
/// The non-linear lateral adapter of Rusu et al. (2016), eq. 2: <c>U σ(V α h)</c>, where <c>h</c> concatenates
/// the earlier columns' inputs to layer <c>i</c>, <c>α</c> is a learned scalar initialised small, <c>V</c>
/// projects back to one column's width (a 1×1 convolution for images) and <c>U</c> has the layer's geometry.
/// A dense layer that reads a flattened feature map takes the earlier columns' maps instead: V is then a 1×1
/// convolution and its output is flattened before U, so V holds C² weights per earlier column, not (C·H·W)².
/// </summary>
public sealed class LateralAdapter : nn.Module<Tensor, Tensor>
{
    private readonly Parameter alpha;
    private readonly nn.Module<Tensor, Tensor> v;
    private readonly nn.Module<Tensor, Tensor> u;
    private readonly bool _flatten;

    /// <summary>
    /// Creates an adapter from its two projections; <paramref name="initialAlpha"/> scales the input, and
    /// <paramref name="flatten"/> flattens <c>σ(V α h)</c> from dim 1 before <c>U</c>.
    /// </summary>
    public LateralAdapter(nn.Module<Tensor, Tensor> v, nn.Module<Tensor, Tensor> u, double initialAlpha = 0.01, bool flatten = false)
        : base(nameof(LateralAdapter))
    {
        alpha = new Parameter(tensor(new[] { (float)initialAlpha }));
        this.v = v;
        this.u = u;
        _flatten = flatten;
        register_parameter(nameof(alpha), alpha);
        register_module(nameof(v), v);
        register_module(nameof(u), u);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor previous)
    {
        using var scope = NewDisposeScope();
        var reduced = nn.functional.relu(v.call(previous * alpha));
        var result = u.call(_flatten ? reduced.flatten(1) : reduced);
        return scope.MoveToOuter(result);
    }
}
