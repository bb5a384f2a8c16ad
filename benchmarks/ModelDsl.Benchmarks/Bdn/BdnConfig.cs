using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ModelDsl.Benchmarks.Bdn;

/// <summary>
/// BenchmarkDotNet settings for every class here: in process (the host already has libtorch loaded and patched for
/// Debian 12; a separately built benchmark process would need the same), a moderate number of iterations, the
/// generated-vs-baseline ratio and allocated managed memory.
/// </summary>
internal static class BdnConfig
{
    public static IConfig Create() =>
        ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(5)
                .WithIterationCount(20)
                .WithId("InProcess"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
            .WithOptions(ConfigOptions.JoinSummary);
}
