using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[Residual(From = tap)]</c>: a skip connection, the value plus the tap (by default the member's input); both
/// must have the same shape.
/// </summary>
internal sealed record ResidualOp(TapRef From) : Op
{
    public override string Name => "Residual";

    public override System.Collections.Generic.IEnumerable<TapUse> Reads => [new TapUse(From, ValueUse.Values)];

    protected override string Apply(ForwardLowering f) => $"{f.Value} + {f.Local(From)}";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Add", o.Value, o.Local(From));

    public static Checked? Check(StepContext s)
    {
        var fromMemberInput = !s.Has(nameof(ResidualAttribute.From));
        var tap = fromMemberInput ? s.MemberInput : s.Tap(nameof(ResidualAttribute.From));
        if (tap is null)
            return null;
        var name = fromMemberInput ? "input of " + s.MemberName : tap.Ref.Name;
        if (!s.Model.CheckShapesEqual(s.Shape, tap.Shape, $"Residual on '{s.MemberName}' adds {ShapeText.Format(tap.Shape)} from '{name}' to {ShapeText.Format(s.Shape)}"))
            return s.Fail(DiagnosticDescriptors.ResidualMismatch, s.MemberName, ShapeText.Format(tap.Shape), name, ShapeText.Format(s.Shape));
        return new Checked(new ResidualOp(tap.Ref), s.Shape);
    }
}
