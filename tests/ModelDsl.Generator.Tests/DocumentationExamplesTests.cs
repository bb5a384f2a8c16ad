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
/// The models printed in README.md and docs/ build as printed. A C# block that declares a whole <c>[Model]</c> class
/// (no elision, no documented diagnostic) claims to compile: it is compiled with the generator, after the usings every
/// model file starts with unless it prints its own, and must give no diagnostic, or exactly the error the text shows
/// right after it. Fragments (single members, excerpts with "…") and docs/diagnostics.md, whose examples are
/// compiled by <see cref="DocumentedDiagnosticsTests"/>, are not programs.
/// </summary>
public sealed class DocumentationExamplesTests
{
    private static readonly Regex CSharpBlock = new(@"```csharp\n(.*?)```", RegexOptions.Singleline);
    private static readonly Regex PlainBlock = new(@"\G(?:(?!```).)*?```\n(?<output>.*?)```", RegexOptions.Singleline);
    private static readonly Regex ReportedError = new(@"\((?<line>\d+),(?<column>\d+)\): error (?<id>MDL\d{4}): (?<message>.+)");

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, blocks) in Blocks())
        {
            for (var i = 0; i < blocks.Count; i++)
                data.Add(file, i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Printed_model_builds_as_printed(string file, int index)
    {
        var (code, expectedError) = Blocks()[file][index];
        var source = code.TrimStart().StartsWith("using ", StringComparison.Ordinal) ? code : TestModels.Usings + code;

        GeneratorRun run = GeneratorHarness.Run(source);
        run.AssertNoGeneratorFailure();

        var reported = run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("MDL", StringComparison.Ordinal)).ToList();
        if (expectedError is not { } error)
        {
            Assert.True(reported.Count == 0, $"{file}: " + string.Join("; ", reported.Select(GeneratorRun.Describe)));
            run.AssertSuccess();
            return;
        }

        // The text shows the build's error line: the same ID, message and position.
        var d = Assert.Single(reported);
        var position = d.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((error.Id, error.Message, error.Line, error.Column), (d.Id, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), position.Line + 1, position.Character + 1));
    }

    [Fact]
    public void README_and_docs_print_models_that_are_compiled()
    {
        var counts = Blocks().ToDictionary(b => b.Key, b => b.Value.Count);
        Assert.True(counts.GetValueOrDefault("README.md") >= 2, "README's two models");
        Assert.True(counts.Values.Sum() >= 6, "models in docs/: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
    }

    // Whole-model blocks by file, each with the error line the text prints right after it, if any.
    private static Dictionary<string, List<(string Code, (string Id, string Message, int Line, int Column)? Error)>> Blocks()
    {
        var root = DiagnosticTests.RepositoryRoot();
        var files = new[] { "README.md" }.Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Select(p => "docs/" + Path.GetFileName(p)))
            .Where(f => f != "docs/diagnostics.md")
            .Order(StringComparer.Ordinal);
        var blocks = new Dictionary<string, List<(string, (string, string, int, int)?)>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var text = File.ReadAllText(Path.Combine(root, file)).Replace("\r\n", "\n", StringComparison.Ordinal);
            foreach (Match match in CSharpBlock.Matches(text))
            {
                var code = match.Groups[1].Value;
                if (!code.Contains("[Model", StringComparison.Ordinal) || !code.Contains("partial class", StringComparison.Ordinal)
                    || code.Contains('…') || code.Contains("...", StringComparison.Ordinal) || code.Contains("// MDL", StringComparison.Ordinal))
                    continue;
                // The build's output, when the text prints it: the next block, a plain one, before any other code.
                var next = PlainBlock.Match(text, match.Index + match.Length);
                var output = next.Success ? ReportedError.Match(next.Groups["output"].Value) : Match.Empty;
                (string, string, int, int)? error = output.Success
                    ? (output.Groups["id"].Value, output.Groups["message"].Value.Trim(), int.Parse(output.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(output.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture))
                    : null;
                (blocks.TryGetValue(file, out var list) ? list : blocks[file] = new()).Add((code, error));
            }
        }

        return blocks;
    }
}
