using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check.Rules;

/// <summary>Flatten and Reshape: element counts are preserved, checked symbolically.</summary>
internal static class ReshapeRules
{
    public static StepResult? Flatten(CheckContext context, StepInput input)
    {
        var start = context.ReadInt(input.Step, input.Step.Get("StartDim"), "StartDim", input.MemberName) ?? 1;
        if (start < 0 || start >= input.Rank)
        {
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, "Flatten", input.MemberName, $"StartDim {start} is out of range for {ShapeText.Format(input.Shape)}");
            return null;
        }

        var output = input.Shape.Take((int)start).Append(input.Shape.Product((int)start)).ToEquatableArray();
        return StepResult.Operation(output, "Flatten", OpArg.Code("start", start.ToString(CultureInfo.InvariantCulture)));
    }

    public static StepResult? Reshape(CheckContext context, StepInput input)
    {
        var step = input.Step;
        if (input.Rank < 1)
            return null;
        var raw = step.Positional.Count == 1 && step.Positional[0].Kind == ArgKind.Array ? step.Positional[0].Items : step.Positional;
        if (raw.Count == 0)
        {
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, "Reshape", input.MemberName, "give at least one dimension");
            return null;
        }

        var dims = new List<Dim> { input.Shape[0] };
        foreach (var arg in raw)
        {
            var dim = context.ReadDim(step, arg, "dimension", input.MemberName);
            if (dim is null)
                return null;
            dims.Add(dim);
        }

        var output = dims.ToEquatableArray();
        var have = input.Shape.Product(1);
        var want = output.Product(1);
        if (!context.CheckEqual(have, want, $"Reshape on '{input.MemberName}' must keep {have} elements per sample"))
        {
            context.Report(DiagnosticDescriptors.ReshapeMismatch, input.Location, input.MemberName, ShapeText.Format(input.Shape), have, ShapeText.Format(output), want);
            return null;
        }

        return StepResult.Operation(output, "Reshape", output.Skip(1).Select((d, i) => OpArg.Of("dim" + i.ToString(CultureInfo.InvariantCulture), d)).ToArray());
    }
}
