using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// One test per diagnostic ID (docs/architecture.md, "Shape checking in three tiers"): the ID, the severity and the exact position an IDE shows (1-based line
/// and column), and the shapes or names the message must mention. Each source marks the expected position with
/// <c>/*@*/</c> right before the offending token; the comment stays in the source (it is trivia, so the node's
/// span starts after it). Every run must also be free of generator crashes (CS8785, AD0001).
/// </summary>
public sealed partial class DiagnosticTests
{
    private const string Marker = "/*@*/";

    /// <summary>The IDs that warn instead of failing the build.</summary>
    private static readonly HashSet<string> Warnings = new(StringComparer.Ordinal) { "MDL0121", "MDL0145", "MDL0201", "MDL0202" };

    // ---- MDL00xx: the declaration cannot be read ----

    [Fact]
    public void MDL0001_class_not_partial()
    {
        Diagnostic d = AssertDiagnostic("MDL0001", """
            [Model]
            public sealed class /*@*/Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """, onlyThisError: false); // partial members in a non-partial class are compiler errors whatever we emit

        Assert.Contains("'Mlp'", Message(d), StringComparison.Ordinal);
        Assert.Contains("partial", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0002_missing_forward()
    {
        Diagnostic d = AssertDiagnostic("MDL0002", """
            [Model]
            public sealed partial class /*@*/Mlp
            {
                [Linear(10)] partial Linear Output { get; }
            }
            """);

        Assert.Contains("'Mlp'", Message(d), StringComparison.Ordinal);
        Assert.Contains("Forward", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0003_layer_attribute_on_a_property_with_a_body()
    {
        Diagnostic d = AssertDiagnostic("MDL0003", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] Linear /*@*/Output => null!;
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'Output'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0003_layer_attribute_on_a_property_with_a_setter()
    {
        Diagnostic d = AssertDiagnostic("MDL0003", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear /*@*/Output { get; set; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """, onlyThisError: false); // see Only_the_MDL_error_shows_for_unsupported_declarations

        Assert.Contains("'Output'", Message(d), StringComparison.Ordinal);
        Assert.Contains("get", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0004_layer_attribute_does_not_match_the_property_type()
    {
        Diagnostic d = AssertDiagnostic("MDL0004", """
            [Model]
            public sealed partial class Mlp
            {
                [/*@*/Linear(10)] partial Conv2d Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'Output'", Message(d), StringComparison.Ordinal);
        Assert.Contains("Linear", Message(d), StringComparison.Ordinal);
        Assert.Contains("Conv2d", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0022_two_layers_on_one_member()
    {
        Diagnostic d = AssertDiagnostic("MDL0022", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10), ReLU, /*@*/LayerNorm] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'Output'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0023_member_without_a_layer()
    {
        Diagnostic d = AssertDiagnostic("MDL0023", """
            [Model]
            public sealed partial class Mlp
            {
                [ReLU] partial Linear /*@*/Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'Output'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0005_argument_of_the_wrong_type()
    {
        Diagnostic d = AssertDiagnostic("MDL0005", """
            [Model]
            public sealed partial class Mlp
            {
                [Flatten, Linear(10, Bias = false, TiedTo = null), /*@*/Dropout(true)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Equal("Dropout on 'Output': p must be a number or a hyperparameter name, not a bool (true)", Message(d));
    }

    [Fact]
    public void MDL0024_size_that_is_not_positive()
    {
        Diagnostic d = AssertDiagnostic("MDL0024", """
            [Model]
            public sealed partial class Mlp
            {
                [Flatten, /*@*/Linear(0)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Equal("Linear on 'Output': OutFeatures must be positive, not 0", Message(d));
    }

    [Fact]
    public void MDL0024_size_beyond_int()
    {
        Diagnostic d = AssertDiagnostic("MDL0024", """
            [Model]
            public sealed partial class Mlp
            {
                [/*@*/Linear(long.MaxValue)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'Output'", Message(d), StringComparison.Ordinal);
        Assert.Contains("2147483647", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0029_sizes_overflowing_64_bits()
    {
        Diagnostic d = AssertDiagnostic("MDL0029", """
            [Model]
            public sealed partial class Mlp
            {
                [/*@*/Flatten, Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 2147483647, 2147483647, 2147483647)] Tensor x);
            }
            """);

        Assert.Contains("Flatten on 'Output'", Message(d), StringComparison.Ordinal);
        Assert.Contains("64-bit", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0006_unknown_hyperparameter()
    {
        Diagnostic d = AssertDiagnostic("MDL0006", """
            [Model]
            public sealed partial class Mlp
            {
                public partial Mlp(int hidden);
                [/*@*/Linear("4 * hiden")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'hiden'", Message(d), StringComparison.Ordinal);
        Assert.Contains("\"4 * hiden\"", Message(d), StringComparison.Ordinal);
        Assert.Contains("'Mlp'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0007_invalid_expression()
    {
        Diagnostic d = AssertDiagnostic("MDL0007", """
            [Model]
            public sealed partial class Mlp
            {
                public partial Mlp(int hidden);
                [/*@*/Linear("4 * (hidden")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("\"4 * (hidden\"", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0032_real_hyperparameter_used_as_a_size()
    {
        Diagnostic d = AssertDiagnostic("MDL0032", """
            [Model]
            public sealed partial class Mlp
            {
                public partial Mlp(double hidden);
                [/*@*/Linear("hidden")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'hidden'", Message(d), StringComparison.Ordinal);
        Assert.Contains("double", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0034_forward_argument_without_shape()
    {
        Diagnostic d = AssertDiagnostic("MDL0034", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward(Tensor /*@*/x);
            }
            """);

        Assert.Contains("'Mlp'", Message(d), StringComparison.Ordinal);
        Assert.Contains("'x'", Message(d), StringComparison.Ordinal);
        Assert.Contains("[Shape", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0008_forward_must_return_a_tensor()
    {
        Diagnostic d = AssertDiagnostic("MDL0008", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial int /*@*/Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("Tensor", Message(d), StringComparison.Ordinal);
        Assert.Contains("int", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0033_forward_argument_with_a_modifier()
    {
        Diagnostic d = AssertDiagnostic("MDL0033", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] this Tensor /*@*/x);
            }
            """, onlyThisError: false); // 'this' on an instance method's argument is a compiler error too

        Assert.Contains("'x'", Message(d), StringComparison.Ordinal);
        Assert.Contains("'this'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0146_progressive_column_with_two_arguments()
    {
        Diagnostic d = AssertDiagnostic("MDL0146", """
            [Model, ProgressiveColumn]
            public sealed partial class Column
            {
                [Flatten, Linear(32), ReLU] partial Linear Fc1 { get; }
                [Linear(10)]                partial Linear Head { get; }
                public partial Tensor /*@*/Forward([Shape("B", 1, 28, 28)] Tensor image, [Shape("B", 3)] Tensor extra);
            }
            """);

        Assert.Contains("'Column'", Message(d), StringComparison.Ordinal);
        Assert.Contains("one argument", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0035_symbolic_dim_named_like_a_layer_field()
    {
        Diagnostic d = AssertDiagnostic("MDL0035", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("_output", 784)] Tensor /*@*/x);
            }
            """);

        Assert.Contains("'_output'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0009_generic_model()
    {
        Diagnostic d = AssertDiagnostic("MDL0009", """
            [Model]
            public sealed partial class /*@*/Mlp<T>
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """, onlyThisError: false); // see Only_the_MDL_error_shows_for_unsupported_declarations

        Assert.Contains("'Mlp'", Message(d), StringComparison.Ordinal);
        Assert.Contains("generic", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0009_model_nested_in_another_type()
    {
        Diagnostic d = AssertDiagnostic("MDL0009", """
            public static partial class Outer
            {
                [Model]
                public sealed partial class /*@*/Mlp
                {
                    [Linear(10)] partial Linear Output { get; }
                    public partial Tensor Forward([Shape("B", 784)] Tensor x);
                }
            }
            """, onlyThisError: false); // see Only_the_MDL_error_shows_for_unsupported_declarations

        Assert.Contains("top-level", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0009_record_model()
    {
        Diagnostic d = AssertDiagnostic("MDL0009", """
            [Model]
            public sealed partial record /*@*/Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'Mlp'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0035_member_hides_module_training()
    {
        Diagnostic d = AssertDiagnostic("MDL0035", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10), Dropout(0.1)] partial Linear /*@*/training { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'training'", Message(d), StringComparison.Ordinal);
        Assert.Contains("Module", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0035_tied_model_overriding_to()
    {
        Diagnostic d = AssertDiagnostic("MDL0035", """
            [Model]
            public sealed partial class LanguageModel
            {
                [Embedding(100, 32)]                     partial Embedding Tokens { get; }
                [Linear(100, TiedTo = nameof(Tokens))]  partial Linear Head { get; }
                public partial Tensor Forward([Shape("B", "T")] Tensor x);

                protected override nn.Module /*@*/_to(ScalarType dtype, bool non_blocking) => base._to(dtype, non_blocking);
            }
            """);

        Assert.Contains("'_to'", Message(d), StringComparison.Ordinal);
        Assert.Contains("tied", Message(d), StringComparison.Ordinal);
    }

    /// <summary>Only a tie makes the generator override Module._to; any other model may hook it.</summary>
    [Fact]
    public void A_model_without_a_tie_may_override_to()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);

                protected override nn.Module _to(ScalarType dtype, bool non_blocking) => base._to(dtype, non_blocking);
            }
            """);

        run.AssertSuccess();
    }

    [Fact]
    public void MDL0038_extern_partial_constructor()
    {
        Diagnostic d = AssertDiagnostic("MDL0038", """
            [Model]
            public sealed partial class Mlp
            {
                public extern partial /*@*/Mlp(int hidden);
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """, onlyThisError: false); // an extern partial constructor without a definition is a compiler error too

        Assert.Contains("'extern'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0038_constructor_clashing_with_the_generated_one()
    {
        Diagnostic d = AssertDiagnostic("MDL0038", """
            [Model]
            public sealed partial class Mlp
            {
                public /*@*/Mlp() : base("mlp") { }
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("Mlp()", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0009_gan_pairing_with_a_base_class()
    {
        Diagnostic d = AssertDiagnostic("MDL0009", """
            [Model]
            public sealed partial class Gen
            {
                [Linear(784), Tanh] partial Linear Project { get; }
                [return: Shape("B", 784)]
                public partial Tensor Forward([Shape("B", 100)] Tensor z);
            }

            [Model]
            public sealed partial class Disc
            {
                [Linear(1)] partial Linear Score { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }

            [Gan(typeof(Gen), typeof(Disc))]
            public sealed partial class /*@*/Pair : TorchSharp.torch.nn.Module
            {
            }
            """, onlyThisError: false); // the class calls no Module constructor: a compiler error too

        Assert.Contains("'Pair'", Message(d), StringComparison.Ordinal);
        Assert.Contains("base class", Message(d), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MDL0003", "public sealed partial class Mlp { [Linear(10)] partial Linear Output { get; set; } public partial Tensor Forward([Shape(\"B\", 784)] Tensor x); }")]
    [InlineData("MDL0009", "public sealed partial class Mlp<T> { [Linear(10)] partial Linear Output { get; } public partial Tensor Forward([Shape(\"B\", 784)] Tensor x); }")]
    [InlineData("MDL0009", "public static partial class Outer { [Model] public sealed partial class Mlp { [Linear(10)] partial Linear Output { get; } public partial Tensor Forward([Shape(\"B\", 784)] Tensor x); } }")]
    public void Only_the_MDL_error_shows_for_unsupported_declarations(string id, string declaration)
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + (declaration.StartsWith("public static", StringComparison.Ordinal) ? "" : "[Model]\n") + declaration);

        run.AssertNoGeneratorFailure();
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == id);
        Assert.Empty(run.OutputErrors);
    }

    [Fact]
    public void Placeholders_for_a_model_with_errors_have_no_warnings()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(784, 10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 780)] Tensor x);
            }
            """);

        run.AssertNoGeneratorFailure();
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "MDL0101");
        Assert.Empty(run.OutputErrors);
        Assert.Empty(run.GeneratedCodeDiagnostics.Select(GeneratorRun.Describe));
    }

    // ---- MDL01xx: the shapes do not fit ----

    /// <summary>The acceptance case: an explicit in-feature count that does not match the input.</summary>
    [Fact]
    public void MDL0101_linear_in_features_mismatch()
    {
        Diagnostic d = AssertDiagnostic("MDL0101", """
            [Model]
            public sealed partial class Mlp
            {
                [/*@*/Linear(784, 10)] partial Linear Output { get; }

                [return: Shape("B", 10)]
                public partial Tensor Forward([Shape("B", 780)] Tensor x);
            }
            """);

        Assert.Equal("Linear 'Output' expects [B, 784] but receives [B, 780]; Linear(780, 10) fits, as does Linear(10), which infers it", Message(d));
        Assert.Equal(("SetArgument", "InFeatures", "780"), (d.Properties["ModelDsl.Fix"], d.Properties["Argument"], d.Properties["Value"]));
    }

    [Fact]
    public void MDL0101_mismatch_after_a_convolution_stage()
    {
        // Conv2d infers its in-channels, so a channel count only mismatches where a size is stated: here the
        // flattened conv output is 16·14·14 = 3136 features, the Linear claims 3200.
        Diagnostic d = AssertDiagnostic("MDL0101", """
            [Model]
            public sealed partial class Cnn
            {
                [Conv2d(16, Padding = 1), ReLU, MaxPool2d(2)] partial Conv2d Conv { get; }
                [Flatten, /*@*/Linear(3200, 10)]              partial Linear Head { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """);

        Assert.StartsWith("Linear 'Head' expects [B, 3200] but receives [B, 3136]; ", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0101_symbolic_in_features_that_decidably_differ()
    {
        Diagnostic d = AssertDiagnostic("MDL0101", """
            [Model]
            public sealed partial class Block
            {
                public partial Block(int embed);
                [Linear("2 * embed")]                 partial Linear Up { get; }
                [/*@*/Linear("2 * embed + 1", "embed")] partial Linear Down { get; }
                public partial Tensor Forward([Shape("B", "embed")] Tensor x);
            }
            """);

        Assert.Contains("[B, 2 * embed + 1]", Message(d), StringComparison.Ordinal);
        Assert.Contains("[B, 2 * embed]", Message(d), StringComparison.Ordinal);
    }

    /// <summary>The classic example: the decoder stops at 14×14 but Forward promises 28×28.</summary>
    [Fact]
    public void MDL0102_decoder_output_differs_from_the_declared_return_shape()
    {
        Diagnostic d = AssertDiagnostic("MDL0102", """
            [Model]
            public sealed partial class Decoder
            {
                [Linear(7 * 7 * 64), ReLU, Reshape(64, 7, 7)]                                  partial Linear Project { get; }
                [ConvTranspose2d(32, Kernel = 5, Stride = 2, Padding = 2, OutputPadding = 1)] partial ConvTranspose2d Up1 { get; }
                [ConvTranspose2d(1, Kernel = 5, Padding = 2), Tanh]                            partial ConvTranspose2d Up2 { get; }

                [return: /*@*/Shape("B", 1, 28, 28)]
                public partial Tensor Forward([Shape("B", 100)] Tensor z);
            }
            """);

        Assert.Equal("ConvTranspose2d 'Up2' produces [B, 1, 14, 14] but Forward returns [B, 1, 28, 28]", Message(d));
    }

    [Fact]
    public void MDL0102_rank_differs()
    {
        Diagnostic d = AssertDiagnostic("MDL0102", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }

                [return: /*@*/Shape("B", 1, 10)]
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("[B, 10]", Message(d), StringComparison.Ordinal);
        Assert.Contains("[B, 1, 10]", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0103_kernel_larger_than_the_input()
    {
        Diagnostic d = AssertDiagnostic("MDL0103", """
            [Model]
            public sealed partial class Cnn
            {
                [Conv2d(8, Kernel = 3), ReLU]  partial Conv2d Conv1 { get; }
                [/*@*/Conv2d(8, Kernel = 5)]   partial Conv2d Conv2 { get; }
                public partial Tensor Forward([Shape("B", 1, 5, 9)] Tensor x);
            }
            """);

        Assert.Contains("Conv2d 'Conv2'", Message(d), StringComparison.Ordinal);
        Assert.Contains("[B, 8, 3, 7]", Message(d), StringComparison.Ordinal);
        Assert.Contains("height", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0103_square_input_is_reported_once()
    {
        Diagnostic d = AssertDiagnostic("MDL0103", """
            [Model]
            public sealed partial class Cnn
            {
                [/*@*/Conv2d(8, Kernel = 5)] partial Conv2d Conv { get; }
                public partial Tensor Forward([Shape("B", 1, 3, 3)] Tensor x);
            }
            """);

        Assert.Contains("[B, 1, 3, 3]", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0104_reshape_changes_the_element_count()
    {
        Diagnostic d = AssertDiagnostic("MDL0104", """
            [Model]
            public sealed partial class Generator
            {
                [Linear(7 * 7 * 256, Bias = false)]                     partial Linear Project { get; }
                [BatchNorm1d, LeakyReLU(0.2), /*@*/Reshape(256, 7, 8)] partial BatchNorm1d Norm0 { get; }
                public partial Tensor Forward([Shape("B", 100)] Tensor z);
            }
            """);

        Assert.Equal("Reshape on 'Norm0' cannot turn [B, 12544] (12544 elements per sample) into [B, 256, 7, 8] (14336 elements per sample); Reshape(256, 7, 7) fits", Message(d));
        Assert.Equal(("Dims", "2", "7"), (d.Properties["Argument"], d.Properties["Index"], d.Properties["Value"]));
    }

    [Fact]
    public void MDL0105_residual_operands_differ()
    {
        Diagnostic d = AssertDiagnostic("MDL0105", """
            [Model]
            public sealed partial class Block
            {
                [Linear(256), GELU]                         partial Linear Up { get; }
                [Linear(32), /*@*/Residual(From = "x")]     partial Linear Down { get; }
                public partial Tensor Forward([Shape("B", 64)] Tensor x);
            }
            """);

        Assert.Equal("Residual on 'Down' adds [B, 64] from 'x' to [B, 32]", Message(d));
    }

    [Fact]
    public void MDL0106_convolution_on_a_flat_tensor()
    {
        Diagnostic d = AssertDiagnostic("MDL0106", """
            [Model]
            public sealed partial class Cnn
            {
                [Flatten, Linear(128)] partial Linear Hidden { get; }
                [/*@*/Conv2d(8)]       partial Conv2d Conv { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """);

        Assert.Contains("Conv2d 'Conv'", Message(d), StringComparison.Ordinal);
        Assert.Contains("rank 4", Message(d), StringComparison.Ordinal);
        Assert.Contains("[B, 128]", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0107_unknown_tap()
    {
        Diagnostic d = AssertDiagnostic("MDL0107", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(64)]                       partial Linear Hidden { get; }
                [/*@*/Input("hiden"), Linear(10)]  partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'hiden'", Message(d), StringComparison.Ordinal);
        Assert.Contains("'Output'", Message(d), StringComparison.Ordinal);
        Assert.Contains("x, Hidden", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0107_a_later_member_is_not_a_tap_yet()
    {
        Diagnostic d = AssertDiagnostic("MDL0107", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10), /*@*/Residual(From = "Output")] partial Linear Hidden { get; }
                [Linear(10)]                                 partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 10)] Tensor x);
            }
            """);

        Assert.Contains("'Output'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0108_feature_count_known_only_from_the_input()
    {
        Diagnostic d = AssertDiagnostic("MDL0108", """
            [Model]
            public sealed partial class Mlp
            {
                [/*@*/Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", "F")] Tensor x);
            }
            """);

        Assert.Contains("Linear 'Output'", Message(d), StringComparison.Ordinal);
        Assert.Contains("'F'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0108_layer_size_known_only_from_the_input()
    {
        Diagnostic d = AssertDiagnostic("MDL0108", """
            [Model]
            public sealed partial class Mlp
            {
                [/*@*/Linear("B / 3 * 3")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("Linear 'Output'", Message(d), StringComparison.Ordinal);
        Assert.Contains("B / 3", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0142_nested_model_constructor_arity()
    {
        Diagnostic d = AssertDiagnostic("MDL0142", TestModels.Usings + """
            [Model]
            public sealed partial class Features
            {
                public partial Features(int hidden);
                [Flatten, Linear("hidden"), ReLU] partial Linear Hidden { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }

            [Model]
            public sealed partial class Classifier
            {
                [/*@*/Nested(128, 64)] partial Features Backbone { get; }
                [Linear(10)]           partial Linear Head { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """, addUsings: false);

        Assert.Contains("'Backbone'", Message(d), StringComparison.Ordinal);
        Assert.Contains("'Features'", Message(d), StringComparison.Ordinal);
        Assert.Contains("int hidden", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0109_nested_model_receives_the_wrong_shape()
    {
        Diagnostic d = AssertDiagnostic("MDL0109", TestModels.Usings + """
            [Model]
            public sealed partial class Features
            {
                [Linear(64), ReLU] partial Linear Hidden { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }

            [Model]
            public sealed partial class Classifier
            {
                [Flatten, Linear(780)] partial Linear Stem { get; }
                [/*@*/Nested]          partial Features Backbone { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """, addUsings: false);

        Assert.Contains("'Backbone'", Message(d), StringComparison.Ordinal);
        Assert.Contains("[B, 784]", Message(d), StringComparison.Ordinal);
        Assert.Contains("[B, 780]", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0109_nested_input_mismatch_message_does_not_repeat_itself()
    {
        Diagnostic d = AssertDiagnostic("MDL0109", TestModels.Usings + """
            [Model]
            public sealed partial class Features
            {
                [Linear(64), ReLU] partial Linear Hidden { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }

            [Model]
            public sealed partial class Classifier
            {
                [Flatten, Linear(780)] partial Linear Stem { get; }
                [/*@*/Nested]          partial Features Backbone { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """, addUsings: false);

        string message = Message(d);
        Assert.StartsWith("Nested model 'Backbone' of type 'Features': ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Nested model 'x'", message, StringComparison.Ordinal);
        Assert.Equal(1, message.Split("Nested model").Length - 1);
    }

    [Fact]
    public void MDL0143_nested_model_with_a_private_constructor()
    {
        Diagnostic d = AssertDiagnostic("MDL0143", """
            [Model]
            public sealed partial class Block
            {
                private partial Block(int width);
                [Linear("width")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }

            [Model]
            public sealed partial class Outer
            {
                [/*@*/Nested(8)] partial Block Inner { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """);

        Assert.Contains("'Inner'", Message(d), StringComparison.Ordinal);
        Assert.Contains("private", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0110_repeated_block_changes_the_shape()
    {
        Diagnostic d = AssertDiagnostic("MDL0110", TestModels.Usings + """
            [Model]
            public sealed partial class Widen
            {
                public partial Widen(int width);
                [Linear("width + 1")] partial Linear Proj { get; }
                public partial Tensor Forward([Shape("B", "width")] Tensor x);
            }

            [Model]
            public sealed partial class Stack
            {
                [/*@*/Nested(64, Repeat = 3)] public partial ModuleList<Widen> Blocks { get; }
                public partial Tensor Forward([Shape("B", 64)] Tensor x);
            }
            """, addUsings: false);

        Assert.Equal("'Blocks' repeats 'Widen', which turns [B, 64] into [B, 65]; a repeated block must keep its input shape", Message(d));
    }

    [Fact]
    public void MDL0111_concatenated_tensors_do_not_fit()
    {
        Diagnostic d = AssertDiagnostic("MDL0111", """
            [Model]
            public sealed partial class Tower
            {
                [Linear(16)]                                     partial Linear Left { get; }
                [Input("y"), /*@*/Concat("Left", Dim = 2), Linear(8)] partial Linear Right { get; }
                public partial Tensor Forward([Shape("B", 4, 10)] Tensor x, [Shape("B", 5, 10)] Tensor y);
            }
            """);

        Assert.Equal("Concat on 'Right' along dim 2 cannot join [B, 5, 10] and [B, 4, 16] from 'Left'", Message(d));
    }

    [Fact]
    public void MDL0112_attention_width_not_a_multiple_of_the_heads()
    {
        Diagnostic d = AssertDiagnostic("MDL0112", """
            [Model]
            public sealed partial class Gpt
            {
                [/*@*/CausalSelfAttention(Heads = 5)] partial ModelDsl.Layers.CausalSelfAttention Attn { get; }
                public partial Tensor Forward([Shape("B", "T", 64)] Tensor x);
            }
            """);

        Assert.Contains("'Attn'", Message(d), StringComparison.Ordinal);
        Assert.Contains("64", Message(d), StringComparison.Ordinal);
        Assert.Contains("5", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0113_tied_weights_differ_in_shape()
    {
        Diagnostic d = AssertDiagnostic("MDL0113", """
            [Model]
            public sealed partial class LanguageModel
            {
                [Embedding(100, 32)]            partial Embedding Tokens { get; }
                [Linear(50, TiedTo = "Tokens")] partial Linear /*@*/Head { get; }
                public partial Tensor Forward([Shape("B", "T")] Tensor x);
            }
            """);

        Assert.Equal("Linear 'Head' cannot share its weight [50, 32] with 'Tokens', whose weight is [100, 32]", Message(d));
    }

    [Fact]
    public void MDL0113_tie_to_a_member_that_is_itself_tied()
    {
        Diagnostic d = AssertDiagnostic("MDL0113", """
            [Model]
            public sealed partial class Translator
            {
                [Embedding(100, 32)]                                     partial Embedding Source { get; }
                [Input("target"), Embedding(100, 32, TiedTo = "Source")] partial Embedding Target { get; }
                [Linear(100, TiedTo = "Target")]                         partial Linear /*@*/Head { get; }
                public partial Tensor Forward([Shape("B", "S")] Tensor x, [Shape("B", "T")] Tensor target);
            }
            """);

        Assert.Equal("Linear 'Head' cannot share its weight [100, 32] with 'Target', whose weight is itself tied to 'Source'; tie to 'Source' directly", Message(d));
    }

    [Fact]
    public void MDL0018_tie_condition_that_is_not_a_bool()
    {
        Diagnostic d = AssertDiagnostic("MDL0018", """
            [Model]
            public sealed partial class LanguageModel
            {
                public partial LanguageModel(int vocab, int share);

                [Embedding("vocab", 32)]                                          partial Embedding Tokens { get; }
                [/*@*/Linear("vocab", TiedTo = "Tokens", TiedWhen = "share")] partial Linear Head { get; }
                public partial Tensor Forward([Shape("B", "T")] Tensor x);
            }
            """);

        Assert.Equal("Linear on 'Head': TiedWhen cannot decide the tie: 'share' is a int, not a bool", Message(d));
    }

    [Fact]
    public void MDL0114_gan_generator_output_does_not_fit_the_discriminator()
    {
        Diagnostic d = AssertDiagnostic("MDL0114", """
            [Model]
            public sealed partial class Generator
            {
                [Linear(784), Tanh, Reshape(1, 28, 28)] partial Linear Project { get; }
                [return: Shape("B", 1, 28, 28)]
                public partial Tensor Forward([Shape("B", 100)] Tensor z);
            }

            [Model]
            public sealed partial class Discriminator
            {
                [Flatten, Linear(1)] partial Linear Score { get; }
                public partial Tensor Forward([Shape("B", 1, 32, 32)] Tensor x);
            }

            [/*@*/Gan(typeof(Generator), typeof(Discriminator))]
            public sealed partial class Pair
            {
            }
            """);

        Assert.Contains("[B, 1, 28, 28]", Message(d), StringComparison.Ordinal);
        Assert.Contains("[B, 1, 32, 32]", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0115_progressive_column_with_an_unsupported_layer()
    {
        Diagnostic d = AssertDiagnostic("MDL0115", """
            [Model, ProgressiveColumn]
            public sealed partial class Column
            {
                [Conv2d(8, Padding = 1), ReLU]    partial Conv2d Conv { get; }
                [ConvTranspose2d(1, Padding = 1)] partial ConvTranspose2d /*@*/Up { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }
            """);

        Assert.Contains("'Column'", Message(d), StringComparison.Ordinal);
        Assert.Contains("'Up'", Message(d), StringComparison.Ordinal);
        Assert.Contains("ConvTranspose2d", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0999_internal_error_descriptor_exists()
    {
        // A generator defect cannot be triggered on purpose; the descriptor must exist, be an error and say so.
        DiagnosticDescriptor descriptor = Descriptors().Single(d => d.Id == "MDL0999");

        Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Contains("{0}", descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    // ---- robustness: malformed input becomes diagnostics, never a crash ----

    [Theory]
    [InlineData("[Linear] partial Linear A { get; }")]
    [InlineData("[Linear(true)] partial Linear A { get; }")]
    [InlineData("[Linear(null)] partial Linear A { get; }")]
    [InlineData("[Linear(1.5)] partial Linear A { get; }")]
    [InlineData("[Linear(\"\")] partial Linear A { get; }")]
    [InlineData("[Linear(\"2 *\")] partial Linear A { get; }")]
    [InlineData("[Linear(\"4 / 0\")] partial Linear A { get; }")]
    [InlineData("[Linear(\"99999999999999999999\")] partial Linear A { get; }")]
    [InlineData("[Linear(-3)] partial Linear A { get; }")]
    [InlineData("[Linear(10), Reshape] partial Linear A { get; }")]
    [InlineData("[Linear(10), Reshape(new object[0])] partial Linear A { get; }")]
    [InlineData("[Linear(10), Concat] partial Linear A { get; }")]
    [InlineData("[Linear(10), Concat(null)] partial Linear A { get; }")]
    [InlineData("[Linear(10), Residual(From = \"\")] partial Linear A { get; }")]
    [InlineData("[Linear(10), Input(null)] partial Linear A { get; }")]
    [InlineData("[Linear(10), Softmax(Dim = -7)] partial Linear A { get; }")]
    [InlineData("[Linear(10), Flatten(StartDim = 9)] partial Linear A { get; }")]
    [InlineData("[Linear(10), Dropout(2.0)] partial Linear A { get; }")]
    [InlineData("[Linear(10), Dropout(\"rate\")] partial Linear A { get; }")]
    [InlineData("[Linear(10), LeakyReLU(double.NaN)] partial Linear A { get; }")]
    [InlineData("[Conv2d(4, Kernel = 0)] partial Conv2d A { get; }")]
    [InlineData("[Conv2d(4, Stride = 0)] partial Conv2d A { get; }")]
    [InlineData("[MaxPool2d(0), Linear(3)] partial Linear A { get; }")]
    [InlineData("[Nested] partial Linear A { get; }")]
    [InlineData("[Nested(Repeat = 2)] partial Linear A { get; }")]
    [InlineData("[Embedding(0, 0)] partial Embedding A { get; }")]
    [InlineData("[Linear(10)] partial Linear A { get; } [Linear(10)] partial Linear A { get; }")]
    [InlineData("[Linear(10)] partial Linear A { get; ")]
    [InlineData("[Linear(10)] partial UnknownType A { get; }")]
    [InlineData("[Linear(10)] static partial Linear A { get; }")]
    public void Malformed_members_never_crash_the_generator(string member)
    {
        AssertReportedNotCrashed(TestModels.Usings + $$"""
            [Model]
            public sealed partial class Model
            {
                {{member}}
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """);
    }

    [Theory]
    [InlineData("public partial Tensor Forward();")]
    [InlineData("public partial Tensor Forward([Shape] Tensor x);")]
    [InlineData("public partial Tensor Forward([Shape(null)] Tensor x);")]
    [InlineData("public partial Tensor Forward([Shape(\"B\", 0)] Tensor x);")]
    [InlineData("public partial Tensor Forward([Shape(\"B\", 1.5)] Tensor x);")]
    [InlineData("public partial Tensor Forward([Shape(\"B\", \"2 *\")] Tensor x);")]
    [InlineData("public partial Tensor Forward([Shape(\"B\", 8)] ref Tensor x);")]
    [InlineData("public partial Tensor Forward([Shape(\"B\", 8)] int x);")]
    [InlineData("public partial Tensor Forward<T>([Shape(\"B\", 8)] Tensor x);")]
    [InlineData("[return: Shape(\"B\", \"Q\")] public partial Tensor Forward([Shape(\"B\", 8)] Tensor x);")]
    [InlineData("public partial Tensor Forward([Shape(\"B\", 8)] Tensor x); public partial Tensor Forward([Shape(\"B\", 8)] Tensor x, Tensor y);")]
    [InlineData("public Tensor Forward([Shape(\"B\", 8)] Tensor x) => x;")]
    [InlineData("public partial Tensor Forward([Shape(\"B\", 8)] Tensor x")]
    public void Malformed_forward_declarations_never_crash_the_generator(string forward)
    {
        AssertReportedNotCrashed(TestModels.Usings + $$"""
            [Model]
            public sealed partial class Model
            {
                [Linear(10)] partial Linear A { get; }
                {{forward}}
            }
            """);
    }

    [Theory]
    [InlineData("[Model] public abstract partial class Model { }")]
    [InlineData("[Model] public static partial class Model { }")]
    [InlineData("[Model] public partial class Model : System.Exception { }")]
    [InlineData("[Model] public partial class Model { public partial Model(int a, int a); }")]
    [InlineData("[Model] public partial struct Model { }")]
    [InlineData("[Model] public partial class Model { [Nested] partial Model Self { get; } public partial Tensor Forward([Shape(\"B\", 8)] Tensor x); }")]
    [InlineData("[Model] public partial class Model")]
    public void Malformed_model_declarations_never_crash_the_generator(string declaration)
    {
        AssertReportedNotCrashed(TestModels.Usings + declaration);
    }

    /// <summary>
    /// The generator neither throws (CS8785, AD0001) nor reports its internal-error diagnostic MDL0999, and the user
    /// sees at least one error (from the generator or the compiler) for the malformed input.
    /// </summary>
    private static void AssertReportedNotCrashed(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);

        run.AssertNoGeneratorFailure();
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "MDL0999");
        Assert.Contains(run.GeneratorDiagnostics.Concat(run.OutputDiagnostics), d => d.Severity == DiagnosticSeverity.Error);
    }

    // ---- the catalogue ----

    [Fact]
    public void Every_descriptor_is_enabled_with_a_unique_MDL_id_and_its_explanation_and_only_advice_is_a_warning()
    {
        IReadOnlyList<DiagnosticDescriptor> descriptors = Descriptors();

        Assert.NotEmpty(descriptors);
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(descriptors, d =>
        {
            Assert.Matches("^MDL[0-9]{4}$", d.Id);
            // A model that builds with a warning still does what it says; every other finding stops the build.
            Assert.Equal(Warnings.Contains(d.Id) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.True(d.IsEnabledByDefault);
            Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString(CultureInfo.InvariantCulture)));
            // The IDE shows the explanation without the docs; a link exists only where a build configures one.
            Assert.True(d.Description.ToString(CultureInfo.InvariantCulture).Length >= 40, $"{d.Id} has no description");
            Assert.Equal("", d.HelpLinkUri);
        });
    }

    [Theory]
    [InlineData("https://example.org/modeldsl/diagnostics#", "https://example.org/modeldsl/diagnostics#mdl0101")]
    [InlineData("docs/diagnostics.md#", "")]
    [InlineData(null, "")]
    public void Help_links_are_absolute_where_a_build_configures_them_and_absent_otherwise(string? linkBase, string expected)
    {
        string source = TestModels.Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(784, 10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 780)] Tensor x);
            }
            """;
        var options = new TestOptionsProvider(linkBase is null ? [] : [("build_property.ModelDslHelpLinkBase", linkBase)]);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([GeneratorHarness.CreateModelGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions, optionsProvider: options);

        driver = driver.RunGenerators(GeneratorHarness.CreateCompilation(source));

        Diagnostic d = Assert.Single(driver.GetRunResult().Diagnostics);
        Assert.Equal("MDL0101", d.Id);
        Assert.Equal(expected, d.Descriptor.HelpLinkUri);
    }

    [Fact]
    public void Every_diagnostic_id_has_a_test_here()
    {
        var tested = typeof(DiagnosticTests).GetMethods()
            .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
            .Select(m => m.Name.Split('_')[0])
            .ToHashSet(StringComparer.Ordinal);

        var untested = Descriptors().Select(d => d.Id).Where(id => !tested.Contains(id)).ToList();
        Assert.True(untested.Count == 0, "Diagnostic IDs without a test: " + string.Join(", ", untested));
    }

    [Fact]
    public void Descriptors_and_AnalyzerReleases_Unshipped_list_the_same_rules()
    {
        string path = Path.Combine(RepositoryRoot(), "src", "Generator", "AnalyzerReleases.Unshipped.md");
        var rows = File.ReadAllLines(path)
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length >= 3 && c[0].StartsWith("MDL", StringComparison.Ordinal))
            .ToDictionary(c => c[0], c => (Category: c[1], Severity: c[2]), StringComparer.Ordinal);

        var descriptors = Descriptors().ToDictionary(d => d.Id, StringComparer.Ordinal);

        Assert.Equal(descriptors.Keys.OrderBy(k => k, StringComparer.Ordinal), rows.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(descriptors.Values, d =>
        {
            Assert.Equal(d.Category, rows[d.Id].Category);
            Assert.Equal(d.DefaultSeverity.ToString(), rows[d.Id].Severity);
        });
    }

    // ---- helpers ----

    /// <summary>
    /// Runs the generator over <paramref name="markedSource"/> (prefixed with <see cref="TestModels.Usings"/> unless
    /// <paramref name="addUsings"/> is false) and asserts exactly one ModelDsl diagnostic: <paramref name="id"/>, an
    /// error, at the position right after the single <c>/*@*/</c> marker in <c>Source0.cs</c>; unless
    /// <paramref name="onlyThisError"/> is false, the compilation with the generated code has no other error.
    /// </summary>
    private static Diagnostic AssertDiagnostic(string id, string markedSource, bool addUsings = true, bool onlyThisError = true)
    {
        Assert.DoesNotContain(id, Warnings);
        return AssertReported(id, DiagnosticSeverity.Error, markedSource, addUsings, onlyThisError);
    }

    /// <summary>As <see cref="AssertDiagnostic"/>, for a warning: the model still builds, with this one warning.</summary>
    private static Diagnostic AssertWarning(string id, string markedSource)
    {
        Assert.Contains(id, Warnings);
        return AssertReported(id, DiagnosticSeverity.Warning, markedSource, addUsings: true, onlyThisError: true);
    }

    private static Diagnostic AssertReported(string id, DiagnosticSeverity severity, string markedSource, bool addUsings, bool onlyThisError)
    {
        string source = addUsings ? TestModels.Usings + markedSource : markedSource;
        (int line, int column) = MarkerPosition(source);

        GeneratorRun run = GeneratorHarness.Run(source);
        run.AssertNoGeneratorFailure();

        var modelDsl = run.GeneratorDiagnostics.Where(d => d.Id.StartsWith("MDL", StringComparison.Ordinal)).ToList();
        Assert.True(
            modelDsl.Count == 1 && modelDsl[0].Id == id,
            $"Expected exactly one {id}, got: [{string.Join("; ", modelDsl.Select(GeneratorRun.Describe))}]");
        Diagnostic d = modelDsl[0];

        // The generator completes the declaration (placeholder members) so the user sees the MDL error alone,
        // not a cascade of "partial member must have an implementation part" errors.
        if (onlyThisError)
        {
            Assert.True(run.OutputErrors.IsEmpty, $"{id} comes with compiler errors: {string.Join("; ", run.OutputErrors.Select(GeneratorRun.Describe))}");
        }

        Assert.Equal(severity, d.Severity);
        Assert.Equal(severity, d.Descriptor.DefaultSeverity);

        FileLinePositionSpan span = d.Location.GetLineSpan();
        Assert.Equal($"{GeneratorHarness.DefaultSourcePrefix}0.cs", span.Path);
        Assert.True(
            (line, column) == (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1),
            $"Expected {id} at ({line},{column}), got: {GeneratorRun.Describe(d)}");
        Assert.Equal(source.Length > 0, d.Location.SourceSpan.Length > 0);
        return d;
    }

    /// <summary>The 1-based line and column of the character right after the single marker.</summary>
    private static (int Line, int Column) MarkerPosition(string source)
    {
        int index = source.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(index >= 0, "The source has no /*@*/ marker.");
        Assert.True(source.IndexOf(Marker, index + 1, StringComparison.Ordinal) < 0, "The source has more than one marker.");
        int position = index + Marker.Length;
        string before = source.Substring(0, position).Replace("\r\n", "\n", StringComparison.Ordinal);
        int line = before.Count(c => c == '\n') + 1;
        int column = before.Length - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    private static string Message(Diagnostic d) => d.GetMessage(CultureInfo.InvariantCulture);

    /// <summary>Every <see cref="DiagnosticDescriptor"/> field of the generator's internal <c>DiagnosticDescriptors</c> class.</summary>
    internal static IReadOnlyList<DiagnosticDescriptor> Descriptors()
    {
        Type type = typeof(ModelGenerator).Assembly.GetType("ModelDsl.Generator.Diagnostics.DiagnosticDescriptors", throwOnError: true)!;
        return type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The repository root, found from this source file's path (the source tree, not bin/).</summary>
    internal static string RepositoryRoot([CallerFilePath] string thisFile = "")
    {
        for (string? dir = Path.GetDirectoryName(thisFile); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Directory.Packages.props")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException($"No Directory.Packages.props above {thisFile}.");
    }
}
