using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace ModelDsl.Runtime.Tests.Onnx;

/// <summary>
/// ONNX's own model checker, <c>onnx.checker.check_model(path, full_check=True)</c> (structure, operator schemas and
/// strict shape inference), from Debian's <c>python3-onnx</c> (ONNX 1.12, opsets up to 17) when it is installed.
/// </summary>
internal static class OnnxChecker
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys, onnx
        for path in sys.argv[1:]:
            onnx.checker.check_model(path, full_check=True)
            print("checked", path)
        """;

    /// <summary>Whether Python and its onnx module are installed.</summary>
    public static bool Available { get; } = File.Exists(Python) && Run(new[] { "-c", "import onnx" }).ExitCode == 0;

    /// <summary>Checks every file in one Python process; fails with the checker's message.</summary>
    public static void Check(IReadOnlyList<string> paths)
    {
        var arguments = new List<string> { "-c", Script };
        arguments.AddRange(paths);
        var (exitCode, output) = Run(arguments);
        Assert.True(exitCode == 0, "onnx.checker rejected a model:" + Environment.NewLine + output);
        Assert.Equal(paths.Count, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static (int ExitCode, string Output) Run(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}

/// <summary>A test that needs ONNX's checker: skipped, saying how to install it, where it is missing.</summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute()
    {
        if (!OnnxChecker.Available)
            Skip = "ONNX's checker is not installed: apt-get install python3-onnx";
    }
}
