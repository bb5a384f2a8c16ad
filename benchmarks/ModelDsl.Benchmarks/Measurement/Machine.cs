using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.Measurement;

/// <summary>The machine and runtime the numbers were measured on.</summary>
internal static class Machine
{
    /// <summary>The torch intra-op thread count every benchmark uses by default: the cores of the reference machine.</summary>
    public const int DefaultTorchThreads = 2;

    /// <summary>The intra-op thread count in use (<c>--threads N</c> overrides <see cref="DefaultTorchThreads"/>).</summary>
    public static int TorchThreads { get; private set; } = DefaultTorchThreads;

    /// <summary>Sets libtorch's intra-op threads to <paramref name="threads"/>; returns the count before and after.</summary>
    public static (int Before, int After) ConfigureTorch(int? threads = null)
    {
        TorchThreads = threads ?? TorchThreads;
        var before = get_num_threads();
        set_num_threads(TorchThreads);
        return (before, get_num_threads());
    }

    /// <summary>The machine's load average over the last minute, from <c>/proc/loadavg</c> (a busy shared machine skews absolute times).</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    public static string TorchSharpVersion() =>
        typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?";

    public static bool IsOptimized() =>
        typeof(Machine).Assembly.GetCustomAttribute<System.Diagnostics.DebuggableAttribute>()?.IsJITOptimizerDisabled != true;

    public static string Describe()
    {
        return string.Join("\n", [
            $"- CPU: {CpuModel()}; nproc {Environment.ProcessorCount}",
            $"- torch threads: {get_num_threads()} (torch.set_num_threads({TorchThreads})); load average at start {LoadAverage():F1}",
            $"- TorchSharp {TorchSharpVersion()} (TorchSharp-cpu, libtorch {__version__}), {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}",
            $"- build: {(IsOptimized() ? "Release (optimised)" : "DEBUG — numbers are not representative")}",
        ]);
    }
}
