using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace ModelDsl.Platform;

/// <summary>
/// Makes glibc fill every new heap block with a finite byte pattern (<c>mallopt(M_PERTURB)</c>), which keeps a
/// libtorch 2.10 CPU bug from turning training NaN.
/// </summary>
/// <remarks>
/// The bug, measured here with TorchSharp-cpu 0.107.0: the input gradient of <c>conv2d</c> (for example a
/// 1→4-channel 5×5 stride-2 convolution, the first layer of the DCGAN discriminator; also 4- and 32-channel
/// inputs) is computed into a fresh, uninitialised buffer that the kernel scales by 0 instead of overwriting, so it
/// is exact when the recycled memory holds finite values and NaN when it happens to hold a NaN or infinity bit
/// pattern (left by an earlier byte tensor, a PNG encoder…). In a long process (the test host, or a GAN that
/// writes sample grids) the generator's gradients then turned NaN in a few runs out of a hundred. With
/// <c>M_PERTURB</c> every <c>malloc</c> block starts as bytes <c>0x3C</c> (finite as float16, bfloat16, float32 and
/// float64) and freed blocks become <c>0xC3</c> (finite too): the gradients are then always exact. Blocks from
/// <c>mmap</c> are zero already. The fill costs a memset per allocation. Only glibc has <c>mallopt</c>; elsewhere
/// this does nothing.
/// </remarks>
public static class NativeMemory
{
    private const int MPerturb = -6;
    private const int PerturbByte = 0x3C ^ 0xFF; // allocations get byte ^ 0xFF = 0x3C, frees get 0xC3
    private static int _applied;

    /// <summary>Applies the fill once per process (Linux with glibc only).</summary>
    public static void FillNewBlocksWithFiniteBytes()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _applied, 1) != 0)
            return;
        try
        {
            _ = MallOpt(MPerturb, PerturbByte);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: nothing to configure.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);
}
