using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// PyTorch's size arithmetic for convolutions and pooling (no dilation): a window that does not fit a final stride
/// is dropped, as PyTorch defines it, so only an output that is not positive is an error.
/// </summary>
internal static class ConvolutionArithmetic
{
    /// <summary>
    /// <c>floor((size + 2·padding − kernel) / stride) + 1</c>; null (MDL0103 reported) when it is not positive, and a
    /// guard when that depends on the input.
    /// </summary>
    public static Dim? Output(StepContext s, Dim size, Dim kernel, long stride, Dim padding, string axis)
    {
        var span = size + padding * Dim.Const(2) - kernel;
        var result = span.FloorDiv(stride) + Dim.Const(1);
        if ((span.IsConstant && span.Value < 0) || (result.IsConstant && result.Value <= 0))
        {
            s.Report(DiagnosticDescriptors.InvalidSpatialSize, s.Kind, s.MemberName, ShapeText.Format(s.Shape),
                $"{axis} ({size} + 2*{padding} - {kernel}) / {stride} + 1 = {result} is not positive");
            return null;
        }

        // Any size of at least kernel − 2·padding works. A symbolic size is a tensor's, at least 1 in practice (libtorch
        // reports an empty one), so only a window wider than one padded row needs a guard.
        var minimum = kernel - padding * Dim.Const(2);
        if (!span.IsConstant && !(minimum.IsConstant && minimum.Value <= 1))
            s.Model.CheckPositive(span + Dim.Const(1), $"{s.Kind} '{s.MemberName}': the input {axis} {size} must be at least {minimum}");
        return result;
    }

    /// <summary><c>(size − 1)·stride − 2·padding + kernel + outputPadding</c>; null (MDL0103 reported) when not positive.</summary>
    public static Dim? TransposedOutput(StepContext s, Dim size, Dim kernel, Dim stride, Dim padding, Dim outputPadding, string axis)
    {
        var result = (size - Dim.Const(1)) * stride - padding * Dim.Const(2) + kernel + outputPadding;
        if (s.Model.CheckPositive(result, $"{s.Kind} '{s.MemberName}': output {axis} {result} must be positive"))
            return result;
        s.Report(DiagnosticDescriptors.InvalidSpatialSize, s.Kind, s.MemberName, ShapeText.Format(s.Shape), $"output {axis} {result} is not positive");
        return null;
    }

    /// <summary>
    /// <c>Padding = "same"</c> as documented: a convolution gives <c>ceil(H / stride)</c> (symmetric padding
    /// <c>(kernel − 1) / 2</c>, so the kernel must be odd), a transposed one <c>H · stride</c> (the asymmetry goes into
    /// output padding: <c>2·padding − outputPadding = kernel − stride</c>).
    /// </summary>
    public static (Dim Padding, Dim OutputPadding)? Same(StepContext s, Dim kernel, long stride, bool transposed)
    {
        if (!kernel.IsConstant)
        {
            s.Report(DiagnosticDescriptors.PaddingMismatch, s.Kind, s.MemberName, "Padding = \"same\" needs a constant Kernel");
            return null;
        }

        var k = kernel.Value;
        if (!transposed)
        {
            if (k % 2 == 0)
            {
                s.Report(DiagnosticDescriptors.PaddingMismatch, s.Kind, s.MemberName, $"Padding = \"same\" needs an odd Kernel, not {k}");
                return null;
            }

            return (Dim.Const((k - 1) / 2), Dim.Const(0));
        }

        if (k < stride)
        {
            s.Report(DiagnosticDescriptors.PaddingMismatch, s.Kind, s.MemberName, $"Padding = \"same\" needs Kernel ({k}) ≥ Stride ({stride})");
            return null;
        }

        var p = (k - stride + 1) / 2;
        return (Dim.Const(p), Dim.Const(2 * p - (k - stride)));
    }

    /// <summary>Reads <c>Padding</c>: an integer, a hyperparameter expression, or <c>"same"</c>.</summary>
    public static bool IsSame(StepContext s, string argument)
        => s.Step.Get(argument) is { Kind: ArgKind.String } padding && padding.Text.Trim() == "same";
}
