using System;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Memory;

/// <summary>
/// Runs libtorch on one intra-op thread until disposed. The test models are tiny: on a busy 2-core machine two
/// OpenMP threads spin against each other and make a 1 ms step take tens of milliseconds. Tests run one at a
/// time (xunit.runner.json), so changing the process-wide setting for one test is safe.
/// </summary>
internal sealed class TorchThreads : IDisposable
{
    private readonly int _previous;

    private TorchThreads(int threads)
    {
        _previous = get_num_threads();
        set_num_threads(threads);
    }

    public static TorchThreads Single() => new(1);

    public void Dispose() => set_num_threads(_previous);
}
