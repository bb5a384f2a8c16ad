using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary><c>[Scale(factor)]</c>: multiplies the value by a number or a real hyperparameter.</summary>
internal sealed record ScaleOp(RealArg Factor) : Op
{
    public override string Name => "Scale";

    protected override string Apply(ForwardLowering f) => $"{f.Value} * {f.Code(Factor)}";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Scale", o.Value, o.Code(Factor));

    public static Checked? Check(StepContext s)
    {
        var factor = s.Model.ReadRate(s.Step, s.Step.Get(nameof(ScaleAttribute.Factor)), nameof(ScaleAttribute.Factor), s.MemberName, double.MinValue, double.MaxValue);
        return factor is null ? null : new Checked(new ScaleOp(factor), s.Shape);
    }
}
