using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary><c>[Permute(order)]</c>: reorders every dim; <see cref="Order"/> names each input dim exactly once.</summary>
internal sealed record PermuteOp(EquatableArray<int> Order) : Op
{
    public override string Name => "Permute";

    protected override string Apply(ForwardLowering f) => $"{f.Value}.permute({string.Join(", ", Order.Select(o => CodeText.Int(o)))})";

    public override string? OnnxGap(OnnxSite site) => null;

    protected override string OnnxApply(OnnxLowering o) => o.Call("Permute", new[] { o.Value }.Concat(Order.Select(i => CodeText.Int(i))).ToArray());

    public static Checked? Check(StepContext s)
    {
        var items = s.Items(nameof(PermuteAttribute.Order));
        var order = items.Select(i => i.Kind == ArgKind.Int && long.TryParse(i.Text, out var v) ? v : (long?)null).ToList();
        var normalised = order.Select(o => o is { } v && v >= -s.Rank && v < s.Rank ? (int)(v < 0 ? v + s.Rank : v) : -1).ToList();
        if (order.Count != s.Rank || normalised.Contains(-1) || normalised.Distinct().Count() != s.Rank)
            return s.Fail(DiagnosticDescriptors.NotAPermutation, s.MemberName, string.Join(", ", items), s.Rank, ShapeText.Format(s.Shape));
        var output = normalised.Select(i => s.Shape[i]).ToEquatableArray();
        return new Checked(new PermuteOp(normalised.ToEquatableArray()), output);
    }
}
