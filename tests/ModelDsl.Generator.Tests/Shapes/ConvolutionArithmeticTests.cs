using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests.Shapes;

/// <summary>
/// Convolution and pooling sizes as PyTorch defines them, <c>floor((H + 2·padding − kernel) / stride) + 1</c>: every
/// downsampling form of torchvision's ResNets at even and odd sizes. Each case declares the size PyTorch gives (computed
/// here, independently of the generator) as the return shape and must build without a diagnostic; one row off must not.
/// </summary>
public sealed class ConvolutionArithmeticTests
{
    public static TheoryData<string, int, int, int, int> Forms()
    {
        var data = new TheoryData<string, int, int, int, int>();
        (string Step, int Kernel, int Stride, int Padding)[] forms =
        [
            ("Conv2d(8, Kernel = 7, Stride = 2, Padding = 3)", 7, 2, 3), // the stem
            ("MaxPool2d(3, Stride = 2, Padding = 1)", 3, 2, 1),          // the stem's pooling
            ("Conv2d(8, Kernel = 3, Stride = 2, Padding = 1)", 3, 2, 1), // a downsampling block's first convolution
            ("Conv2d(8, Kernel = 1, Stride = 2)", 1, 2, 0),              // its 1×1 shortcut
            ("Conv2d(8, Kernel = 3, Padding = \"same\", Stride = 2)", 3, 2, 1),
            ("MaxPool2d(1, Stride = 2)", 1, 2, 0),
            ("AvgPool2d(2)", 2, 2, 0),
        ];
        foreach (var (step, kernel, stride, padding) in forms)
        {
            foreach (var size in new[] { 224, 32, 31, 8, 7, 3 })
                data.Add(step, kernel, stride, padding, size);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Output_size_is_pytorchs(string step, int kernel, int stride, int padding, int size)
    {
        var output = (int)Math.Floor((size + 2.0 * padding - kernel) / stride) + 1;
        var channels = step.StartsWith("Conv2d", StringComparison.Ordinal) ? 8 : 3;

        GeneratorRun run = GeneratorHarness.Run(Model(step, size, channels, output));

        run.AssertSuccess();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(FormattableString.Invariant($"[B, {channels}, {output}, {output}]"), run.GeneratedText("Samples.Net.g.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Conv2d(8, Kernel = 1, Stride = 2)", 31, 15)]
    [InlineData("MaxPool2d(3, Stride = 2, Padding = 1)", 31, 17)]
    public void One_row_off_is_reported(string step, int size, int wrong)
    {
        GeneratorRun run = GeneratorHarness.Run(Model(step, size, step.StartsWith("Conv2d", StringComparison.Ordinal) ? 8 : 3, wrong));

        Assert.Equal(["MDL0102"], run.GeneratorDiagnostics.Select(d => d.Id));
    }

    // A convolution is the member's layer; a pooling follows a 1×1 convolution that keeps the size.
    private static string Model(string step, int size, int channels, int output) => TestModels.Usings + string.Format(CultureInfo.InvariantCulture, """
        [Model]
        public sealed partial class Net
        {{
            [{0}] partial Conv2d Layer {{ get; }}

            [return: Shape("B", {3}, {2}, {2})]
            public partial Tensor Forward([Shape("B", 3, {1}, {1})] Tensor x);
        }}
        """, step.StartsWith("Conv2d", StringComparison.Ordinal) ? step : "Conv2d(3, Kernel = 1), " + step, size, output, channels);
}
