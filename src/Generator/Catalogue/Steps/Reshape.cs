using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[Reshape(dims)]</c>: every dim after the batch to <see cref="Dims"/>, the element count kept. A reshape that
/// only reorders the dims is warned about (MDL0121): it keeps memory order, so it is not a transpose.
/// </summary>
internal sealed record ReshapeOp(EquatableArray<Dim> Dims) : Op
{
    public override string Name => "Reshape";

    protected override string Apply(ForwardLowering f) => $"{f.Value}.reshape(-1, {string.Join(", ", Dims.Select(f.Code))})";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Reshape", o.Value, o.Codes(Dims));

    public static Checked? Check(StepContext s)
    {
        var raw = s.Items(nameof(ReshapeAttribute.Dims));
        if (s.Rank < 1)
            return null;
        if (raw.Count == 0)
            return s.Malformed("give at least one dimension");

        var dims = new List<Dim>();
        foreach (var arg in raw)
        {
            var dim = s.Model.ReadDim(s.Step, arg, "dimension", s.MemberName);
            if (dim is null)
                return null;
            dims.Add(dim);
        }

        var output = new[] { s.Shape[0] }.Concat(dims).ToEquatableArray();
        var have = s.Shape.Product(1);
        var want = output.Product(1);
        if (!s.Model.CheckEqual(have, want, $"Reshape on '{s.MemberName}' must keep {have} elements per sample"))
            return s.Fail(DiagnosticDescriptors.ReshapeMismatch, s.MemberName, ShapeText.Format(s.Shape), have, ShapeText.Format(output), want);
        if (ReordersAxes(s.Shape.Skip(1).ToList(), dims))
            s.Report(DiagnosticDescriptors.ReshapeReordersAxes, s.MemberName, ShapeText.Format(s.Shape), ShapeText.Format(output));
        return new Checked(new ReshapeOp(dims.ToEquatableArray()), output);
    }

    // The same dims in another order, at least two of them distinct and not 1: almost surely meant as a transpose.
    private static bool ReordersAxes(List<Dim> from, List<Dim> to)
    {
        if (from.Count != to.Count || from.SequenceEqual(to))
            return false;
        var remaining = new List<Dim>(from);
        foreach (var dim in to)
        {
            if (!remaining.Remove(dim))
                return false;
        }

        return from.Where(d => !(d.IsConstant && d.Value == 1)).Distinct().Count() >= 2;
    }
}
