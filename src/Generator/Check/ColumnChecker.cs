using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Catalogue.Steps;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// The layers of a progressive column (Rusu et al. 2016) that take lateral input, with their adapters; layers that
/// cannot take laterals and sit anywhere but between them are refused (MDL0115).
/// </summary>
internal static class ColumnChecker
{
    public static EquatableArray<ColumnLayerPlan>? Check(CheckContext context, List<MemberPlan> members)
    {
        var spec = context.Spec;
        var layers = new List<ColumnLayerPlan>();
        foreach (var member in members)
        {
            var layerOp = member.Ops.ToList().FindIndex(o => o.Op == member.Layer);
            switch (member.Layer.ColumnRole)
            {
                case ColumnRole.Adapted when FlattenedMap(member, layerOp) is { } map:
                    layers.Add(new ColumnLayerPlan(member.Name, layerOp - 1, map, member.Layer.LateralAdapter(map, flattenedMap: true)!));
                    break;
                case ColumnRole.Adapted:
                    var input = InputOf(member, layerOp);
                    layers.Add(new ColumnLayerPlan(member.Name, layerOp, input, member.Layer.LateralAdapter(input, flattenedMap: false)!));
                    break;
                case ColumnRole.PassThrough:
                    break;
                default:
                    var location = spec.Members.First(m => m.Name == member.Name).Location;
                    context.Report(DiagnosticDescriptors.UnsupportedColumnLayer, location, spec.Name, member.Name, member.Layer.Describe);
                    return null;
            }
        }

        if (layers.Count == 0)
        {
            context.Report(DiagnosticDescriptors.ColumnWithoutLayers, spec.Location, spec.Name);
            return null;
        }

        return layers.ToEquatableArray();
    }

    // The value entering a member's operation: the member's input, or what the operation before it produced.
    private static EquatableArray<Dim> InputOf(MemberPlan member, int op) => op <= 0 ? member.InputShape : member.Ops[op - 1].Output;

    // The [B, C, H, W] map a dense layer reads through the Flatten right before it, or null for any other input.
    private static EquatableArray<Dim>? FlattenedMap(MemberPlan member, int layerOp)
        => layerOp > 0 && member.Ops[layerOp - 1].Op is FlattenOp { Start: 1 } && InputOf(member, layerOp - 1) is { Count: 4 } map
            ? map
            : null;
}
