using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check.Rules;

/// <summary>BatchNorm1d, BatchNorm2d and LayerNorm: the normalised size is inferred from the input.</summary>
internal static class NormalizationRules
{
    public static StepResult? BatchNorm1d(CheckContext context, StepInput input)
        => BatchNorm(context, input, input.Rank is 2 or 3, "[B, C] or [B, C, L]");

    public static StepResult? BatchNorm2d(CheckContext context, StepInput input)
        => BatchNorm(context, input, input.Rank == 4, "[B, C, H, W] (rank 4)");

    public static StepResult? LayerNorm(CheckContext context, StepInput input)
    {
        var step = input.Step;
        if (input.Rank < 1)
        {
            context.Report(DiagnosticDescriptors.RankMismatch, input.Location, "LayerNorm", input.MemberName, "a tensor of rank 1 or more", ShapeText.Format(input.Shape));
            return null;
        }

        var eps = context.ReadDouble(step, step.Get("Eps"), "Eps", input.MemberName) ?? "1E-05";
        var bias = context.ReadBool(step, step.Get("Bias"), "Bias", input.MemberName) ?? true;
        var features = input.Shape[input.Rank - 1];
        if (!context.IsKnownAtConstruction(features))
        {
            context.Report(DiagnosticDescriptors.SizeNotKnownAtConstruction, input.Location, "LayerNorm", input.MemberName, "normalised size", features);
            return null;
        }

        var layer = new LayerPlan("LayerNorm", new[] { OpArg.Of("features", features), OpArg.Code("eps", eps), OpArg.Code("bias", bias ? "true" : "false") }.ToEquatableArray(), null, null);
        return StepResult.Module(input.Shape, layer, bias ? features * Dim.Const(2) : features);
    }

    private static StepResult? BatchNorm(CheckContext context, StepInput input, bool rankOk, string expected)
    {
        var step = input.Step;
        var kind = step.Name;
        if (!rankOk)
        {
            context.Report(DiagnosticDescriptors.RankMismatch, input.Location, kind, input.MemberName, expected, ShapeText.Format(input.Shape));
            return null;
        }

        var eps = context.ReadDouble(step, step.Get("Eps"), "Eps", input.MemberName) ?? "1E-05";
        var momentum = context.ReadDouble(step, step.Get("Momentum"), "Momentum", input.MemberName) ?? "0.1";
        var features = input.Shape[1];
        if (!context.IsKnownAtConstruction(features))
        {
            context.Report(DiagnosticDescriptors.SizeNotKnownAtConstruction, input.Location, kind, input.MemberName, "channel count", features);
            return null;
        }

        var layer = new LayerPlan(kind, new[] { OpArg.Of("features", features), OpArg.Code("eps", eps), OpArg.Code("momentum", momentum) }.ToEquatableArray(), null, null);
        return StepResult.Module(input.Shape, layer, features * Dim.Const(2));
    }
}
