using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Parse;

/// <summary>
/// The generator writes the model's one constructor: the implementation of its <c>partial</c> constructor, or a
/// parameterless one. Declarations it cannot implement, or that would clash with it, are reported here.
/// </summary>
internal static class ConstructorRules
{
    public static void Check(INamedTypeSymbol type, ModelSpec model, List<DiagnosticInfo> diagnostics)
    {
        var declared = Declared(type);
        var definitions = declared.Where(c => ModelParser.IsPartialDefinition(c.Syntax)).ToList();

        // Every other constructor of a class with a primary constructor must chain to it, the generated one included.
        if (PrimaryParameters(type) is { } primary)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelClass, LocationInfo.From(primary.GetLocation()), type.Name,
                $"it has a primary constructor; remove the parameter list and declare the hyperparameters in 'public partial {type.Name}(...);'"));

        foreach (var (ctor, _) in declared.Where(c => c.Syntax.Modifiers.Any(SyntaxKind.PartialKeyword) && c.Syntax.Modifiers.Any(SyntaxKind.ExternKeyword)))
            Report(diagnostics, ctor, type, "its partial constructor is 'extern'; declare it without 'extern', the generator implements it");
        foreach (var (ctor, _) in definitions.Skip(1))
            Report(diagnostics, ctor, type, "it declares more than one partial constructor; the hyperparameters go in one");

        var generated = definitions.Select(d => d.Symbol).FirstOrDefault();
        // The implementation repeats the modifiers, so they must form one valid accessibility.
        if (definitions.FirstOrDefault().Syntax is { } definition && !DeclarationRules.IsAccessibility(ModelParser.ModifiersWithoutPartial(definition.Modifiers), allowNew: false))
            Report(diagnostics, generated!, type, $"its partial constructor's modifiers '{ModelParser.ModifiersWithoutPartial(definition.Modifiers)}' are not a single accessibility");
        if (generated?.PartialImplementationPart is not null)
            Report(diagnostics, generated, type, "its partial constructor has a body already; remove it, the generator implements the constructor");

        foreach (var ctor in Clashing(declared, generated))
            Report(diagnostics, ctor, type, $"the generator writes the constructor {type.Name}({string.Join(", ", ctor.Parameters.Select(p => p.Type.ToDisplayString()))}); remove this one (hyperparameters go in a 'public partial {type.Name}(...);' declaration)");

        if (generated is null)
            return;
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var parameter in generated.Parameters)
        {
            var problem = !SyntaxFacts.IsValidIdentifier(parameter.Name) ? $"constructor parameter {parameter.Ordinal + 1} has no valid name"
                : !names.Add(parameter.Name) ? $"constructor parameter '{parameter.Name}' is declared twice"
                : ModelParser.HasModifiers(parameter) ? $"constructor parameter '{parameter.Name}' must be passed by value, without modifiers such as 'ref' or 'params'"
                : parameter.Type.TypeKind == TypeKind.Error ? $"the type of constructor parameter '{parameter.Name}' is unknown"
                : null;
            if (problem is not null)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstructorNotImplementable, LocationInfo.From(parameter.Locations.FirstOrDefault() ?? Location.None) ?? model.Location, type.Name, problem));
        }
    }

    /// <summary>Whether the class declares a constructor of its own taking what the generated one takes.</summary>
    public static bool HasClashingConstructor(INamedTypeSymbol type)
    {
        if (PrimaryParameters(type) is not null)
            return true;
        var declared = Declared(type);
        return Clashing(declared, declared.Where(c => ModelParser.IsPartialDefinition(c.Syntax)).Select(c => c.Symbol).FirstOrDefault()).Any();
    }

    // The parameter list of a primary constructor, if a declaration of the class has one.
    private static ParameterListSyntax? PrimaryParameters(INamedTypeSymbol type)
        => type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().Select(d => d.ParameterList).FirstOrDefault(p => p is not null);

    // The instance constructors declared in source, in source order.
    private static List<(IMethodSymbol Symbol, ConstructorDeclarationSyntax Syntax)> Declared(INamedTypeSymbol type)
        => type.InstanceConstructors
            .SelectMany(c => c.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<ConstructorDeclarationSyntax>().Select(s => (Symbol: c, Syntax: s)))
            .OrderBy(c => c.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal)
            .ThenBy(c => c.Syntax.SpanStart)
            .ToList();

    // Constructors other than the partial one taking its parameter types (none without it): second declarations of
    // the constructor the generator writes.
    private static IEnumerable<IMethodSymbol> Clashing(List<(IMethodSymbol Symbol, ConstructorDeclarationSyntax Syntax)> declared, IMethodSymbol? generated)
    {
        var signature = generated?.Parameters.Select(p => p.Type).ToList() ?? new List<ITypeSymbol>();
        return declared
            .Select(c => c.Symbol)
            .Where(c => !SymbolEqualityComparer.Default.Equals(c, generated) && !(c.PartialDefinitionPart is { } definition && SymbolEqualityComparer.Default.Equals(definition, generated)))
            .Where(c => c.Parameters.Select(p => p.Type).SequenceEqual(signature, SymbolEqualityComparer.Default))
            .Distinct(SymbolEqualityComparer.Default)
            .Cast<IMethodSymbol>();
    }

    private static void Report(List<DiagnosticInfo> diagnostics, IMethodSymbol ctor, INamedTypeSymbol type, string problem)
        => diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstructorNotImplementable, LocationInfo.From(ctor.Locations.FirstOrDefault() ?? Location.None), type.Name, problem));
}
