using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
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

    /// <summary>
    /// Reads <c>Rotary</c> and <c>RotaryBase</c>: the base when rotary embedding is on, null when it is off; false
    /// after reporting an odd head size (MDL0129) or a base that is not above 1.
    /// </summary>
    public static bool ReadRotary(StepContext s, Dim embed, Dim heads, string rotary, string rotaryBase, out double? theta)
    {
        theta = null;
        var on = s.Bool(rotary, false);
        var value = s.Real(rotaryBase, DefaultRotaryBase);
        if (on is null || value is null)
            return false;
        if (!on.Value)
            return true;
        if (!(value.Value > 1))
        {
            s.Report(DiagnosticDescriptors.RealOutOfRange, s.Kind, s.MemberName, $"{rotaryBase} must exceed 1, not {CodeText.Real(value.Value)}");
            return false;
        }

        // E = heads · headSize, so an even head size is E a multiple of 2 · heads.
        if (!s.Model.CheckMultiple(embed, heads * Dim.Const(2), $"{s.Kind} '{s.MemberName}': rotary embedding needs an even head size ({embed} / {heads})"))
        {
            s.Report(DiagnosticDescriptors.RotaryOddHeadSize, s.Kind, s.MemberName, heads, embed, embed.IsConstant && heads.IsConstant ? CodeText.Int(embed.Value / heads.Value) : $"{embed} / {heads}");
            return false;
        }

        theta = value.Value;
        return true;
    }

    /// <summary>Four E×E projections, with biases or not: query, key, value (fused or not) and output.</summary>
    public static Dim Parameters(Dim embed, bool bias = true) => embed * embed * Dim.Const(4) + (bias ? embed * Dim.Const(4) : Dim.Const(0));

    /// <summary>The constructor's optional dropout argument.</summary>
    public static string DropoutArgument(string code) => code == "0" ? "" : ", dropout: " + code;

    /// <summary>The constructor's optional rotary arguments.</summary>
    public static string RotaryArguments(double? theta)
        => theta is not { } value ? "" : ", rotary: true" + (value == DefaultRotaryBase ? "" : ", rotaryBase: " + CodeText.Real(value));

    private const double DefaultRotaryBase = 10000;
}
