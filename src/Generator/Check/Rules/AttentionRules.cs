using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check.Rules;

/// <summary>Attention layers and position information for sequences <c>[B, T, E]</c>.</summary>
internal static class AttentionRules
{
    public static StepResult? CausalSelfAttention(CheckContext context, StepInput input)
    {
        var (embed, heads, dropout) = ReadCommon(context, input);
        if (embed is null || heads is null || dropout is null)
            return null;
        var layer = new LayerPlan("CausalSelfAttention", new[] { OpArg.Of("embed", embed), OpArg.Of("heads", heads), dropout }.ToEquatableArray(), null, null);
        return StepResult.Module(input.Shape, layer, Parameters(embed));
    }

    public static StepResult? Attention(CheckContext context, StepInput input, TapTable taps)
    {
        var step = input.Step;
        var (embed, heads, dropout) = ReadCommon(context, input);
        var causal = context.ReadBool(step, step.Get("Causal"), "Causal", input.MemberName) ?? false;
        if (embed is null || heads is null || dropout is null)
            return null;

        var memoryVariable = (string?)null;
        var source = input.Shape[1];
        if (step.Get("Memory") is { Kind: ArgKind.String } memoryName)
        {
            var memory = taps.Require(context, input, memoryName.Text);
            if (memory is null)
                return null;
            var expected = ShapeText.Shape(input.Shape[0], memory.Shape.Count == 3 ? memory.Shape[1] : Dim.Symbol("S"), embed);
            if (memory.Shape.Count != 3 || !context.CheckEqual(memory.Shape[0], input.Shape[0], $"Attention '{input.MemberName}': memory batch")
                || !context.CheckEqual(memory.Shape[2], embed, $"Attention '{input.MemberName}': memory width"))
            {
                context.Report(DiagnosticDescriptors.FeatureMismatch, input.Location, "Attention", input.MemberName, "memory " + ShapeText.Format(expected), ShapeText.Format(memory.Shape));
                return null;
            }

            memoryVariable = memory.Variable;
            source = memory.Shape[1];
        }

        var paddingVariable = "null";
        if (step.Get("KeyPadding") is { Kind: ArgKind.String } paddingName)
        {
            var padding = taps.Require(context, input, paddingName.Text);
            if (padding is null)
                return null;
            var expected = ShapeText.Shape(input.Shape[0], source);
            if (!context.CheckShapesEqual(padding.Shape, expected, $"Attention '{input.MemberName}': key padding mask"))
            {
                context.Report(DiagnosticDescriptors.FeatureMismatch, input.Location, "Attention", input.MemberName, "a key padding mask " + ShapeText.Format(expected), ShapeText.Format(padding.Shape));
                return null;
            }

            paddingVariable = padding.Variable;
        }

        var args = new[] { OpArg.Of("embed", embed), OpArg.Of("heads", heads), dropout, OpArg.Code("causal", causal ? "true" : "false") };
        var layer = new LayerPlan("Attention", args.ToEquatableArray(), null, null);
        var op = new OpPlan("Layer", new[] { OpArg.Code("memory", memoryVariable ?? ""), OpArg.Code("keyPadding", paddingVariable) }.ToEquatableArray(), input.Shape);
        return new StepResult(input.Shape, op, layer, Parameters(embed));
    }

    public static StepResult? PositionalEmbedding(CheckContext context, StepInput input)
    {
        if (!RequireSequence(context, input))
            return null;
        var maxLength = context.ReadDim(input.Step, input.Step.Positional.Count > 0 ? input.Step.Positional[0] : null, "maxLength", input.MemberName);
        var embed = input.Shape[2];
        if (maxLength is null || !KnownWidth(context, input, embed))
            return null;
        if (!context.CheckAtMost(input.Shape[1], maxLength, $"PositionalEmbedding '{input.MemberName}': sequence length {input.Shape[1]} exceeds {maxLength}"))
        {
            context.Report(DiagnosticDescriptors.FeatureMismatch, input.Location, "PositionalEmbedding", input.MemberName, $"at most {maxLength} positions", ShapeText.Format(input.Shape));
            return null;
        }

        var layer = new LayerPlan("Embedding", new[] { OpArg.Of("count", maxLength), OpArg.Of("dim", embed) }.ToEquatableArray(), null, null);
        var op = new OpPlan("PositionalEmbedding", EquatableArray<OpArg>.Empty, input.Shape);
        return new StepResult(input.Shape, op, layer, maxLength * embed);
    }

    public static StepResult? SinusoidalEncoding(CheckContext context, StepInput input)
        => RequireSequence(context, input) ? StepResult.Operation(input.Shape, "SinusoidalEncoding") : null;

    private static (Dim? Embed, Dim? Heads, OpArg? Dropout) ReadCommon(CheckContext context, StepInput input)
    {
        var step = input.Step;
        if (!RequireSequence(context, input))
            return (null, null, null);
        var embed = input.Shape[2];
        var heads = context.ReadDim(step, step.Get("Heads") ?? ArgValue.Of(ArgKind.Int, "1"), "Heads", input.MemberName);
        var dropout = context.ReadRate(step, step.Get("Dropout") ?? ArgValue.Of(ArgKind.Double, "0"), "dropout", input.MemberName, 0, 1);
        if (heads is null || dropout is null || !KnownWidth(context, input, embed))
            return (null, null, null);
        if (!context.CheckMultiple(embed, heads, $"{step.Name} '{input.MemberName}': the width ({embed}) must be a multiple of the number of heads ({heads})"))
        {
            context.Report(DiagnosticDescriptors.HeadsMismatch, input.Location, step.Name, input.MemberName, embed, heads);
            return (null, null, null);
        }

        return (embed, heads, dropout);
    }

    private static bool RequireSequence(CheckContext context, StepInput input)
    {
        if (input.Rank == 3)
            return true;
        context.Report(DiagnosticDescriptors.RankMismatch, input.Location, input.Step.Name, input.MemberName, "[B, T, E] (rank 3)", ShapeText.Format(input.Shape));
        return false;
    }

    private static bool KnownWidth(CheckContext context, StepInput input, Dim embed)
    {
        if (context.IsKnownAtConstruction(embed))
            return true;
        context.Report(DiagnosticDescriptors.SizeNotKnownAtConstruction, input.Location, input.Step.Name, input.MemberName, "embedding width", embed);
        return false;
    }

    // Four E×E projections with biases: query, key, value (fused or not) and output.
    private static Dim Parameters(Dim embed) => embed * embed * Dim.Const(4) + embed * Dim.Const(4);
}
