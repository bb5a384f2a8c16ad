using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary><c>[Flatten]</c>: every dim from <see cref="Start"/> (default 1, keeping the batch) into one.</summary>
internal sealed record FlattenOp(long Start) : Op
{
    public override string Name => "Flatten";

    protected override string Apply(ForwardLowering f) => $"{f.Value}.flatten({CodeText.Int(Start)})";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Flatten", o.Value, CodeText.Int(Start));

    public static Checked? Check(StepContext s)
    {
        var start = s.Int(nameof(FlattenAttribute.StartDim), 1);
        if (start is null)
            return null;
        if (start < 0 || start >= s.Rank)
            return s.Fail(Diagnostics.DiagnosticDescriptors.AxisOutOfRange, s.Kind, s.MemberName, start, ShapeText.Format(s.Shape), s.Rank);
        var output = s.Shape.Take((int)start.Value).Append(s.Shape.Product((int)start.Value)).ToEquatableArray();
        return new Checked(new FlattenOp(start.Value), output);
    }
}
