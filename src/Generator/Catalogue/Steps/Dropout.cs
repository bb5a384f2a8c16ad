using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary><c>[Dropout(p)]</c>: zeroes elements with probability <see cref="P"/> in training; the identity in evaluation.</summary>
internal sealed record DropoutOp(RealArg P) : Op
{
    public override string Name => "Dropout";

    protected override string Apply(ForwardLowering f) => $"{CodeNames.Functional}.dropout({f.Value}, {f.Code(P)}, this.training)";

    public override string? OnnxGap(OnnxSite site) => null;

    // Evaluation semantics: the identity, no node.
    public override void LowerOnnx(OnnxLowering o)
    {
    }

    public static Checked? Check(StepContext s)
        => s.Model.ReadRate(s.Step, s.Step.Get(nameof(DropoutAttribute.P)), "p", s.MemberName, 0, 1) is { } p ? new Checked(new DropoutOp(p), s.Shape) : null;
}
