using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Check.Rules;

/// <summary>Conv2d, ConvTranspose2d, MaxPool2d and AvgPool2d: the spatial arithmetic of PyTorch.</summary>
internal static class ConvolutionRules
{
    public static StepResult? Conv2d(CheckContext context, StepInput input) => Convolution(context, input, transposed: false);

    public static StepResult? ConvTranspose2d(CheckContext context, StepInput input) => Convolution(context, input, transposed: true);

    public static StepResult? MaxPool2d(CheckContext context, StepInput input) => Pool(context, input, "MaxPool2d");

    public static StepResult? AvgPool2d(CheckContext context, StepInput input) => Pool(context, input, "AvgPool2d");

    private static StepResult? Convolution(CheckContext context, StepInput input, bool transposed)
    {
        var step = input.Step;
        var kind = step.Name;
        var member = input.MemberName;
        if (!RequireImage(context, input, kind))
            return null;

        var outChannels = context.ReadDim(step, step.Positional.Count > 0 ? step.Positional[0] : null, "outChannels", member);
        var kernel = context.ReadDim(step, step.Get("Kernel") ?? ArgValue.Of(ArgKind.Int, "3"), "Kernel", member);
        var stride = context.ReadDim(step, step.Get("Stride") ?? ArgValue.Of(ArgKind.Int, "1"), "Stride", member);
        var paddingArg = step.Get("Padding") ?? ArgValue.Of(ArgKind.Int, "0");
        var same = paddingArg.Kind == ArgKind.String && paddingArg.Text.Trim() == "same";
        var padding = same ? Dim.Const(0) : context.ReadDim(step, paddingArg, "Padding", member, allowZero: true);
        var outputPadding = transposed ? context.ReadDim(step, step.Get("OutputPadding") ?? ArgValue.Of(ArgKind.Int, "0"), "OutputPadding", member, allowZero: true) : Dim.Const(0);
        var bias = context.ReadBool(step, step.Get("Bias"), "Bias", member) ?? true;
        if (outChannels is null || kernel is null || stride is null || padding is null || outputPadding is null)
            return null;
        if (!stride.IsConstant)
        {
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, kind, member, "Stride must be a constant");
            return null;
        }

        if (same && !SamePadding(context, input, kernel, stride.Value, transposed, out padding, out outputPadding))
            return null;

