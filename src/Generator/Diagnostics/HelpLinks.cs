using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ModelDsl.Generator.Diagnostics;

/// <summary>
/// Help links point where a project keeps ModelDsl's diagnostics reference: the MSBuild property
/// <c>ModelDslHelpLinkBase</c> (an absolute URL, to which the lower-case ID is appended, e.g.
/// <c>https://example.org/modeldsl/diagnostics#</c>). Without it diagnostics carry no link, never a relative path:
/// their descriptions hold the explanation.
/// </summary>
internal static class HelpLinks
{
    public const string Property = "build_property.ModelDslHelpLinkBase";

    private static readonly ConcurrentDictionary<(string Id, string Base), DiagnosticDescriptor> Linked = new();

    /// <summary>The configured base, or "" when it is unset or not an absolute URL.</summary>
    public static string Base(AnalyzerConfigOptions options)
        => options.TryGetValue(Property, out var value) && Uri.TryCreate(value.Trim(), UriKind.Absolute, out _) ? value.Trim() : "";

    /// <summary>The descriptor with the help link for <paramref name="linkBase"/>, or as it is when there is none.</summary>
    public static DiagnosticDescriptor Apply(DiagnosticDescriptor descriptor, string linkBase)
        => linkBase.Length == 0
            ? descriptor
            : Linked.GetOrAdd((descriptor.Id, linkBase), key => new DiagnosticDescriptor(
                descriptor.Id, descriptor.Title, descriptor.MessageFormat, descriptor.Category, descriptor.DefaultSeverity,
                descriptor.IsEnabledByDefault, descriptor.Description, key.Base + key.Id.ToLowerInvariant()));
}
