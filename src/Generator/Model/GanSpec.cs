namespace ModelDsl.Generator.Model;

/// <summary>A <c>[Gan(typeof(G), typeof(D))]</c> pairing: the two models as the parser read them.</summary>
/// <param name="MemberAccessibility">The accessibility of the members exposing the two models: no wider than theirs.</param>
internal sealed record GanSpec(
    string Namespace,
    string Name,
    string GeneratorType,
    string DiscriminatorType,
    ModelSpec Generator,
    ModelSpec Discriminator,
    string MemberAccessibility,
    string HintName,
    LocationInfo? Location);

/// <summary>The parser's output for a pairing.</summary>
internal sealed record GanParseResult(GanSpec? Gan, EquatableArray<DiagnosticInfo> Diagnostics);
