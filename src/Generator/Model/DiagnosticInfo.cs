using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelDsl.Generator.Model;

/// <summary>
/// A diagnostic as plain data; descriptors are singletons, so reference equality suffices. A diagnostic whose fix the
/// generator knows carries it in <see cref="Properties"/> (read by the code fix), and the place to edit, when it is not
/// the diagnostic's own, as its first additional location.
/// </summary>
internal sealed record DiagnosticInfo(
    DiagnosticDescriptor Descriptor,
    LocationInfo? Location,
    EquatableArray<string> Arguments,
    EquatableArray<DiagnosticProperty> Properties,
    EquatableArray<LocationInfo> AdditionalLocations)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments)
        => new(descriptor, location, arguments.Select(a => a?.ToString() ?? "").ToEquatableArray(), EquatableArray<DiagnosticProperty>.Empty, EquatableArray<LocationInfo>.Empty);

    /// <summary>The same diagnostic with a fix the code fix applies.</summary>
    public DiagnosticInfo WithFix(Fix fix) => this with
    {
        Properties = fix.Properties.ToEquatableArray(),
        AdditionalLocations = fix.Target is null ? EquatableArray<LocationInfo>.Empty : new[] { fix.Target }.ToEquatableArray(),
    };

    public Diagnostic ToDiagnostic(DiagnosticDescriptor descriptor)
        => Diagnostic.Create(
            descriptor,
            Location?.ToLocation(),
            AdditionalLocations.Select(l => l.ToLocation()),
            Properties.Count == 0 ? null : Properties.ToImmutableDictionary(p => p.Key, p => (string?)p.Value),
            Arguments.Cast<object>().ToArray());
}

/// <summary>One key of a diagnostic's properties.</summary>
internal readonly record struct DiagnosticProperty(string Key, string Value);
