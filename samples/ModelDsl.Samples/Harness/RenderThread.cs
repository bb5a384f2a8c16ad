using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ModelDsl.Samples.Harness;

/// <summary>
/// Runs all SkiaSharp and ScottPlot drawing on one thread of its own, away from the threads that run libtorch;
/// callers hand it managed data only, never tensors.
/// </summary>
/// <remarks>
/// libtorch 2.10's CPU <c>conv2d</c> backward reads a fresh, uninitialised buffer and turns a NaN bit pattern left
/// there into NaN gradients (<see cref="ModelDsl.Platform.NativeMemory"/> is the fix). Drawing frees lots of
/// arbitrary bytes: measured here, a ScottPlot PNG drawn on the training thread made a following DCGAN run's
/// gradients NaN in 4 runs out of 80, drawn on another thread (its own malloc arena) in none. This thread is the
/// second line of defence.
/// </remarks>
public static class RenderThread
{
    private static readonly BlockingCollection<Action> Work = [];
    private static readonly Lazy<Thread> Worker = new(() =>
    {
        var thread = new Thread(() =>
        {
            foreach (var item in Work.GetConsumingEnumerable())
                item();
        }) { IsBackground = true, Name = "ModelDsl.Samples render" };
        thread.Start();
        return thread;
    });

    /// <summary>Runs <paramref name="draw"/> on the render thread and waits; its exception is rethrown here.</summary>
    public static void Run(Action draw)
    {
        if (Thread.CurrentThread == Worker.Value)
        {
            draw();
            return;
        }
        using var done = new ManualResetEventSlim();
        ExceptionDispatchInfo? failure = null;
        Work.Add(() =>
        {
            try
            {
                draw();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        failure?.Throw();
    }
}
