using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Catalogue.Layers;

namespace ModelDsl.Generator.Plan;

/// <summary>An operation of a member (its <see cref="Index"/> among the member's operations) that has no ONNX lowering, and why.</summary>
internal sealed record OnnxGap(MemberPlan Member, int Index, Op Op, string Reason);

/// <summary>
/// Whether a checked model can be written as ONNX: every operation of every member must have a lowering where it
/// sits. A model with a gap gets no <c>ExportOnnx</c>, and warning MDL0201 or MDL0202 says why.
/// </summary>
internal static class OnnxGaps
{
    public static List<OnnxGap> Of(ModelPlan plan)
    {
        var runtimeSymbols = new HashSet<string>(plan.Inputs.SelectMany(i => i.Bindings).Where(b => b.Length > 0), StringComparer.Ordinal);
        var gaps = new List<OnnxGap>();
        foreach (var member in plan.Members)
        {
            for (var i = 0; i < member.Ops.Count; i++)
            {
                var input = i == 0 ? member.InputShape : member.Ops[i - 1].Output;
                var op = member.Ops[i].Op;
                if (op.OnnxGap(new OnnxSite(input, runtimeSymbols)) is { } reason)
                    gaps.Add(new OnnxGap(member, i, op, reason));
            }
        }

        return gaps;
    }

    /// <summary>Whether the gap is a nested model's (MDL0202) rather than a step's own (MDL0201).</summary>
    public static bool IsNested(OnnxGap gap) => gap.Op is NestedLayer;
}
