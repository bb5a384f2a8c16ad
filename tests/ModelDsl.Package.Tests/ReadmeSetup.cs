using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ModelDsl.Package.Tests;

/// <summary>
/// The setup that README.md's "Use it in your project" gives, read from the README itself so that the tests run
/// what a user is told to run: the <c>dotnet pack</c> command and the application's <c>nuget.config</c>.
/// </summary>
public sealed partial class ReadmeSetup
{
    private const string Heading = "## Use it in your project";

    /// <summary>The version-suffix expression of the pack command; the tests put in a time stamp of the same form.</summary>
    public const string TimeStampExpression = "$(date -u +%Y%m%d%H%M%S)";

    /// <summary>The format of <see cref="TimeStampExpression"/>'s output, for <see cref="DateTime.ToString(string)"/>.</summary>
    public const string TimeStampFormat = "yyyyMMddHHmmss";

    private ReadmeSetup(string packCommand, string nugetConfig)
    {
        PackCommand = packCommand;
        NuGetConfig = nugetConfig;
    }

    /// <summary>The README's <c>dotnet pack</c> line, as written.</summary>
    public string PackCommand { get; }

    /// <summary>The README's <c>nuget.config</c>, as written.</summary>
    public string NuGetConfig { get; }

    /// <summary>
    /// The folder the pack command writes to, relative to the application's repository: the last part of its
    /// <c>-o</c> path (<c>feed</c> in <c>-o ../myapp/feed</c>).
    /// </summary>
    public string FeedFolderName => Path.GetFileName(OutputArgument(Arguments(PackCommand)));

    /// <summary>The values of the package sources that <see cref="NuGetConfig"/> adds.</summary>
    public IReadOnlyList<string> ConfiguredSources =>
        XDocument.Parse(NuGetConfig).Descendants("packageSources").Elements("add").Select(e => (string)e.Attribute("value")!).ToList();

    /// <summary>Reads the section from the README.md at the repository root.</summary>
    public static ReadmeSetup Read(string repositoryRoot)
    {
        var readme = File.ReadAllText(Path.Combine(repositoryRoot, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(Heading + "\n", StringComparison.Ordinal);
        if (start < 0)
            throw new InvalidOperationException($"README.md has no '{Heading}' section.");
        var end = readme.IndexOf("\n## ", start + Heading.Length, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];

        var blocks = CodeBlock().Matches(section).Select(m => (Language: m.Groups[1].Value, Text: m.Groups[2].Value)).ToList();
        var packLines = blocks.Where(b => b.Language == "bash")
            .SelectMany(b => b.Text.Split('\n'))
            .Where(line => line.StartsWith("dotnet pack ", StringComparison.Ordinal))
            .ToList();
        var configs = blocks.Where(b => b.Language == "xml").Select(b => b.Text).ToList();
        if (packLines.Count != 1 || configs.Count != 1)
            throw new InvalidOperationException($"'{Heading}' should show one dotnet pack line and one nuget.config; it has {packLines.Count} and {configs.Count}.");
        return new ReadmeSetup(packLines[0], configs[0]);
    }

    /// <summary>
    /// The pack command's arguments (after <c>dotnet</c>), with <paramref name="feedFolder"/> for its output folder
    /// and <paramref name="timeStamp"/> for <see cref="TimeStampExpression"/>.
    /// </summary>
    public string[] PackArguments(string feedFolder, string timeStamp)
    {
        var arguments = Arguments(PackCommand.Replace(TimeStampExpression, timeStamp, StringComparison.Ordinal));
        if (arguments.Any(a => a.Contains('$', StringComparison.Ordinal) || a.Contains('`', StringComparison.Ordinal)))
            throw new InvalidOperationException($"The pack command has shell syntax besides {TimeStampExpression}: {PackCommand}");
        OutputArgument(arguments);
        arguments[Array.IndexOf(arguments, "-o") + 1] = feedFolder;
        return arguments;
    }

    private static string[] Arguments(string command)
    {
        // The command line without its comment, split on spaces: the README's command quotes nothing.
        var code = command.Split('#')[0];
        var words = code.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words[1..];
    }

    private static string OutputArgument(string[] arguments)
    {
        var output = Array.IndexOf(arguments, "-o");
        if (output < 0 || output + 1 >= arguments.Length)
            throw new InvalidOperationException("The pack command has no -o folder.");
        return arguments[output + 1];
    }

    [GeneratedRegex(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
