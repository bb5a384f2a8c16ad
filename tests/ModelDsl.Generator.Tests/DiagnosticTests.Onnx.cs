using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The ONNX export's warnings: a model whose operations do not all lower to ONNX still builds, gets no
/// <c>ExportOnnx</c>, and is told why at the attribute responsible.
/// </summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void MDL0201_call_step_has_no_onnx_lowering()
    {
        Diagnostic d = AssertWarning("MDL0201", """
            [Model]
            public sealed partial class Gated
            {
                [Linear(8), /*@*/Call(nameof(Gate), "x")] partial Linear Fc { get; }

                public partial Tensor Forward([Shape("B", 8)] Tensor x);

                [return: Shape("N", "D")]
                private static Tensor Gate([Shape("N", "D")] Tensor value, [Shape("N", "D")] Tensor gate) => value * gate;
            }
            """);

        Assert.Contains("Gate on 'Fc' cannot be exported to ONNX", Message(d), StringComparison.Ordinal);
        Assert.Contains("[Call(Gate)] runs a C# method", Message(d), StringComparison.Ordinal);
        Assert.Contains("'Gated' gets no ExportOnnx", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0201_adaptive_pooling_of_a_map_sized_at_run_time()
    {
        Diagnostic d = AssertWarning("MDL0201", """
            [Model]
            public sealed partial class Pooled
            {
                [Conv2d(8)]                             partial Conv2d Conv { get; }
                [/*@*/AdaptiveAvgPool2d(2), Flatten]    partial Identity Pool { get; }

                public partial Tensor Forward([Shape("B", 3, "H", "W")] Tensor x);
            }
            """);

        Assert.Contains("AdaptiveAvgPool2d on 'Pool' cannot be exported to ONNX: pooling [B, 8, H - 2, W - 2] to 2 × 2 needs sizes known when the graph is built", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0202_nested_model_without_onnx_export()
    {
        Diagnostic d = AssertWarning("MDL0202", """
            [Model(Onnx = false)]
            public sealed partial class Inner
            {
                [Linear(8)] partial Linear Fc { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }

            [Model]
            public sealed partial class Outer
            {
                [/*@*/Nested] partial Inner Block { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """);

        Assert.Contains("'Block' nests 'Inner', which cannot be exported to ONNX ('Inner' is declared [Model(Onnx = false)]); 'Outer' gets no ExportOnnx", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_with_a_gap_builds_without_ExportOnnx_and_Onnx_false_silences_the_warning()
    {
        const string Model = """
            [Model(Onnx = ONNX)]
            public sealed partial class Gated
            {
                [Linear(8), Call(nameof(Gate), "x")] partial Linear Fc { get; }

                public partial Tensor Forward([Shape("B", 8)] Tensor x);

                [return: Shape("N", "D")]
                private static Tensor Gate([Shape("N", "D")] Tensor value, [Shape("N", "D")] Tensor gate) => value * gate;
            }
            """;

        foreach (var onnx in new[] { "true", "false" })
        {
            GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + Model.Replace("ONNX", onnx, StringComparison.Ordinal));
            run.AssertNoGeneratorFailure();
            Assert.Empty(run.OutputErrors);
            Assert.Equal(onnx == "true" ? new[] { "MDL0201" } : Array.Empty<string>(), run.GeneratorDiagnostics.Select(x => x.Id));
            var text = run.GeneratedText("Samples.Gated.g.cs");
            Assert.DoesNotContain("ExportOnnx", text, StringComparison.Ordinal);
            Assert.DoesNotContain("IOnnxModule", text, StringComparison.Ordinal);
        }
    }
}
