using System;
using System.Runtime.InteropServices;

namespace ModelDsl.Samples;

/// <summary>The entry point of <c>dotnet run --project samples/ModelDsl.Samples -- &lt;command&gt;</c>.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        PreferPassiveOpenMpWaiting();
        return SamplesApp.Run(args);
    }

    /// <summary>
    /// libtorch's OpenMP threads spin while they wait for work. On a machine whose cores are busy with other
    /// processes that spinning steals the time the other threads need: measured here, 2 threads on 2 loaded cores
    /// ran a GPT step 10× slower than 1 thread, and as fast as 1 thread or better with <c>OMP_WAIT_POLICY=passive</c>.
    /// So unless the user chose a policy, the app sets passive waiting before libtorch (and libgomp) load; libgomp
    /// reads the native environment, which <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change on Unix.
    /// </summary>
    private static void PreferPassiveOpenMpWaiting()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null)
            return;
        try
        {
            _ = SetEnv("OMP_WAIT_POLICY", "passive", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc/musl: keep libgomp's default.
        }
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnv(string name, string value, int overwrite);
}
