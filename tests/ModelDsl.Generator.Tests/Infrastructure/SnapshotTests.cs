using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Sdk;

namespace ModelDsl.Generator.Tests.Infrastructure;

/// <summary>Self-tests of <see cref="Snapshot"/>, in a temporary folder, without the project's generator.</summary>
public sealed class SnapshotTests : IDisposable
{
    private const string Class = "Cls";
    private const string Method = "Method";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "modeldsl-snapshot-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private SnapshotSettings Settings(string? accept = null, string? ci = null) => new()
    {
        Directory = _dir,
        GetEnvironmentVariable = name => name switch
        {
            Snapshot.AcceptVariable => accept,
            Snapshot.CiVariable => ci,
            _ => null,
        },
    };

    private string PathOf(string fileName) => Path.Combine(_dir, fileName);

    private Task Verify(string text, SnapshotSettings settings, IEnumerable<Diagnostic>? diagnostics = null, string hintName = "Samples.Mlp.g.cs") =>
        Snapshot.VerifyAsync([(hintName, text)], diagnostics ?? [], Class, Method, settings);

    private void WriteVerified(string fileName, string text)
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(PathOf(fileName), text);
    }

    [Fact]
    public async Task Missing_snapshot_writes_received_and_fails_with_the_content()
    {
        var e = await Assert.ThrowsAsync<XunitException>(() => Verify("class A\n{\n}\n", Settings()));

        Assert.Contains("New snapshot", e.Message, StringComparison.Ordinal);
        Assert.Contains("+class A", e.Message, StringComparison.Ordinal);
        Assert.Contains(Snapshot.AcceptVariable, e.Message, StringComparison.Ordinal);
        Assert.Equal("class A\n{\n}\n", File.ReadAllText(PathOf("Cls.Method#Samples.Mlp.g.received.cs")));
        Assert.False(File.Exists(PathOf("Cls.Method#Samples.Mlp.g.verified.cs")));
    }

    [Fact]
    public async Task Mismatch_writes_received_and_fails_with_a_unified_diff()
    {
        WriteVerified("Cls.Method#Samples.Mlp.g.verified.cs", "line 1\nline 2\nold line\nline 4\n");

        var e = await Assert.ThrowsAsync<XunitException>(() => Verify("line 1\nline 2\nnew line\nline 4\n", Settings()));

        Assert.Contains("Snapshot mismatch", e.Message, StringComparison.Ordinal);
        Assert.Contains("--- Cls.Method#Samples.Mlp.g.verified.cs", e.Message, StringComparison.Ordinal);
        Assert.Contains("+++ Cls.Method#Samples.Mlp.g.received.cs", e.Message, StringComparison.Ordinal);
        Assert.Contains("@@", e.Message, StringComparison.Ordinal);
        Assert.Contains("\n-old line", e.Message, StringComparison.Ordinal);
        Assert.Contains("\n+new line", e.Message, StringComparison.Ordinal);
        Assert.Contains("\n line 2", e.Message, StringComparison.Ordinal); // context line
        Assert.Equal("line 1\nline 2\nnew line\nline 4\n", File.ReadAllText(PathOf("Cls.Method#Samples.Mlp.g.received.cs")));
        Assert.Equal("line 1\nline 2\nold line\nline 4\n", File.ReadAllText(PathOf("Cls.Method#Samples.Mlp.g.verified.cs")));
    }

    [Fact]
    public async Task Match_passes_and_deletes_a_leftover_received_file()
    {
        WriteVerified("Cls.Method#Samples.Mlp.g.verified.cs", "same\n");
        WriteVerified("Cls.Method#Samples.Mlp.g.received.cs", "old attempt\n");

        await Verify("same\n", Settings());

        Assert.False(File.Exists(PathOf("Cls.Method#Samples.Mlp.g.received.cs")));
    }

    [Fact]
    public async Task Accept_variable_writes_verified_deletes_received_and_passes()
    {
        WriteVerified("Cls.Method#Samples.Mlp.g.verified.cs", "old\n");
        WriteVerified("Cls.Method#Samples.Mlp.g.received.cs", "older attempt\n");

        await Verify("new\r\n", Settings(accept: "1"));

        Assert.Equal("new\n", File.ReadAllText(PathOf("Cls.Method#Samples.Mlp.g.verified.cs")));
        Assert.False(File.Exists(PathOf("Cls.Method#Samples.Mlp.g.received.cs")));
        await Verify("new\n", Settings()); // accepted for good
    }

    [Fact]
    public async Task Accept_variable_also_accepts_new_snapshots()
    {
        await Verify("fresh\n", Settings(accept: "true"));

        Assert.Equal("fresh\n", File.ReadAllText(PathOf("Cls.Method#Samples.Mlp.g.verified.cs")));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1")]
    public async Task CI_blocks_acceptance(string ci)
    {
        WriteVerified("Cls.Method#Samples.Mlp.g.verified.cs", "old\n");

        var e = await Assert.ThrowsAsync<XunitException>(() => Verify("new\n", Settings(accept: "1", ci: ci)));

        Assert.Contains("ignored because CI is set", e.Message, StringComparison.Ordinal);
        Assert.Equal("old\n", File.ReadAllText(PathOf("Cls.Method#Samples.Mlp.g.verified.cs")));
        Assert.Equal("new\n", File.ReadAllText(PathOf("Cls.Method#Samples.Mlp.g.received.cs")));
    }

    [Fact]
    public async Task Other_accept_values_do_not_accept()
    {
        await Assert.ThrowsAsync<XunitException>(() => Verify("x\n", Settings(accept: "0")));

        Assert.False(File.Exists(PathOf("Cls.Method#Samples.Mlp.g.verified.cs")));
    }

    [Fact]
    public async Task Verified_files_with_CRLF_or_BOM_still_match()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(PathOf("Cls.Method#Samples.Mlp.g.verified.cs"), "a\r\nb\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        await Verify("a\nb\n", Settings());
    }

    [Fact]
    public async Task Written_files_are_LF_and_UTF8_without_BOM()
    {
        await Verify("// é\r\nx\r\n", Settings(accept: "1"));

        byte[] bytes = File.ReadAllBytes(PathOf("Cls.Method#Samples.Mlp.g.verified.cs"));
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.DoesNotContain((byte)'\r', bytes);
        Assert.Equal("// é\nx\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task Diagnostics_file_only_when_there_are_diagnostics()
    {
        await Verify("x\n", Settings(accept: "1"));
        Assert.False(File.Exists(PathOf("Cls.Method.verified.txt")));

        SyntaxTree tree = GeneratorHarness.Parse("class A\n{\n    int x;\n}\n", "Model.cs");
        var error = Diagnostic.Create(
            new DiagnosticDescriptor("MDL0102", "Shape", "Shape '{0}' is wrong", "ModelDsl", DiagnosticSeverity.Error, true),
            Location.Create(tree, new TextSpan(tree.ToString().IndexOf("int", StringComparison.Ordinal), 3)),
            "Up2");
        var info = Diagnostic.Create(
            new DiagnosticDescriptor("MDL0001", "Info", "Line one\nline two", "ModelDsl", DiagnosticSeverity.Info, true),
            Location.None);

        await Verify("x\n", Settings(accept: "1"), [error, info]);

        Assert.Equal(
            "MDL0001 Info (no location): Line one\\nline two\n" +
            "MDL0102 Error Model.cs(3,5): Shape 'Up2' is wrong\n",
            File.ReadAllText(PathOf("Cls.Method.verified.txt")));
        await Verify("x\n", Settings(), [info, error]); // order does not matter
    }

    [Fact]
    public async Task Stale_verified_file_fails_and_accept_deletes_it()
    {
        WriteVerified("Cls.Method#Samples.Mlp.g.verified.cs", "x\n");
        WriteVerified("Cls.Method#Samples.Gone.g.verified.cs", "gone\n");
        WriteVerified("Cls.Method.verified.txt", "MDL0001 Info (no location): old\n");
        WriteVerified("Cls.MethodTwo#Samples.Other.g.verified.cs", "another test's file\n");

        var e = await Assert.ThrowsAsync<XunitException>(() => Verify("x\n", Settings()));
        Assert.Contains("Stale snapshot", e.Message, StringComparison.Ordinal);
        Assert.Contains("Cls.Method#Samples.Gone.g.verified.cs", e.Message, StringComparison.Ordinal);
        Assert.Contains("Cls.Method.verified.txt", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Cls.MethodTwo", e.Message, StringComparison.Ordinal);

        await Verify("x\n", Settings(accept: "1"));
        Assert.False(File.Exists(PathOf("Cls.Method#Samples.Gone.g.verified.cs")));
        Assert.False(File.Exists(PathOf("Cls.Method.verified.txt")));
        Assert.True(File.Exists(PathOf("Cls.MethodTwo#Samples.Other.g.verified.cs")));
    }

    [Fact]
    public async Task Run_result_names_files_after_class_method_and_hint_name()
    {
        GeneratorRun run = GeneratorHarness.Run(new TestGenerators.Good(), TestGenerators.ModelSource);

        await Snapshot.VerifyAsync(run.RunResult, Class, Method, Settings(accept: "1"));

        string[] files = Directory.GetFiles(_dir).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToArray()!;
        Assert.Equal(["Cls.Method#Samples.Mlp.g.verified.cs", "Cls.Method.verified.txt"], files);
        Assert.Equal(
            "MDL9999 Warning Source0.cs(8,29): Model 'Mlp' seen\n",
            File.ReadAllText(PathOf("Cls.Method.verified.txt")));
        await Snapshot.VerifyAsync(run.RunResult, Class, Method, Settings());
    }

    [Fact]
    public async Task Caller_file_and_member_name_the_snapshot()
    {
        GeneratorRun run = GeneratorHarness.Run(new TestGenerators.Good(), TestGenerators.ModelSource);

        await Snapshot.VerifyAsync(run, Settings(accept: "1"));

        Assert.True(File.Exists(PathOf($"{nameof(SnapshotTests)}.{nameof(Caller_file_and_member_name_the_snapshot)}#Samples.Mlp.g.verified.cs")));
    }

    [Fact]
    public void Default_directory_is_Snapshots_beside_the_test_source()
    {
        string expected = Path.Combine(Path.GetDirectoryName(ThisFile())!, "Snapshots");

        Assert.Equal(expected, Snapshot.DefaultDirectory(ThisFile()));
        Assert.DoesNotContain(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, expected, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Samples.Mlp.g.cs", "Samples.Mlp.g")]
    [InlineData("Samples.Mlp.g", "Samples.Mlp.g")]
    [InlineData("Sub/Name.g.cs", "Sub_Name.g")]
    public void Hint_names_become_file_names(string hintName, string expected) =>
        Assert.Equal(expected, Snapshot.SanitizeHintName(hintName));

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
