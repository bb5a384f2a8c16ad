using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit;

/// <summary>Writes the pairing class: one generator and one discriminator whose shapes were proven to fit.</summary>
internal static class GanEmitter
{
    public static string Emit(GanPlan gan)
    {
        var w = new IndentedWriter().FileHeader(gan.Namespace);

        w.Line($"/// <summary>A {ModelEmitter.Xml(gan.GeneratorName)} and a {ModelEmitter.Xml(gan.DiscriminatorName)} that agree on samples of shape {ModelEmitter.Xml(ShapeText.Format(gan.SampleShape))}.</summary>");
        w.Line(CodeNames.GeneratedCode);
        using (w.Block($"partial class {gan.Name}"))
        {
            w.Line("/// <summary>Pairs the two models.</summary>");
            using (w.Block($"{gan.MemberAccessibility} {gan.Name}({gan.GeneratorType} generator, {gan.DiscriminatorType} discriminator)"))
            {
                w.Line("Generator = generator;");
                w.Line("Discriminator = discriminator;");
            }

            w.Line();
            w.Line("/// <summary>The shape of a generated sample, checked at compile time against the discriminator's input.</summary>");
            w.Line($"public const string SampleShape = \"{ShapeText.Format(gan.SampleShape)}\";");
            w.Line();
            w.Line("/// <summary>Turns noise into samples.</summary>");
            w.Line($"{gan.MemberAccessibility} {gan.GeneratorType} Generator {{ get; }}");
            w.Line();
            w.Line("/// <summary>Scores samples as real (positive logit) or generated.</summary>");
            w.Line($"{gan.MemberAccessibility} {gan.DiscriminatorType} Discriminator {{ get; }}");
        }

        return w.ToString();
    }
}
