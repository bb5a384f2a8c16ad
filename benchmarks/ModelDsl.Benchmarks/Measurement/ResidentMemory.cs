using System;
using System.Globalization;
using System.IO;

namespace ModelDsl.Benchmarks.Measurement;

/// <summary>The process's resident set size, from <c>/proc/self/statm</c> (Linux).</summary>
internal static class ResidentMemory
{
    /// <summary>Resident bytes now: the second field of <c>/proc/self/statm</c> (pages) times the page size.</summary>
    public static long Bytes()
    {
        var fields = File.ReadAllText("/proc/self/statm").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    public static double MiB() => Bytes() / (1024.0 * 1024.0);
}
