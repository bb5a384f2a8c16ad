using System;
using System.Globalization;

namespace ModelDsl.Runtime.Tests.Fuzz;

/// <summary>
/// How many mutations each loader gets and from which seed: a few hundred from a fixed seed in the suite, and as many
/// as <c>MODELDSL_FUZZ_CASES</c> says, from <c>MODELDSL_FUZZ_SEED</c>, for a release check (docs/loading.md).
/// </summary>
internal static class FuzzSettings
{
    public const int DefaultCases = 300;
    public const int DefaultSeed = 1;

    public static int Cases => Read("MODELDSL_FUZZ_CASES", DefaultCases);

    public static int Seed => Read("MODELDSL_FUZZ_SEED", DefaultSeed);

    private static int Read(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
