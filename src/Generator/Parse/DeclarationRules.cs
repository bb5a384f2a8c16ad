using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Parse;

/// <summary>
/// Declaration problems that would otherwise surface as compiler errors inside the generated code: names the
/// generated module uses, members declared twice, modifiers the implementation cannot mirror.
/// </summary>
internal static class DeclarationRules
{
    /// <summary>Members the generated module declares besides the layers' properties.</summary>
    private static readonly string[] GeneratedMembers = { "forward", "RegisterComponents", "ParameterCount", "Summary", "LayerCount", "ForwardColumn", "CreateLateralAdapters", "ForwardAt" };

    /// <summary>Members of TorchSharp's Module the generated code calls; a member of the model's own would hide them.</summary>
    private static readonly string[] ModuleMembersUsed = { "training", "register_module" };

    /// <summary>Locals of the generated Forward that an argument or symbolic dim may not shadow (nameof would stop being the operator).</summary>
    private static readonly HashSet<string> ReservedLocals = new(System.StringComparer.Ordinal) { "scope", "block", "layerInputs", "lateral", "training", "nameof", "positionOffset" };

    public static void Check(INamedTypeSymbol type, ModelSpec model, List<DiagnosticInfo> diagnostics)
    {
        foreach (var name in GeneratedMembers.Where(n => type.GetMembers(n).Any(m => !m.IsImplicitlyDeclared)))
        {
            var member = type.GetMembers(name).First(m => !m.IsImplicitlyDeclared);
            Report(diagnostics, DiagnosticDescriptors.ReservedName, member, name, type.Name, "the generator writes a member of this name; rename yours");
        }

        foreach (var name in ModuleMembersUsed.Where(n => type.GetMembers(n).Any(m => !m.IsImplicitlyDeclared)))
        {
            var member = type.GetMembers(name).First(m => !m.IsImplicitlyDeclared);
            Report(diagnostics, DiagnosticDescriptors.ReservedName, member, name, type.Name, "it would hide the member of TorchSharp's Module that the generated code uses; rename yours");
        }

        // A tied weight is tied again after every move or cast by the generated overrides of Module._to.
        var tied = model.Members.Any(m => m.Steps.Any(s => s.Name is "Linear" or "Embedding" && s.Get("TiedTo") is { Kind: ArgKind.String }));
        if (tied && type.GetMembers("_to").FirstOrDefault(m => !m.IsImplicitlyDeclared) is { } hook)
            Report(diagnostics, DiagnosticDescriptors.ReservedName, hook, "_to", type.Name, "the generator overrides it to keep tied weights one tensor after a move or cast; remove yours");

        var layerFields = model.Members.Select(m => Naming.FieldName(m.Name)).ToList();
        foreach (var field in layerFields.Where(f => type.GetMembers(f).Any(m => !m.IsImplicitlyDeclared)))
            Report(diagnostics, DiagnosticDescriptors.ReservedName, type.GetMembers(field).First(), field, type.Name, "the generator writes a field of this name for a layer; rename yours");
        foreach (var group in layerFields.GroupBy(f => f).Where(g => g.Count() > 1))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedName, model.Location, group.Key, type.Name, "two layers map to this field; rename one"));

        foreach (var member in model.Members.Where(m => type.GetMembers(m.Name).Count(s => s is IPropertySymbol) > 1 || type.GetMembers(m.Name).Any(s => s is not IPropertySymbol)).Select(m => m.Name).Distinct())
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateDeclaration, model.Members.First(m => m.Name == member).Location, member, type.Name));

        var forwards = type.GetMembers("Forward").OfType<IMethodSymbol>().Count(m => m.IsPartialDefinition || m.PartialImplementationPart is null && m.PartialDefinitionPart is null);
        if (forwards > 1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateDeclaration, model.Forward?.Location ?? model.Location, "Forward", type.Name));

        if (model.Forward is { } forward)
        {
            if (!HasOneAccessibility(forward.Modifiers))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidModifiers, forward.Location, "Forward", type.Name, forward.Modifiers));
            foreach (var input in forward.Inputs.Where(i => ReservedLocals.Contains(i.Name)))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedName, input.Location, input.Name, type.Name, "the generated Forward declares a local of this name; rename the argument"));
            foreach (var input in forward.Inputs.Where((i, index) => forward.Inputs.Take(index).Any(earlier => earlier.Name == i.Name)))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateDeclaration, input.Location, input.Name, type.Name));
            var names = new HashSet<string>(forward.Inputs.Select(i => i.Name), System.StringComparer.Ordinal);
            foreach (var input in forward.Inputs)
            {
                var symbols = (input.Shape ?? EquatableArray<ArgValue>.Empty).Where(a => a.Kind == ArgKind.String).Select(a => a.Text.Trim());
                foreach (var symbol in symbols.Where(s => names.Contains(s) || ReservedLocals.Contains(s) || SyntaxFacts.GetKeywordKind(s) != SyntaxKind.None))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedName, input.Location, symbol, type.Name, "a symbolic dim named like an argument, a keyword or a local of the generated Forward; rename the dim"));
            }

            // IProgressiveColumn.ForwardColumn passes one tensor through the column.
            if (model.IsProgressiveColumn && forward.Inputs.Count != 1)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ColumnForwardArity, forward.Location, type.Name, forward.Inputs.Count));
        }

        foreach (var member in model.Members)
        {
            if (!IsAccessibility(member.Modifiers))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidModifiers, member.Location, member.Name, type.Name, member.Modifiers));
        }
    }

    /// <summary>Layer properties are 'partial T Name { get; }': exactly one plain get accessor.</summary>
    public static bool HasPlainGetter(PropertyDeclarationSyntax syntax)
        => syntax.AccessorList is { } list
           && list.Accessors.All(a => a.Modifiers.Count == 0 && a.Body is null && a.ExpressionBody is null)
           && list.Accessors.Count(a => a.IsKind(SyntaxKind.GetAccessorDeclaration)) == 1
           && list.Accessors.All(a => a.IsKind(SyntaxKind.GetAccessorDeclaration) || a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration))
           && list.Accessors.Count <= 2;

    // A partial method with a return value needs an explicit accessibility, which the implementation copies.
    private static bool HasOneAccessibility(string modifiers)
        => modifiers.Length > 0 && IsAccessibility(modifiers);

    /// <summary>Whether the modifiers are at most one accessibility (and, for members that may hide, 'new').</summary>
    internal static bool IsAccessibility(string modifiers, bool allowNew = true)
    {
        var words = modifiers.Split(new[] { ' ' }, System.StringSplitOptions.RemoveEmptyEntries);
        var access = words.Where(w => w is "public" or "private" or "protected" or "internal").ToList();
        var valid = access.Count <= 1 || (access.Count == 2 && (access.Contains("protected") && (access.Contains("internal") || access.Contains("private"))));
        return valid && words.All(w => w is "public" or "private" or "protected" or "internal" || (allowNew && w == "new"))
               && words.Distinct().Count() == words.Length;
    }

    private static void Report(List<DiagnosticInfo> diagnostics, DiagnosticDescriptor descriptor, ISymbol member, params object[] arguments)
        => diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(member.Locations.FirstOrDefault() ?? Location.None), arguments));
}
