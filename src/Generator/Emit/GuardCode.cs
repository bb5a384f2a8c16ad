using ModelDsl.Generator.Model;
using System;
using System.Linq;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Emit;

/// <summary>Writes a check the generator could not decide at compile time as an <c>if … throw</c>.</summary>
internal static class GuardCode
{
    public static void Emit(IndentedWriter w, string model, GuardPlan guard, Func<string, string> symbol)
    {
        var left = guard.Left.ToCode(symbol);
        var right = guard.Right.ToCode(symbol);
        var condition = guard.Kind switch
        {
            GuardKind.Equal => $"{left} != {right}",
            GuardKind.Positive => $"{left} <= 0",
            GuardKind.AtMost => $"{left} > {right}",
            _ => $"{left} % {right} != 0",
        };
        var values = guard.Left.Symbols.Concat(guard.Right.Symbols).Distinct().OrderBy(s => s, StringComparer.Ordinal)
            .Select(s => $"{s} = {{{symbol(s)}}}");
        var message = Escape(guard.Message) + " (" + string.Join(", ", values) + ")";
        w.Line($"if ({condition})");
        using (w.Indent())
            w.Line($"throw new {CodeNames.ShapeMismatch}(nameof({model}), $\"{message}\");");
    }

    /// <summary>A real hyperparameter out of its range is an argument error of the constructor.</summary>
    public static void EmitRange(IndentedWriter w, RateGuardPlan rate)
    {
        var name = Naming.Escape(rate.Name);
        var min = rate.Min.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var max = rate.Max.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        w.Line($"if (!({name} >= {min} && {name} <= {max}))");
        using (w.Indent())
            w.Line($"throw new global::System.ArgumentOutOfRangeException(nameof({name}), {name}, \"{Escape(rate.Usage)} must be between {min} and {max}\");");
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("{", "{{").Replace("}", "}}");
}
