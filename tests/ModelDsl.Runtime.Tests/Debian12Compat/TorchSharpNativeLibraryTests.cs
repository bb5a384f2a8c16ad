using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using ModelDsl.Build;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Debian12Compat;

/// <summary>
/// TorchSharp's own libLibTorchSharp.so: the copy this project's build put in bin/ is edited exactly when this
/// machine's libstdc++ lacks GLIBCXX_3.4.32, the package's file never is, and the copy is what libtorch runs from.
/// </summary>
public sealed class TorchSharpNativeLibraryTests
{
    private static readonly string OutputCopy = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static readonly string PackageFile = typeof(TorchSharpNativeLibraryTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TorchSharpNativeLibrary").Value!;

    [LinuxFact]
    public void The_package_file_is_never_edited()
    {
        var state = ElfVersionReader.Read(File.ReadAllBytes(PackageFile), GlibcxxCompatElf.Symbol, GlibcxxCompatElf.Version);

        Assert.Equal(new SymbolVersionState(Binding: 1, SymbolVersion: state.VersionIndex, state.VersionIndex, VersionFlags: 0), state);
        Assert.True(state.VersionIndex > 1);
    }

    [LinuxFact]
    public void The_output_copy_is_edited_exactly_when_this_machine_needs_it()
    {
        var package = File.ReadAllBytes(PackageFile);
        var output = File.ReadAllBytes(OutputCopy);
        var state = ElfVersionReader.Read(output, GlibcxxCompatElf.Symbol, GlibcxxCompatElf.Version);

        if (LoadedLibStdCxxLacksTheVersion())
        {
            Assert.Equal(new SymbolVersionState(Binding: 2, SymbolVersion: 1, state.VersionIndex, VersionFlags: 2), state);
            // Exactly the edit of the task's code, and nothing else.
            Assert.Equal(package.Length, output.Length);
            Assert.Equal(3, Enumerable.Range(0, output.Length).Count(i => output[i] != package[i]));
            GlibcxxCompatElf.Apply(package, GlibcxxCompatElf.Inspect(package));
            Assert.Equal(package, output);
        }
        else
        {
            Assert.Equal(package, output);
        }
        Assert.Equal(File.GetLastWriteTimeUtc(PackageFile), File.GetLastWriteTimeUtc(OutputCopy));
    }

    [LinuxFact]
    public void Libtorch_runs_from_the_output_copy()
    {
        using var x = ones(3);
        using var sum = x.sum();

        Assert.Equal(3f, sum.item<float>());
        Assert.Contains(File.ReadLines("/proc/self/maps"), line => line.EndsWith(" " + OutputCopy, StringComparison.Ordinal));
    }

    /// <summary>Whether the libstdc++ this test process runs with (as a TorchSharp application would) lacks GLIBCXX_3.4.32.</summary>
    private static bool LoadedLibStdCxxLacksTheVersion()
    {
        var libstdcxx = File.ReadLines("/proc/self/maps").Select(line => line[(line.IndexOf('/') is var i and >= 0 ? i : line.Length)..])
            .First(path => Path.GetFileName(path).StartsWith("libstdc++.so.6", StringComparison.Ordinal));
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(libstdcxx));
        return !text.Contains("\0GLIBCXX_3.4.32\0", StringComparison.Ordinal);
    }
}
