using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary><c>[Softmax]</c> and <c>[LogSoftmax]</c> along <see cref="Dim"/> (as written; default the last).</summary>
internal sealed record SoftmaxOp(bool Log, long Dim) : Op
{
    public override string Name => Log ? "LogSoftmax" : "Softmax";

    protected override string Apply(ForwardLowering f) => $"{CodeNames.Functional}.{(Log ? "log_softmax" : "softmax")}({f.Value}, {CodeText.Int(Dim)})";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call(Log ? "LogSoftmax" : "Softmax", o.Value, CodeText.Int(Dim));

    public static Checked? Check(StepContext s, bool log)
    {
        var dim = s.Int(nameof(SoftmaxAttribute.Dim), -1);
        if (dim is null)
            return null;
        if (dim < -s.Rank || dim >= s.Rank)
            return s.Fail(DiagnosticDescriptors.AxisOutOfRange, s.Kind, s.MemberName, dim, ShapeText.Format(s.Shape), s.Rank);
        return new Checked(new SoftmaxOp(log, dim.Value), s.Shape);
    }
}
