using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks;
using DiffPlex.Renderer;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>Overrides for <see cref="Snapshot"/>; every member is optional.</summary>
public sealed record SnapshotSettings
{
    /// <summary>Folder of the snapshot files; default: <c>Snapshots/</c> beside the calling test's source file.</summary>
    public string? Directory { get; init; }

    /// <summary>Environment lookup (default <see cref="Environment.GetEnvironmentVariable(string)"/>); tests inject their own.</summary>
    public Func<string, string?>? GetEnvironmentVariable { get; init; }
}

/// <summary>
/// Verify-style snapshot checks of generator output (docs/architecture.md, "Tests"), kept in the repository with no snapshot library.
/// <list type="bullet">
/// <item><c>Snapshots/{Class}.{Method}#{HintName}.verified.cs</c> per generated source (<c>HintName</c> without its <c>.cs</c>).</item>
/// <item><c>Snapshots/{Class}.{Method}.verified.txt</c> with the generator's diagnostics, only when there are any.</item>
/// <item>On a mismatch or a missing file a <c>.received.</c> file is written beside it and the test fails with a unified diff.</item>
/// <item>A <c>.verified.</c> file of the same test with no matching output (stale) fails the test too.</item>
/// <item><c>MODELDSL_ACCEPT_SNAPSHOTS=1</c> (ignored when <c>CI</c> is set) writes <c>.verified.</c> files directly and deletes stale ones.</item>
/// <item>Text is compared and written with LF line ends, UTF-8 without BOM.</item>
/// </list>
/// </summary>
public static class Snapshot
{
    /// <summary>Set to <c>1</c> (or <c>true</c>) to accept received output as verified, unless <see cref="CiVariable"/> is set.</summary>
    public const string AcceptVariable = "MODELDSL_ACCEPT_SNAPSHOTS";

    /// <summary>When set (to anything non-empty), acceptance is refused: CI must never rewrite its own expectations.</summary>
    public const string CiVariable = "CI";

    /// <summary>Folder name of the snapshots, beside the test source file.</summary>
    public const string DirectoryName = "Snapshots";

    private const int MaxDiffLines = 400;
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Verifies a run, named after the calling test file (class) and method.</summary>
    public static Task VerifyAsync(
        GeneratorDriverRunResult result,
        SnapshotSettings? settings = null,
        [CallerFilePath] string callerFilePath = "",
        [CallerMemberName] string callerMemberName = "") =>
        VerifyAsync(result, Path.GetFileNameWithoutExtension(callerFilePath), callerMemberName, settings, callerFilePath);

    /// <summary>Verifies a run under an explicit class and method name (e.g. one name per theory case).</summary>
    public static Task VerifyAsync(
        GeneratorDriverRunResult result,
        string className,
        string methodName,
        SnapshotSettings? settings = null,
        [CallerFilePath] string callerFilePath = "")
    {
        foreach (GeneratorRunResult r in result.Results)
        {
            if (r.Exception is { } e)
            {
                throw new XunitException($"{r.Generator.GetGeneratorType().Name} threw, nothing to snapshot: {e}");
            }
        }

        IEnumerable<(string, string)> sources = result.Results
            .SelectMany(r => r.GeneratedSources)
            .Select(s => (s.HintName, s.SourceText.ToString()));
        return VerifyAsync(sources, result.Diagnostics, className, methodName, settings, callerFilePath);
    }

    /// <summary>Verifies a <see cref="GeneratorRun"/> (its run result), named after the calling test file and method.</summary>
    public static Task VerifyAsync(
        GeneratorRun run,
        SnapshotSettings? settings = null,
        [CallerFilePath] string callerFilePath = "",
        [CallerMemberName] string callerMemberName = "") =>
        VerifyAsync(run.RunResult, Path.GetFileNameWithoutExtension(callerFilePath), callerMemberName, settings, callerFilePath);

