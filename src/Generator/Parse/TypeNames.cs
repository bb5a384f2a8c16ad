using ModelDsl.Generator.Model;
using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelDsl.Generator.Parse;

/// <summary>How a declared type is named in generated code and in the generated file's name.</summary>
internal static class TypeNames
{
    /// <summary>
    /// Whether the type, its containing types and namespaces all have names. A declaration cut short by a syntax
    /// error (<c>class { … }</c>, <c>namespace Samples.;</c>) has none; the compiler reports it, and nothing
    /// sensible can be generated for it.
    /// </summary>
    public static bool IsWellFormed(INamedTypeSymbol type)
    {
        for (ISymbol? symbol = type; symbol is not null and not INamespaceSymbol { IsGlobalNamespace: true }; symbol = symbol.ContainingSymbol)
        {
            if (!SyntaxFacts.IsValidIdentifier(symbol.Name))
                return false;
        }

        return true;
    }

    /// <summary>
    /// The widest accessibility a member exposing the type may have, "public" or "internal"; null when code in
    /// other files cannot name it at all (file-local, private or protected, or cut short by a syntax error).
    /// </summary>
    public static string? Accessibility(INamedTypeSymbol type)
    {
        if (!IsWellFormed(type))
            return null;
        var result = "public";
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.IsFileLocal || t.DeclaredAccessibility is Microsoft.CodeAnalysis.Accessibility.Private or Microsoft.CodeAnalysis.Accessibility.Protected or Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal)
                return null;
            if (t.DeclaredAccessibility != Microsoft.CodeAnalysis.Accessibility.Public)
                result = "internal";
        }

        return result;
    }

    /// <summary>The namespace as generated code declares it, keywords escaped (<c>@class.Models</c>); "" for the global one.</summary>
    public static string Namespace(INamedTypeSymbol type)
        => string.Join(".", Parts(type.ContainingNamespace).Select(Naming.Escape));

    /// <summary>
    /// The generated file's name: the type's metadata name (<c>Samples.Mlp.g.cs</c>, <c>Samples.Outer+Mlp.g.cs</c>,
    /// <c>Samples.Mlp`1.g.cs</c>), so that distinct types never share one. Roslyn compares hint names ignoring case, so
    /// a type whose name differs from a neighbour's only in case also gets a suffix computed from its exact name.
    /// </summary>
    public static string HintName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            name = outer.MetadataName + "+" + name;
        var ns = string.Join(".", Parts(type.ContainingNamespace));
        var stem = Sanitize(ns.Length == 0 ? name : ns + "." + name);
        return (HasCaseTwin(type) ? stem + "-" + Fnv1a(stem) : stem) + ".g.cs";
    }

    private static string[] Parts(INamespaceSymbol ns)
        => ns.IsGlobalNamespace ? Array.Empty<string>() : Parts(ns.ContainingNamespace).Concat(new[] { ns.Name }).ToArray();

    // Whether the type or one of its containers has a sibling whose name differs from its own only in case.
    private static bool HasCaseTwin(INamedTypeSymbol type)
    {
        for (ISymbol? symbol = type; symbol is not null and not INamespaceSymbol { IsGlobalNamespace: true }; symbol = symbol.ContainingSymbol)
        {
            var siblings = symbol.ContainingSymbol switch
            {
                INamedTypeSymbol outer => outer.GetTypeMembers().Cast<INamespaceOrTypeSymbol>(),
                INamespaceSymbol ns => ns.GetMembers(),
                _ => Enumerable.Empty<INamespaceOrTypeSymbol>(),
            };
            var own = symbol.MetadataName;
            if (siblings.Any(s => string.Equals(s.MetadataName, own, StringComparison.OrdinalIgnoreCase) && !string.Equals(s.MetadataName, own, StringComparison.Ordinal)))
                return true;
        }

        return false;
    }

    // Hint names allow identifier characters and a few punctuation marks; anything else becomes '_'.
    private static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
            text.Append(SyntaxFacts.IsIdentifierPartCharacter(c) || c is '.' or '+' or '`' or '-' or '_' ? c : '_');
        return text.ToString();
    }

    // A stable (process-independent) hash, unlike string.GetHashCode.
    private static string Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
            hash = unchecked((hash ^ c) * 16777619u);
        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }
}
