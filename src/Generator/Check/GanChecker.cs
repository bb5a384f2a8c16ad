using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check;

/// <summary>
/// Checks that a generator's output shape is its discriminator's input shape. Each model is inferred on its
/// own; the discriminator's symbolic dims (its batch, say) bind to the generator's, everything else must agree.
/// </summary>
internal static class GanChecker
{
    public static ModelOutput Check(GanParseResult parsed)
    {
        if (parsed.Gan is not { } gan)
            return new ModelOutput(null, parsed.Diagnostics);

        // Each model reports its own errors at its own declaration; a pairing of a broken model says nothing more.
        var generator = ModelChecker.Check(gan.Generator).Plan;
        var discriminator = ModelChecker.Check(gan.Discriminator).Plan;
        if (generator is null || discriminator is null)
            return new ModelOutput(null, EquatableArray<DiagnosticInfo>.Empty);

        var produced = generator.OutputShape;
        var expected = discriminator.Inputs[0];
        if (!Fits(produced, expected))
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.GanMismatch, gan.Location,
                gan.Generator.Name, ShapeText.Format(produced), gan.Discriminator.Name, ShapeText.Format(expected.Shape));
            // The class is still written so that code using it reports nothing but this error.
            return new ModelOutput(new GeneratedSource(gan.HintName, Emit.GanEmitter.Emit(gan, produced)), new[] { diagnostic }.ToEquatableArray());
        }

        return new ModelOutput(new GeneratedSource(gan.HintName, Emit.GanEmitter.Emit(gan, produced)), EquatableArray<DiagnosticInfo>.Empty);
    }

    private static bool Fits(EquatableArray<Dim> produced, InputPlan expected)
    {
        if (produced.Count != expected.Shape.Count)
            return false;
        var bound = new Dictionary<string, Dim>(System.StringComparer.Ordinal);
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
