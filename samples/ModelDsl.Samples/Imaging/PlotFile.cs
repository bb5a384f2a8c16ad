using ModelDsl.IO;
using ScottPlot;

namespace ModelDsl.Samples.Imaging;

/// <summary>What every plot of the samples shares: the colours, and writing the PNG.</summary>
public static class PlotFile
{
    /// <summary>The curves' colours, in order (matplotlib's first six, so the plots read like PyTorch users' own).</summary>
    public static readonly Color[] Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189), new(140, 86, 75),
    ];

    /// <summary>Renders <paramref name="plot"/> as a PNG and replaces <paramref name="path"/> atomically.</summary>
    public static void SavePng(Plot plot, string path, int width, int height)
    {
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
