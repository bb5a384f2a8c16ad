using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[Add(tap)]</c> and <c>[Multiply(tap)]</c>: element-wise with another value, broadcast as PyTorch does, the
/// broadcasting decided at compile time (MDL0118 when the shapes cannot meet).
/// </summary>
internal sealed record ArithmeticOp(bool Multiply, TapRef Other) : Op
{
    public override string Name => Multiply ? "Multiply" : "Add";

    public override IEnumerable<TapUse> Reads => [new TapUse(Other, ValueUse.Values)];

    protected override string Apply(ForwardLowering f) => $"{f.Value} {(Multiply ? "*" : "+")} {f.Local(Other)}";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call(Multiply ? "Multiply" : "Add", o.Value, o.Local(Other));

    public static Checked? Check(StepContext s, bool multiply)
    {
        var tap = s.Tap(multiply ? nameof(MultiplyAttribute.Other) : nameof(AddAttribute.Other));
        if (tap is null)
            return null;
        var output = Broadcast.Shape(s.Model, s.Shape, tap.Shape, $"{s.Kind} on '{s.MemberName}' broadcasts {ShapeText.Format(tap.Shape)} from '{tap.Ref.Name}' with {ShapeText.Format(s.Shape)}");
        if (output is null)
            return s.Fail(DiagnosticDescriptors.BroadcastMismatch, s.Kind, s.MemberName, ShapeText.Format(tap.Shape), tap.Ref.Name, ShapeText.Format(s.Shape));
        return new Checked(new ArithmeticOp(multiply, tap.Ref), output.Value);
    }
}
