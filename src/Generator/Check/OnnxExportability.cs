using System.Linq;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Check;

/// <summary>
/// What a model used as a layer contributes to its user's ONNX export, read from the model as it is generated on
/// its own: whether it exports (its own <c>LowerOnnx</c> exists only then), and how it reads its arguments.
/// </summary>
internal static class OnnxExportability
{
    public static (string? Gap, EquatableArray<ArgumentUse> InputUses) Of(ModelSpec nested)
    {
        var plan = ModelChecker.Check(nested).Plan;
        if (plan is null)
            return ($"'{nested.Name}' does not build", EquatableArray<ArgumentUse>.Empty);
        if (!nested.ExportsOnnx)
            return ($"'{nested.Name}' is declared [Model(Onnx = false)]", ArgumentUses.Resolved(plan));
        var gap = OnnxGaps.Of(plan).FirstOrDefault();
        // A gap deeper down is passed up as it is: the innermost step is the one to change.
        var reason = gap is null ? null : OnnxGaps.IsNested(gap) ? gap.Reason : $"{gap.Op.Name} on '{gap.Member.Name}': {gap.Reason}";
        return (reason, ArgumentUses.Resolved(plan));
    }
}
