using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Layers;

/// <summary>
/// The arguments a convolution over any number of spatial dims takes (<c>Conv1d</c>, <c>Conv2d</c>): its output
/// channels, a kernel (3 unless given), a constant stride (1), a padding (0, or <c>"same"</c> resolved against the
/// kernel and stride) and a bias flag.
/// </summary>
internal sealed record ConvolutionArguments(Dim OutChannels, Dim Kernel, Dim Stride, Dim Padding, bool Bias)
{
    /// <summary>Null after reporting a malformed argument. Conv1d's and Conv2d's attributes name their properties alike.</summary>
    public static ConvolutionArguments? Read(StepContext s)
    {
        var outChannels = s.Dim(nameof(Conv2dAttribute.OutChannels));
        var kernel = s.Dim(nameof(Conv2dAttribute.Kernel), Dim.Const(3));
        var stride = s.Dim(nameof(Conv2dAttribute.Stride), Dim.Const(1));
        var same = ConvolutionArithmetic.IsSame(s, nameof(Conv2dAttribute.Padding));
        var padding = same ? Dim.Const(0) : s.Dim(nameof(Conv2dAttribute.Padding), Dim.Const(0), allowZero: true);
        var bias = s.Bool(nameof(Conv2dAttribute.Bias), true);
        if (outChannels is null || kernel is null || stride is null || padding is null || bias is null)
            return null;
        if (!stride.IsConstant)
        {
            s.Fail(DiagnosticDescriptors.NotConstant, s.Kind, s.MemberName, "Stride", stride);
            return null;
        }

        if (same)
        {
            if (ConvolutionArithmetic.Same(s, kernel, stride.Value, transposed: false) is not { } samePadding)
                return null;
            padding = samePadding.Padding;
        }

        return new ConvolutionArguments(outChannels, kernel, stride, padding, bias.Value);
    }
}
