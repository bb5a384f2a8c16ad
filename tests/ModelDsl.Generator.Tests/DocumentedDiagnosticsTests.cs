using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// docs/diagnostics.md tells the truth: every complete example model in it (a <c>csharp</c> block with a
/// <c>[Model]</c> and no elided part) produces, in the generator, exactly the diagnostic its section documents, with the message
/// written under it as <c>// MDLxxxx: message</c>; and every diagnostic the generator defines has a section.
/// </summary>
public sealed class DocumentedDiagnosticsTests
{
    private const string Usings = """
        using ModelDsl;
        using ModelDsl.Layers;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Samples;

        """;

    private static readonly Regex Section = new(@"^## (MDL\d{4})\s*$", RegexOptions.Multiline);
    private static readonly Regex CSharpBlock = new(@"```csharp\n(.*?)```", RegexOptions.Singleline);
    private static readonly Regex Expected = new(@"^// (MDL\d{4}): (.+)$", RegexOptions.Multiline);

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var (id, blocks) in Sections())
        {
            for (var i = 0; i < blocks.Count; i++)
                data.Add(id, i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_produces_the_documented_diagnostic(string id, int index)
    {
        var block = Sections()[id][index];
        var expected = Expected.Matches(block).Select(m => (Id: m.Groups[1].Value, Message: m.Groups[2].Value)).ToList();
        Assert.True(expected.Count == 1 && expected[0].Id == id, $"The example {index} of {id} must end with one '// {id}: message' line.");

        GeneratorRun run = GeneratorHarness.Run(Usings + block);
        run.AssertNoGeneratorFailure();

        var reported = run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("MDL", StringComparison.Ordinal))
            .Select(d => (d.Id, Message: d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.True(reported.Contains(expected[0]),
            $"Expected {expected[0].Id}: {expected[0].Message}{Environment.NewLine}Reported:{Environment.NewLine}"
            + string.Join(Environment.NewLine, reported.Select(r => $"// {r.Id}: {r.Message}")));
    }

    [Fact]
    public void Every_diagnostic_has_a_section_and_every_shape_error_an_example()
    {
        var documented = Sections();
        var ids = DiagnosticTests.Descriptors().Select(d => d.Id).ToList();

        Assert.All(ids, id => Assert.True(documented.ContainsKey(id), $"{id} has no section in docs/diagnostics.md"));
        var withoutExample = ids.Where(id => id.StartsWith("MDL01", StringComparison.Ordinal) && documented[id].Count == 0).ToList();
        Assert.True(withoutExample.Count == 0, "No complete example for " + string.Join(", ", withoutExample));
    }

    // Each section's complete example models, by diagnostic ID.
    private static Dictionary<string, List<string>> Sections()
    {
        var text = File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "docs", "diagnostics.md")).Replace("\r\n", "\n");
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var headings = Section.Matches(text);
        for (var i = 0; i < headings.Count; i++)
        {
            var start = headings[i].Index + headings[i].Length;
            var end = i + 1 < headings.Count ? headings[i + 1].Index : text.Length;
            sections[headings[i].Groups[1].Value] = CSharpBlock.Matches(text[start..end])
                .Select(m => m.Groups[1].Value)
                .Where(code => code.Contains("[Model", StringComparison.Ordinal) && !code.Contains('…', StringComparison.Ordinal))
                .ToList();
        }
        return sections;
    }
}
