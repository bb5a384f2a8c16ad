using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>What both attention layers read and check: a sequence <c>[B, T, E]</c>, heads dividing E, a dropout rate.</summary>
internal static class AttentionWidth
{
    public static (Dim Embed, Dim Heads, RealArg Dropout)? Read(StepContext s, string heads, string dropout)
    {
        if (!s.RequireRank(3, "[B, T, E] (rank 3)"))
            return null;
        var embed = s.Shape[2];
        var headCount = s.Dim(heads, Dim.Const(1));
        var rate = s.Rate(dropout, 0, display: "dropout");
        if (headCount is null || rate is null || !s.KnownAtConstruction(embed, "embedding width"))
            return null;
        if (!s.Model.CheckMultiple(embed, headCount, $"{s.Kind} '{s.MemberName}': the width ({embed}) must be a multiple of the number of heads ({headCount})"))
        {
            var divisor = embed.IsConstant && headCount.IsConstant ? NearestDivisor(embed.Value, headCount.Value) : (long?)null;
            s.Fail(DiagnosticDescriptors.HeadsMismatch, divisor is { } d ? s.SetArgument(heads, Dim.Const(d)) : null,
                s.Kind, s.MemberName, embed, headCount, divisor is { } fits ? $"; Heads = {fits} divides it" : "");
            return null;
        }

        return (embed, headCount, rate);
    }

    // The divisor of the width nearest the requested heads (the smaller on a tie).
    private static long NearestDivisor(long width, long heads)
    {
        var best = 1L;
        for (var d = 1L; d <= width; d++)
        {
            if (width % d == 0 && System.Math.Abs(d - heads) < System.Math.Abs(best - heads))
                best = d;
        }

        return best;
    }

    /// <summary>Four E×E projections with biases: query, key, value (fused or not) and output.</summary>
    public static Dim Parameters(Dim embed) => embed * embed * Dim.Const(4) + embed * Dim.Const(4);

    /// <summary>The constructor's optional dropout argument.</summary>
    public static string DropoutArgument(string code) => code == "0" ? "" : ", dropout: " + code;
}
