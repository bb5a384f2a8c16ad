using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Catalogue.Layers;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// A tied Linear reuses another member's weight: an Embedding's <c>[count, dim]</c> or a Linear's <c>[out, in]</c> must
/// equal this layer's <c>[out, in]</c>. The shared tensor belongs to the member it is tied to and is counted once.
/// </summary>
internal static class TiedWeights
{
    public static bool Check(CheckContext context, List<MemberPlan> members, ref Dim parameterCount)
    {
        foreach (var member in members.Where(m => m.Layer is LinearLayer { TiedTo: not null }).ToList())
        {
            var layer = (LinearLayer)member.Layer;
            var location = context.Spec.Members.First(m => m.Name == member.Name).Location;
            var weight = layer.TiedWeight!.Value;
            var target = members.FirstOrDefault(m => m.Name == layer.TiedTo);
            if (target?.Layer.TiedWeight is not { } targetWeight || target == member)
            {
                context.Report(DiagnosticDescriptors.TiedWeightMismatch, location, member.Name, ShapeText.Format(weight), layer.TiedTo!, "not an Embedding or Linear member");
                return false;
            }

            if (!context.CheckShapesEqual(weight, targetWeight, $"Linear '{member.Name}' shares its weight with '{layer.TiedTo}'"))
            {
                context.Report(DiagnosticDescriptors.TiedWeightMismatch, location, member.Name, ShapeText.Format(weight), layer.TiedTo!, ShapeText.Format(targetWeight));
                return false;
            }

            var shared = weight[0] * weight[1];
            parameterCount -= shared;
            // This member counts only its own bias.
            members[members.IndexOf(member)] = member with { Parameters = member.Parameters - shared };
        }

        return true;
    }
}
