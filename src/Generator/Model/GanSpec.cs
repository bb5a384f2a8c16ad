namespace ModelDsl.Generator.Model;

/// <summary>A <c>[Gan(typeof(G), typeof(D))]</c> pairing: the two models as the parser read them.</summary>
internal sealed record GanSpec(
    string Namespace,
    string Name,
    string GeneratorType,
    string DiscriminatorType,
    ModelSpec Generator,
    ModelSpec Discriminator,
    LocationInfo? Location)
{
    public string HintName => (Namespace.Length == 0 ? Name : Namespace + "." + Name) + ".g.cs";
}

/// <summary>The parser's output for a pairing.</summary>
internal sealed record GanParseResult(GanSpec? Gan, EquatableArray<DiagnosticInfo> Diagnostics);
