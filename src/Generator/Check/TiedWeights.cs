using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// A tied layer (<c>TiedTo</c>) holds one weight with another member: an Embedding's <c>[count, dim]</c> or a Linear's
/// <c>[out, in]</c> must equal the other's. The shared tensor is counted once; when a <c>bool</c> hyperparameter decides
/// the tie (<c>TiedWhen</c>), the saving is the model's <see cref="ConditionalTie"/> instead.
/// </summary>
internal static class TiedWeights
{
    public static bool Check(CheckContext context, List<MemberPlan> members, ref Dim parameterCount, List<ConditionalTie> conditional)
    {
        foreach (var member in members.Where(m => m.Layer.TieTarget is not null).ToList())
        {
            var layer = member.Layer;
            var location = context.Spec.Members.First(m => m.Name == member.Name).Location;
            var weight = layer.TiedWeight!.Value;
            var target = members.FirstOrDefault(m => m.Name == layer.TieTarget);
            if (target?.Layer.TiedWeight is not { } targetWeight || target == member)
            {
                context.Report(DiagnosticDescriptors.TiedWeightMismatch, location, Kind(layer), member.Name, ShapeText.Format(weight), layer.TieTarget!, "not an Embedding or Linear member");
                return false;
            }

            if (target.Layer.TieTarget is { } further)
            {
                context.Report(DiagnosticDescriptors.TiedWeightMismatch, location, Kind(layer), member.Name, ShapeText.Format(weight), layer.TieTarget!, $"itself tied to '{further}'; tie to '{further}' directly");
                return false;
            }

            if (!context.CheckShapesEqual(weight, targetWeight, $"'{member.Name}' shares its weight with '{layer.TieTarget}'"))
            {
                context.Report(DiagnosticDescriptors.TiedWeightMismatch, location, Kind(layer), member.Name, ShapeText.Format(weight), layer.TieTarget!, ShapeText.Format(targetWeight));
                return false;
            }

            var shared = weight[0] * weight[1];
            if (layer.TieCondition is { } condition)
            {
                conditional.Add(new ConditionalTie(condition, shared));
                continue;
            }

            parameterCount -= shared;
            // This member counts only what is its own (a Linear's bias).
            members[members.IndexOf(member)] = member with { Parameters = member.Parameters - shared };
        }

        return true;
    }

    private static string Kind(Layer layer) => layer is Catalogue.Layers.EmbeddingLayer ? "Embedding" : "Linear";
}
