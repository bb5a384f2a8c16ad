using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace ModelDsl.Package.Tests;

/// <summary>
/// README's model examples, copied as printed into a fresh console app that references the ModelDsl package: the ones
/// that claim to build do, and the one whose build error README prints fails with exactly that line.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed partial class ReadmeExamplesTests(PackageFeed feed)
{
    [Fact]
    public void Readme_model_examples_build_from_the_package_as_printed()
    {
        feed.AssertPacked();
        var examples = Examples(File.ReadAllText(Path.Combine(DotnetCli.RepositoryRoot(), "README.md")));
        Assert.True(examples.Count >= 2, $"README.md should hold at least two whole model examples, found {examples.Count}");

        for (var i = 0; i < examples.Count; i++)
        {
            var (code, printedError) = examples[i];
            var fileName = Regex.Match(code, @"partial class (\w+)").Groups[1].Value + ".cs";
            var folder = feed.CreateConsumer($"ReadmeExample{i + 1}", "System.Console.WriteLine(\"built\");", "ModelDsl");
            File.WriteAllText(Path.Combine(folder, fileName), code);

            var build = feed.Dotnet(folder, "build");

            if (printedError is null)
                Assert.True(build.ExitCode == 0, $"README example {i + 1} ({fileName}) does not build:\n{build}");
            else
            {
                Assert.NotEqual(0, build.ExitCode);
                Assert.Contains(printedError, build.Output);
            }
        }
    }

    // Each ```csharp block that is a whole file declaring a [Model], with the build error README prints right after
    // it (a plain ``` block holding "error MDL"), if any.
    private static List<(string Code, string? PrintedError)> Examples(string readme)
    {
        var blocks = FencedBlock().Matches(readme).ToList();
        var examples = new List<(string, string?)>();
        for (var i = 0; i < blocks.Count; i++)
        {
            var code = blocks[i].Groups["code"].Value;
            if (blocks[i].Groups["lang"].Value != "csharp" || !code.StartsWith("using ModelDsl;", System.StringComparison.Ordinal) || !code.Contains("[Model]", System.StringComparison.Ordinal))
                continue;
            var next = i + 1 < blocks.Count && blocks[i + 1].Groups["lang"].Value.Length == 0 ? blocks[i + 1].Groups["code"].Value.Trim() : null;
            examples.Add((code, next is not null && next.Contains("error MDL", System.StringComparison.Ordinal) ? next : null));
        }
        return examples;
    }

    [GeneratedRegex(@"^```(?<lang>\w*)\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
