using ModelDsl.Generator.Model;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Plan;

/// <summary>
/// A checked <c>[Gan]</c> pairing: the generator's sample shape fits the discriminator's input, and the conditions
/// (their further arguments, such as class labels) agree.
/// </summary>
internal sealed record GanPlan(
    string Namespace,
    string Name,
    string GeneratorType,
    string DiscriminatorType,
    string GeneratorName,
    string DiscriminatorName,
    string MemberAccessibility,
    string HintName,
    EquatableArray<Dim> SampleShape,
    EquatableArray<string> Conditions);
