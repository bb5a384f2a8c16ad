using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Parse;

/// <summary>Reads a <c>[Gan(typeof(G), typeof(D))]</c> class: both types must be <c>[Model]</c> classes.</summary>
internal static class GanParser
{
    public static GanParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var attribute = context.Attributes.FirstOrDefault();
        var location = LocationInfo.From(attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) ?? LocationInfo.From(context.TargetNode);
        var diagnostics = new List<DiagnosticInfo>();
        if (!ModelParser.IsFirstDeclarationWith(type, context.TargetNode, KnownNames.GanAttribute))
            return new GanParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        if (context.TargetNode is ClassDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, LocationInfo.From(declaration.Identifier.GetLocation()), type.Name));
        if (ModelParser.IsModel(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelDeclaration, location, type.Name, "a class is either a [Model] or a [Gan] pairing, not both"));
            return new GanParseResult(null, diagnostics.ToEquatableArray());
        }

        if (type.ContainingType is not null || type.IsGenericType)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelDeclaration, location, type.Name, "a GAN pairing must be a top-level, non-generic class"));

        var generator = ReadModelArgument(attribute, 0);
        var discriminator = ReadModelArgument(attribute, 1);
        if (generator is null || discriminator is null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedArgument, location, "Gan", type.Name, "both arguments must be typeof(...) of [Model] classes"));
        if (diagnostics.Count > 0)
            return new GanParseResult(null, diagnostics.ToEquatableArray());

        var ignored = new List<DiagnosticInfo>();
        var spec = new GanSpec(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            type.Name,
            generator!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            discriminator!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            ModelParser.ReadModel(generator, ignored, depth: 0, cancellationToken),
            ModelParser.ReadModel(discriminator, ignored, depth: 0, cancellationToken),
            location);
        return new GanParseResult(spec, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static INamedTypeSymbol? ReadModelArgument(AttributeData? attribute, int index)
        => attribute is not null && attribute.ConstructorArguments.Length > index
           && attribute.ConstructorArguments[index].Value is INamedTypeSymbol model && ModelParser.IsModel(model)
            ? model
            : null;
}
