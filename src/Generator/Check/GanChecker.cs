using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>What checking a pairing gives: its plan (written even with a mismatch, so code using it reports only that) and the diagnostics.</summary>
internal sealed record GanCheckResult(GanPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// Checks that a generator's output shape is its discriminator's input shape, and that a conditional pair takes the
/// same conditions (the arguments after the first, such as class labels). Each model is inferred on its own; the
/// discriminator's symbolic dims (its batch, say) bind to the generator's, everything else must agree.
/// </summary>
internal static class GanChecker
{
    public static GanCheckResult Check(GanParseResult parsed)
    {
        if (parsed.Gan is not { } gan)
            return new GanCheckResult(null, parsed.Diagnostics);

        // Each model reports its own errors at its own declaration; a pairing of a broken model says nothing more.
        var generator = ModelChecker.Check(gan.Generator).Plan;
        var discriminator = ModelChecker.Check(gan.Discriminator).Plan;
        if (generator is null || discriminator is null || generator.ReturnsTuple)
            return new GanCheckResult(null, EquatableArray<DiagnosticInfo>.Empty);

        var produced = generator.Outputs[0].Shape;
        var conditions = generator.Inputs.Skip(1).ToList();
        var plan = new GanPlan(gan.Namespace, gan.Name, gan.GeneratorType, gan.DiscriminatorType, gan.Generator.Name, gan.Discriminator.Name,
            gan.MemberAccessibility, gan.HintName, produced, conditions.Select(c => c.Name).ToEquatableArray());

        var bound = new Dictionary<string, Dim>(System.StringComparer.Ordinal);
        DiagnosticInfo? mismatch = null;
        if (!Fits(produced, discriminator.Inputs[0], bound))
        {
            mismatch = DiagnosticInfo.Create(DiagnosticDescriptors.GanMismatch, gan.Location,
                gan.Generator.Name, ShapeText.Format(produced), gan.Discriminator.Name, ShapeText.Format(discriminator.Inputs[0].Shape));
        }
        else if (conditions.Count != discriminator.Inputs.Count - 1
                 || conditions.Where((c, i) => !Fits(c.Shape, discriminator.Inputs[i + 1], bound)).Any())
        {
            mismatch = DiagnosticInfo.Create(DiagnosticDescriptors.GanConditionMismatch, gan.Location,
                gan.Generator.Name, Describe(conditions), gan.Discriminator.Name, Describe(discriminator.Inputs.Skip(1)));
        }

        return new GanCheckResult(plan, mismatch is null ? EquatableArray<DiagnosticInfo>.Empty : new[] { mismatch }.ToEquatableArray());
    }

    private static string Describe(IEnumerable<InputPlan> inputs)
        => inputs.Any() ? string.Join(", ", inputs.Select(i => $"'{i.Name}' {ShapeText.Format(i.Shape)}")) : "none";

    private static bool Fits(EquatableArray<Dim> produced, InputPlan expected, Dictionary<string, Dim> bound)
    {
        if (produced.Count != expected.Shape.Count)
            return false;
        for (var i = 0; i < produced.Count; i++)
        {
            var symbol = expected.Bindings[i];
            if (symbol.Length > 0)
            {
                if (bound.TryGetValue(symbol, out var earlier) && !earlier.Equals(produced[i]))
                    return false;
                bound[symbol] = produced[i];
                continue;
            }

            var want = expected.Shape[i].Substitute(s => bound.TryGetValue(s, out var d) ? d : null);
            if (!want.Equals(produced[i]) && (want - produced[i]).IsConstant)
                return false;
        }

        return true;
    }
}