    /// <summary>
    /// The core check: <paramref name="sources"/> are (hint name, text) pairs, <paramref name="diagnostics"/> go to
    /// the <c>.verified.txt</c> file when there are any.
    /// </summary>
    public static async Task VerifyAsync(
        IEnumerable<(string HintName, string Text)> sources,
        IEnumerable<Diagnostic> diagnostics,
        string className,
        string methodName,
        SnapshotSettings? settings = null,
        [CallerFilePath] string callerFilePath = "")
    {
        settings ??= new SnapshotSettings();
        string directory = settings.Directory ?? DefaultDirectory(callerFilePath);
        Func<string, string?> env = settings.GetEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        bool acceptRequested = env(AcceptVariable) is { } a && (a == "1" || a.Equals("true", StringComparison.OrdinalIgnoreCase));
        bool onCi = !string.IsNullOrEmpty(env(CiVariable));
        bool accept = acceptRequested && !onCi;
        string prefix = $"{className}.{methodName}";

        // Expected files: file stem (before .verified/.received) -> (extension, normalised text).
        var expected = new SortedDictionary<string, (string Extension, string Text)>(StringComparer.Ordinal);
        foreach ((string hintName, string text) in sources.OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            string stem = $"{prefix}#{SanitizeHintName(hintName)}";
            if (expected.ContainsKey(stem))
            {
                throw new XunitException($"Two generated sources map to the same snapshot '{stem}'.");
            }

            expected[stem] = ("cs", ScrubVersion(Normalize(text)));
        }

        string diagnosticsText = FormatDiagnostics(diagnostics);
        if (diagnosticsText.Length > 0)
        {
            expected[prefix] = ("txt", diagnosticsText);
        }

        Directory.CreateDirectory(directory);
        var failures = new List<string>();

        foreach ((string stem, (string extension, string text)) in expected)
        {
            string verifiedPath = Path.Combine(directory, $"{stem}.verified.{extension}");
            string receivedPath = Path.Combine(directory, $"{stem}.received.{extension}");
            string? verified = File.Exists(verifiedPath) ? Normalize(await File.ReadAllTextAsync(verifiedPath, Encoding.UTF8)) : null;

            if (verified == text)
            {
                DeleteIfExists(receivedPath);
                continue;
            }

            if (accept)
            {
                await File.WriteAllTextAsync(verifiedPath, text, Utf8NoBom);
                DeleteIfExists(receivedPath);
                continue;
            }

            await File.WriteAllTextAsync(receivedPath, text, Utf8NoBom);
            failures.Add(verified is null
                ? $"New snapshot (no {Path.GetFileName(verifiedPath)}); received written to {receivedPath}{Environment.NewLine}{Diff("", text, verifiedPath, receivedPath)}"
                : $"Snapshot mismatch; received written to {receivedPath}{Environment.NewLine}{Diff(verified, text, verifiedPath, receivedPath)}");
        }

        // Stale .verified. files of this test: outputs the generator no longer produces.
        var expectedNames = new HashSet<string>(
            expected.Select(e => $"{e.Key}.verified.{e.Value.Extension}"),
            StringComparer.Ordinal);
        IEnumerable<string> ownFiles = Directory.EnumerateFiles(directory, $"{prefix}#*.verified.cs")
            .Concat(Directory.EnumerateFiles(directory, $"{prefix}.verified.txt"))
            .Where(p => Path.GetFileName(p).StartsWith(prefix, StringComparison.Ordinal)) // the glob is case-insensitive on some file systems
            .OrderBy(p => p, StringComparer.Ordinal);
        foreach (string path in ownFiles)
        {
            string name = Path.GetFileName(path);
            if (expectedNames.Contains(name))
            {
                continue;
            }

            string receivedPath = Path.Combine(directory, name.Replace(".verified.", ".received.", StringComparison.Ordinal));
            DeleteIfExists(receivedPath);
            if (accept)
            {
                File.Delete(path);
            }
            else
            {
                failures.Add($"Stale snapshot: {path} has no matching output (the generator no longer produces it); delete it or accept.");
            }
        }

        if (failures.Count > 0)
        {
            var message = new StringBuilder();
            message.AppendLine($"Snapshot check failed for {prefix} in {directory}:");
            foreach (string failure in failures)
            {
                message.AppendLine().AppendLine(failure);
            }

            message.AppendLine().Append(acceptRequested && onCi
                ? $"{AcceptVariable} is ignored because {CiVariable} is set."
                : $"To accept: rerun with {AcceptVariable}=1 (not on CI), or rename the .received. files to .verified.");
            throw new XunitException(message.ToString());
        }
    }

