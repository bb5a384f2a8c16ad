using System;
using System.Globalization;

namespace ModelDsl.Onnx;

/// <summary>The operator sets the exporter writes, and the IR version each needs.</summary>
public static class OnnxOpsets
{
    /// <summary>17: <c>LayerNormalization</c> joins the default domain.</summary>
    public const int Min = 17;

    /// <summary>The newest opset the exporter's lowerings are written and tested for.</summary>
    public const int Max = 21;

    /// <summary>The IR version a model of <paramref name="opset"/> declares (ONNX's versioning table).</summary>
    public static long IrVersion(int opset) => opset switch
    {
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    /// <summary>Throws unless the exporter supports <paramref name="opset"/>.</summary>
    public static void Check(int opset)
    {
        if (opset < Min || opset > Max)
            throw new ArgumentOutOfRangeException(nameof(opset), opset, string.Format(CultureInfo.InvariantCulture, "ONNX export supports opsets {0} to {1}", Min, Max));
    }
}
