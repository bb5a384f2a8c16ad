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
        if (!ModelParser.IsFirstDeclarationWith(type, context.TargetNode, KnownNames.GanAttribute) || !TypeNames.IsWellFormed(type))
            return new GanParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        if (context.TargetNode is ClassDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, LocationInfo.From(declaration.Identifier.GetLocation()), type.Name));
        if (ModelParser.IsModel(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClass, location, type.Name, "a class is either a [Model] or a [Gan] pairing, not both"));
            return new GanParseResult(null, diagnostics.ToEquatableArray());
        }

        if (type.ContainingType is not null || type.IsGenericType || type.IsStatic || type.IsFileLocal)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClass, location, type.Name, "a GAN pairing must be a top-level, non-generic, non-static class that is not file-local"));
        // The generated constructor calls the base class's parameterless one, which a Module does not have.
        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType && context.TargetNode is ClassDeclarationSyntax declared)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClass, LocationInfo.From(declared.Identifier.GetLocation()), type.Name, $"do not declare a base class ('{baseType.Name}') for a GAN pairing"));

        foreach (var name in new[] { "Generator", "Discriminator", "SampleShape" }.Where(n => type.GetMembers(n).Any(m => !m.IsImplicitlyDeclared)))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedName, LocationInfo.From(type.GetMembers(name).First(m => !m.IsImplicitlyDeclared).Locations.FirstOrDefault() ?? Location.None), name, type.Name, "the generator writes a member of this name; rename yours"));

        var generator = ReadModelArgument(attribute, 0);
        var discriminator = ReadModelArgument(attribute, 1);
        if (generator is null || discriminator is null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GanArguments, location, type.Name));
        if (diagnostics.Count > 0)
            return new GanParseResult(null, diagnostics.ToEquatableArray());

        // A model the pairing cannot name reports its own declaration error; the pairing adds nothing.
        var access = new[] { TypeNames.Accessibility(generator!), TypeNames.Accessibility(discriminator!) };
        if (access.Any(a => a is null))
            return new GanParseResult(null, EquatableArray<DiagnosticInfo>.Empty);

        var ignored = new List<DiagnosticInfo>();
        var spec = new GanSpec(
            TypeNames.Namespace(type),
            Naming.Escape(type.Name),
            generator!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            discriminator!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            ModelParser.ReadModel(generator, ignored, nesting: [], cancellationToken),
            ModelParser.ReadModel(discriminator, ignored, nesting: [], cancellationToken),
            access.All(a => a == "public") ? "public" : "internal",
            TypeNames.HintName(type),
            location);
        return new GanParseResult(spec, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static INamedTypeSymbol? ReadModelArgument(AttributeData? attribute, int index)
        => attribute is not null && attribute.ConstructorArguments.Length > index
           && attribute.ConstructorArguments[index].Value is INamedTypeSymbol model && ModelParser.IsModel(model)
            ? model
            : null;
}
