using System;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ModelDsl.Samples.Imaging;

/// <summary>
/// Runs all SkiaSharp and ScottPlot drawing on one dedicated thread, away from the threads that run libtorch.
/// </summary>
/// <remarks>
/// libtorch 2.10's CPU <c>conv2d</c> backward reads a fresh, uninitialised buffer and turns a NaN bit pattern
/// left there into NaN gradients (see <see cref="ModelDsl.Platform.NativeMemory"/>, which is the fix). PNG encoding and plot
/// rendering free lots of arbitrary bytes, and measured here, drawing a ScottPlot PNG on the training thread made
/// a following DCGAN run's gradients NaN in 4 runs out of 80, drawing it on another thread in none: each thread
/// allocates from its own malloc arena. So the drawing stays on a thread of its own as a second line of defence,
/// and callers hand it only managed data (arrays, point lists), never tensors.
/// </remarks>
public static class RenderThread
{
    private static readonly BlockingCollection<Action> Work = new();
    private static readonly Lazy<Thread> Worker = new(() =>
    {
        var thread = new Thread(() =>
        {
            foreach (var item in Work.GetConsumingEnumerable())
                item();
        })
        {
            IsBackground = true,
            Name = "ModelDsl.Samples render",
        };
        thread.Start();
        return thread;
    });

    /// <summary>Runs <paramref name="draw"/> on the render thread and waits for it; its exception is rethrown here.</summary>
    public static void Run(Action draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        if (Worker.IsValueCreated && Thread.CurrentThread == Worker.Value)
        {
            draw();
            return;
        }

        _ = Worker.Value;
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
