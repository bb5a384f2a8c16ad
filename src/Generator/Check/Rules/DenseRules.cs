using System.Collections.Generic;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check.Rules;

/// <summary>Linear and Embedding.</summary>
internal static class DenseRules
{
    public static StepResult? Linear(CheckContext context, StepInput input)
    {
        var step = input.Step;
        if (input.Rank < 1)
        {
            context.Report(DiagnosticDescriptors.RankMismatch, input.Location, "Linear", input.MemberName, "a tensor of rank 1 or more", ShapeText.Format(input.Shape));
            return null;
        }

        var explicitIn = step.Positional.Count == 2;
        var outArg = step.Positional.Count > 0 ? step.Positional[step.Positional.Count - 1] : null;
        var outFeatures = context.ReadDim(step, outArg, "outFeatures", input.MemberName);
        var declaredIn = explicitIn ? context.ReadDim(step, step.Positional[0], "inFeatures", input.MemberName) : null;
        var bias = context.ReadBool(step, step.Get("Bias"), "Bias", input.MemberName) ?? true;
        if (outFeatures is null || (explicitIn && declaredIn is null))
            return null;

        var inFeatures = input.Shape[input.Rank - 1];
        if (declaredIn is not null && !context.CheckEqual(inFeatures, declaredIn, $"Linear '{input.MemberName}' expects {declaredIn} input features"))
        {
            var expected = input.Shape.With(input.Rank - 1, declaredIn);
            context.Report(DiagnosticDescriptors.FeatureMismatch, input.Location, "Linear", input.MemberName, ShapeText.Format(expected), ShapeText.Format(input.Shape));
            return null;
        }

        if (!context.IsKnownAtConstruction(inFeatures))
        {
            context.Report(DiagnosticDescriptors.SizeNotKnownAtConstruction, input.Location, "Linear", input.MemberName, "input feature count", inFeatures);
            return null;
        }

        var args = new List<OpArg> { OpArg.Of("in", inFeatures), OpArg.Of("out", outFeatures), OpArg.Code("bias", bias ? "true" : "false") };
        var tiedTo = step.Get("TiedTo");
        if (tiedTo is { Kind: ArgKind.String })
            args.Add(OpArg.Code("tiedTo", tiedTo.Text));
        else if (tiedTo is not null && tiedTo.Kind != ArgKind.Null)
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, "Linear", input.MemberName, "TiedTo must name another member, e.g. nameof(TokenEmbedding)");
        var layer = new LayerPlan("Linear", args.ToEquatableArray(), null, null);
        var parameters = inFeatures * outFeatures + (bias ? outFeatures : Dim.Const(0));
        return StepResult.Module(input.Shape.With(input.Rank - 1, outFeatures), layer, parameters);
    }

    public static StepResult? Embedding(CheckContext context, StepInput input)
    {
        var step = input.Step;
        var count = context.ReadDim(step, step.Positional.Count > 0 ? step.Positional[0] : null, "count", input.MemberName);
        var dim = context.ReadDim(step, step.Positional.Count > 1 ? step.Positional[1] : null, "dim", input.MemberName);
        if (count is null || dim is null)
            return null;

        var scaled = context.ReadBool(step, step.Get("Scaled"), "Scaled", input.MemberName) ?? false;
        var output = new List<Dim>(input.Shape) { dim }.ToEquatableArray();
        var layer = new LayerPlan("Embedding", new[] { OpArg.Of("count", count), OpArg.Of("dim", dim) }.ToEquatableArray(), null, null);
        var op = new OpPlan(scaled ? "ScaledLayer" : "Layer", scaled ? new[] { OpArg.Of("dim", dim) }.ToEquatableArray() : EquatableArray<OpArg>.Empty, output);
        return new StepResult(output, op, layer, count * dim);
    }
}
