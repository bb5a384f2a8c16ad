using System;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>
/// Base of test classes on tiny models: each test runs libtorch on one thread (see <see cref="ModelTestKit.OneThread"/>),
/// about as fast as two and far faster on a busy machine.
/// </summary>
public abstract class OneThreadTests : IDisposable
{
    private readonly IDisposable _oneThread = ModelTestKit.OneThread();

    /// <summary>Restores libtorch's thread count.</summary>
    public void Dispose()
    {
        _oneThread.Dispose();
        GC.SuppressFinalize(this);
    }
}
