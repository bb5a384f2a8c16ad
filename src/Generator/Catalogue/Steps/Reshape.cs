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
            return s.Fail(DiagnosticDescriptors.MissingArguments, s.Kind, s.MemberName, "give at least one dimension");

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
        {
            var repair = Repair(have, dims);
            return s.Fail(DiagnosticDescriptors.ReshapeMismatch, repair is { } r ? s.SetArgument(nameof(ReshapeAttribute.Dims), Shapes.Dim.Const(r.Value), r.Index) : null,
                s.MemberName, ShapeText.Format(s.Shape), have, ShapeText.Format(output), want, repair is { } fits ? $"; Reshape({string.Join(", ", dims.Select((d, i) => i == fits.Index ? fits.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.ToString()))}) fits" : "");
        }
        if (ReordersAxes(s.Shape.Skip(1).ToList(), dims))
            s.Report(DiagnosticDescriptors.ReshapeReordersAxes, s.MemberName, ShapeText.Format(s.Shape), ShapeText.Format(output));
        return new Checked(new ReshapeOp(dims.ToEquatableArray()), output);
    }

    // The one dim whose change keeps the element count: a result with equal last two dims (a square map) first, then
    // the smallest relative change, then the earliest dim. Reshape(256, 7, 8) of 12544 becomes (256, 7, 7).
    private static (int Index, long Value)? Repair(Shapes.Dim have, List<Shapes.Dim> dims)
    {
        if (!have.IsConstant || dims.Any(d => !d.IsConstant))
            return null;
        var candidates = new List<(int Index, long Value, bool Square, double Change)>();
        for (var i = 0; i < dims.Count; i++)
        {
            var others = dims.Where((_, j) => j != i).Aggregate(1L, (product, d) => product * d.Value);
            if (others <= 0 || have.Value % others != 0 || have.Value / others <= 0)
                continue;
            var value = have.Value / others;
            var result = dims.Select((d, j) => j == i ? value : d.Value).ToList();
            var square = result.Count >= 2 && result[result.Count - 1] == result[result.Count - 2];
            candidates.Add((i, value, square, System.Math.Abs(System.Math.Log((double)value / dims[i].Value))));
        }

        return candidates.OrderByDescending(c => c.Square).ThenBy(c => c.Change).ThenBy(c => c.Index)
            .Select(c => ((int Index, long Value)?)(c.Index, c.Value)).FirstOrDefault();
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
