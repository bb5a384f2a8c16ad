using System.Collections.Generic;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary><c>[Mean(d)]</c>: averages over one dim, which disappears, or stays as 1 with <see cref="KeepDim"/>.</summary>
internal sealed record MeanOp(int Dim, bool KeepDim) : Op
{
    public override string Name => "Mean";

    protected override string Apply(ForwardLowering f) => $"{f.Value}.mean(new long[] {{ {CodeText.Int(Dim)} }}{(KeepDim ? ", keepdim: true" : "")})";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Mean", o.Value, CodeText.Int(Dim), CodeText.Bool(KeepDim));

    public static Checked? Check(StepContext s)
    {
        var dim = s.Axis(nameof(MeanAttribute.Dim), 0, s.Rank);
        var keep = s.Bool(nameof(MeanAttribute.KeepDim), false);
        if (dim is not { } axis || keep is null)
            return null;
        var output = new List<Shapes.Dim>(s.Shape);
        if (keep.Value)
            output[axis] = Shapes.Dim.Const(1);
        else
            output.RemoveAt(axis);
        return new Checked(new MeanOp(axis, keep.Value), output.ToEquatableArray());
    }
}