        if (transposed && outputPadding.IsConstant && outputPadding.Value >= stride.Value)
        {
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, kind, member, $"OutputPadding ({outputPadding}) must be smaller than Stride ({stride})");
            return null;
        }

        var inChannels = input.Shape[1];
        if (!context.IsKnownAtConstruction(inChannels))
        {
            context.Report(DiagnosticDescriptors.SizeNotKnownAtConstruction, input.Location, kind, member, "input channel count", inChannels);
            return null;
        }

        var height = transposed ? TransposedSize(input.Shape[2], kernel, stride, padding, outputPadding) : Size(context, input, kind, input.Shape[2], kernel, stride.Value, padding, "height");
        if (height is null)
            return null;
        var width = transposed ? TransposedSize(input.Shape[3], kernel, stride, padding, outputPadding) : Size(context, input, kind, input.Shape[3], kernel, stride.Value, padding, "width");
        if (width is null)
            return null;
        if (transposed && (!PositiveSize(context, input, kind, height, "height") || !PositiveSize(context, input, kind, width, "width")))
            return null;

        var output = ShapeText.Shape(input.Shape[0], outChannels, height, width);
        var args = new[]
        {
            OpArg.Of("in", inChannels), OpArg.Of("out", outChannels), OpArg.Of("kernel", kernel), OpArg.Of("stride", stride),
            OpArg.Of("padding", padding), OpArg.Of("outputPadding", outputPadding), OpArg.Code("bias", bias ? "true" : "false"),
        };
        var parameters = inChannels * outChannels * kernel * kernel + (bias ? outChannels : Dim.Const(0));
        return StepResult.Module(output, new LayerPlan(kind, args.ToEquatableArray(), null, null), parameters);
    }

    // 'same' as Keras means: a convolution gives ceil(H / stride), a transposed convolution H · stride.
    // PyTorch pads symmetrically, so the kernel must be odd for a convolution; a transposed one absorbs the
    // asymmetry in output_padding: 2·padding − output_padding = kernel − stride.
    private static bool SamePadding(CheckContext context, StepInput input, Dim kernel, long stride, bool transposed, out Dim padding, out Dim outputPadding)
    {
        padding = outputPadding = Dim.Const(0);
        if (!kernel.IsConstant)
        {
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, input.Step.Name, input.MemberName, "Padding = \"same\" needs a constant Kernel");
            return false;
        }

        var k = kernel.Value;
        if (!transposed)
        {
            if (k % 2 == 0)
            {
                context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, input.Step.Name, input.MemberName, $"Padding = \"same\" needs an odd Kernel, not {k}");
                return false;
            }

            padding = Dim.Const((k - 1) / 2);
            return true;
        }

        if (k < stride)
        {
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, input.Step.Name, input.MemberName, $"Padding = \"same\" needs Kernel ({k}) ≥ Stride ({stride})");
            return false;
        }

        var p = (k - stride + 1) / 2;
        padding = Dim.Const(p);
        outputPadding = Dim.Const(2 * p - (k - stride));
        return true;
    }

    private static StepResult? Pool(CheckContext context, StepInput input, string kind)
    {
        var step = input.Step;
        var member = input.MemberName;
        if (!RequireImage(context, input, kind))
            return null;
        var kernel = context.ReadDim(step, step.Positional.Count > 0 ? step.Positional[0] : null, "kernel", member);
        var strideArg = step.Get("Stride");
        var stride = strideArg is null || strideArg.Kind == ArgKind.Null ? kernel : context.ReadDim(step, strideArg, "Stride", member);
        var padding = context.ReadDim(step, step.Get("Padding") ?? ArgValue.Of(ArgKind.Int, "0"), "Padding", member, allowZero: true);
        if (kernel is null || stride is null || padding is null)
            return null;
        if (!kernel.IsConstant || !stride.IsConstant || !padding.IsConstant)
        {
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, kind, member, "pooling window, stride and padding must be constants");
            return null;
        }

        if (padding.Value * 2 > kernel.Value)
        {
            context.Report(DiagnosticDescriptors.MalformedArgument, input.Location, kind, member, $"Padding ({padding}) must be at most half the window ({kernel})");
            return null;
        }

        var height = Size(context, input, kind, input.Shape[2], kernel, stride.Value, padding, "height");
        if (height is null)
            return null;
        var width = Size(context, input, kind, input.Shape[3], kernel, stride.Value, padding, "width");
        if (width is null)
            return null;
        var output = ShapeText.Shape(input.Shape[0], input.Shape[1], height, width);
        return StepResult.Operation(output, kind, OpArg.Of("kernel", kernel), OpArg.Of("stride", stride), OpArg.Of("padding", padding));
    }

    private static bool RequireImage(CheckContext context, StepInput input, string kind)
    {
        if (input.Rank == 4)
            return true;
        context.Report(DiagnosticDescriptors.RankMismatch, input.Location, kind, input.MemberName, "[B, C, H, W] (rank 4)", ShapeText.Format(input.Shape));
        return false;
    }

    // out = (in + 2·padding − kernel) / stride + 1, an error when it is not positive or when real input rows
    // would be silently dropped (the remainder exceeds the padding that could absorb it).
    private static Dim? Size(CheckContext context, StepInput input, string kind, Dim size, Dim kernel, long stride, Dim padding, string axis)
    {
        var span = size + padding * Dim.Const(2) - kernel;
        var result = span.FloorDiv(stride) + Dim.Const(1);
        if (span.IsConstant && span.Value < 0 || result.IsConstant && result.Value <= 0)
        {
            context.Report(DiagnosticDescriptors.InvalidSpatialSize, input.Location, kind, input.MemberName, ShapeText.Format(input.Shape),
                $"{axis} ({size} + 2*{padding} - {kernel}) / {stride} + 1 = {result} is not positive");
            return null;
        }

        if (span.IsConstant && padding.IsConstant && span.Value % stride > padding.Value)
        {
            context.Report(DiagnosticDescriptors.InvalidSpatialSize, input.Location, kind, input.MemberName, ShapeText.Format(input.Shape),
                $"{axis} ({size} + 2*{padding} - {kernel}) / {stride} is fractional and would drop {span.Value % stride - padding.Value} input row(s)");
            return null;
        }

        if (!span.IsConstant)
            context.CheckPositive(result, $"{kind} '{input.MemberName}': output {axis} {result} must be positive");
        return result;
    }

    private static Dim TransposedSize(Dim size, Dim kernel, Dim stride, Dim padding, Dim outputPadding)
        => (size - Dim.Const(1)) * stride - padding * Dim.Const(2) + kernel + outputPadding;

    private static bool PositiveSize(CheckContext context, StepInput input, string kind, Dim size, string axis)
    {
        if (context.CheckPositive(size, $"{kind} '{input.MemberName}': output {axis} {size} must be positive"))
            return true;
        context.Report(DiagnosticDescriptors.InvalidSpatialSize, input.Location, kind, input.MemberName, ShapeText.Format(input.Shape), $"output {axis} {size} is not positive");
        return false;
    }
}
