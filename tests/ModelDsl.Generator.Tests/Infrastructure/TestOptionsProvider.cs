using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>Analyzer options as MSBuild hands them to a generator: global <c>build_property.*</c> values.</summary>
internal sealed class TestOptionsProvider((string Key, string Value)[] globals) : AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(globals.ToDictionary(g => g.Key, g => g.Value, StringComparer.Ordinal));

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(new Dictionary<string, string>(StringComparer.Ordinal));

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
