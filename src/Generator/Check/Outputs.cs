using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// What Forward returns: the last member's value for a single <c>Tensor</c>, or for a tuple the taps its elements
/// name, each checked against its <c>[return: Shape]</c>. A declared shape is the contract (and reads better than
/// floor-division forms): it is proven or guarded equal, and it is the shape the plan keeps.
/// </summary>
internal static class Outputs
{
    public static EquatableArray<OutputPlan>? Check(CheckContext context, ForwardSpec forward, TapTable taps, Tap? last, List<MemberPlan> members)
    {
        var outputs = new List<OutputPlan>();
        foreach (var output in forward.Outputs)
        {
            // An unnamed element is the parser's error (MDL0010); a [Gan] checks its models whatever their declarations.
            if (forward.ReturnsTuple && output.Name is null)
                return null;
            var tap = forward.ReturnsTuple ? Find(context, output, taps) : last;
            if (tap is null)
            {
                if (!forward.ReturnsTuple)
                {
                    var split = members[members.Count - 1];
                    context.Report(DiagnosticDescriptors.SplitHasNoValue, output.Location, split.Name, "its parts");
                }

                return null;
            }

            var shape = tap.Shape;
            if (output.Shape is { } declaredArgs)
            {
                var declared = ModelChecker.ReadDeclaredShape(context, declaredArgs, output.Location, "return value", bindNew: false, actual: null, out _);
                if (declared is null)
                    return null;
                if (!context.CheckShapesEqual(shape, declared.Value, $"Forward produces {ShapeText.Format(shape)} but declares it returns {ShapeText.Format(declared.Value)}"))
                {
                    var repair = members.FirstOrDefault(m => m.Name == tap.Producer) is { } member ? PaddingRepair.For(context, member, declared.Value) : null;
                    context.Report(DiagnosticDescriptors.ReturnShapeMismatch, output.Location, repair?.Fix, tap.ProducerKind, tap.Producer, ShapeText.Format(shape), ShapeText.Format(declared.Value), repair?.Hint ?? "");
                    return null;
                }

                shape = declared.Value;
            }

            outputs.Add(new OutputPlan(output.Name, tap.Ref, shape));
        }

        return outputs.ToEquatableArray();
    }

    // A tuple element is named in C# style (Mu), a split part often not (mu): the name, else the one tap that differs
    // from it only in case.
    private static Tap? Find(CheckContext context, OutputSpec output, TapTable taps)
    {
        var tap = taps.Find(output.Name!) ?? taps.FindIgnoringCase(output.Name!);
        if (tap is null)
            context.Report(DiagnosticDescriptors.UnknownOutput, output.Location, context.Spec.Name, output.Name!, taps.Known);
        else if (tap.Parts is { } parts)
            context.Report(DiagnosticDescriptors.SplitHasNoValue, output.Location, output.Name!, string.Join(", ", parts));
        return tap is { Parts: null } ? tap : null;
    }
}
