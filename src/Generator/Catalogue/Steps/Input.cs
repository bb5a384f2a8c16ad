using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[Input(tap)]</c>: continues from another value. First in a member's list it makes the member read that tap
/// (and its residual default to it); later, it replaces the value so far.
/// </summary>
internal sealed record InputOp(TapRef From) : Op
{
    public override string Name => "Input";

    public override ValueUse InputUse => ValueUse.NotRead;

    protected override string Apply(ForwardLowering f) => f.Local(From);

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Local(From);

    public static Checked? Check(StepContext s)
        => s.Tap(nameof(InputAttribute.From)) is { } tap ? new Checked(new InputOp(tap.Ref), tap.Shape) : null;
}