    /// <summary><c>Snapshots/</c> beside the test source file (the source tree, not <c>bin/</c>).</summary>
    public static string DefaultDirectory(string callerFilePath)
    {
        if (string.IsNullOrEmpty(callerFilePath) || !Path.IsPathRooted(callerFilePath))
        {
            throw new InvalidOperationException($"No usable caller file path ('{callerFilePath}'); pass {nameof(SnapshotSettings)}.{nameof(SnapshotSettings.Directory)}.");
        }

        return Path.Combine(Path.GetDirectoryName(callerFilePath)!, DirectoryName);
    }

    /// <summary>
    /// One line per diagnostic, <c>ID Severity file(line,col): message</c> (1-based, message on one line), sorted
    /// ordinally, each ending in LF; empty when there are none.
    /// </summary>
    public static string FormatDiagnostics(IEnumerable<Diagnostic> diagnostics)
    {
        var lines = diagnostics
            .Select(d =>
            {
                string where = "(no location)";
                if (d.Location != Location.None)
                {
                    FileLinePositionSpan span = d.Location.GetMappedLineSpan();
                    where = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})");
                }

                string message = d.GetMessage(CultureInfo.InvariantCulture)
                    .Replace("\r\n", "\\n", StringComparison.Ordinal)
                    .Replace("\n", "\\n", StringComparison.Ordinal)
                    .Replace("\r", "\\n", StringComparison.Ordinal);
                return $"{d.Id} {d.Severity} {where}: {message}";
            })
            .OrderBy(l => l, StringComparer.Ordinal)
            .ToList();
        return lines.Count == 0 ? "" : string.Join("\n", lines) + "\n";
    }

    /// <summary>LF line ends, no BOM.</summary>
    /// <summary>The generator's version in [GeneratedCode] changes with every release; snapshots show a placeholder.</summary>
    public static string ScrubVersion(string text)
        => System.Text.RegularExpressions.Regex.Replace(text, @"(GeneratedCode\(""ModelDsl\.Generator"", "")[^""]*("")", "$1{version}$2");

    public static string Normalize(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text.Substring(1);
        }

        return text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
    }

    /// <summary>The hint name without a trailing <c>.cs</c>, with characters unsafe in file names replaced by <c>_</c>.</summary>
    public static string SanitizeHintName(string hintName)
    {
        string name = hintName.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) ? hintName[..^3] : hintName;
        var builder = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            builder.Append(c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(c) ? '_' : c);
        }

        return builder.ToString();
    }

    /// <summary>A unified diff of two snapshot texts (DiffPlex), truncated to a readable length.</summary>
    public static string Diff(string verified, string received, string verifiedPath, string receivedPath)
    {
        string diff = UnidiffRenderer.GenerateUnidiff(
            verified,
            received,
            Path.GetFileName(verifiedPath),
            Path.GetFileName(receivedPath),
            ignoreWhitespace: false,
            ignoreCase: false,
            contextLines: 3);
        if (string.IsNullOrWhiteSpace(diff) || !diff.Contains("@@", StringComparison.Ordinal))
        {
            return "(the texts differ only in line ends or a final newline)";
        }

        string[] lines = Normalize(diff).Split('\n');
        return lines.Length <= MaxDiffLines
            ? string.Join("\n", lines)
            : string.Join("\n", lines.Take(MaxDiffLines)) + $"\n… {lines.Length - MaxDiffLines} more diff lines; see the .received. file.";
    }

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
