using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[RandnLike]</c>: standard normal noise of the value's shape, dtype and device, in training and evaluation alike
/// (the <c>ε</c> of a reparameterisation).
/// </summary>
internal sealed record RandnLikeOp : Op
{
    public override string Name => "RandnLike";

    protected override string Apply(ForwardLowering f) => $"{CodeNames.Torch}.randn_like({f.Value})";

    public override string? OnnxGap(OnnxSite site) => null;

    // RandomNormalLike: fresh noise at every run, not libtorch's numbers.
    protected override string OnnxApply(OnnxLowering o) => o.Call("RandnLike", o.Value);

    public static Checked? Check(StepContext s) => new(new RandnLikeOp(), s.Shape);
}
