using System;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The diagnostics that took over causes a catch-all ID used to cover: one test per ID, with the position an IDE shows,
/// what the message must name, and the repair a code fix reads from the diagnostic where there is one.
/// </summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void MDL0020_member_declared_twice()
    {
        Diagnostic d = AssertDiagnostic("MDL0020", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x, [Shape("B", 784)] Tensor /*@*/x);
            }
            """, onlyThisError: false); // the compiler reports the duplicate parameter too

        Assert.Equal("'x' of 'Mlp' is declared more than once", Message(d));
    }

    [Fact]
    public void MDL0021_member_with_two_accessibilities()
    {
        Diagnostic d = AssertDiagnostic("MDL0021", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] public private partial Linear /*@*/Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """, onlyThisError: false); // so does the compiler

        Assert.Equal("'Output' of 'Mlp': its modifiers 'public private' are not one accessibility", Message(d));
    }

    [Fact]
    public void MDL0025_dropout_rate_above_one()
    {
        Diagnostic d = AssertDiagnostic("MDL0025", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10), /*@*/Dropout(1.5)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Equal("Dropout on 'Output': p must be between 0 and 1, not 1.5", Message(d));
    }

    [Fact]
    public void MDL0026_output_padding_not_below_the_stride()
    {
        Diagnostic d = AssertDiagnostic("MDL0026", """
            [Model]
            public sealed partial class Up
            {
                [/*@*/ConvTranspose2d(1, Kernel = 4, Stride = 2, OutputPadding = 2)] partial ConvTranspose2d Layer { get; }
                public partial Tensor Forward([Shape("B", 8, 7, 7)] Tensor x);
            }
            """);

        Assert.Equal("ConvTranspose2d on 'Layer': OutputPadding (2) must be smaller than Stride (2)", Message(d));
    }

    [Fact]
    public void MDL0027_stride_from_a_hyperparameter()
    {
        Diagnostic d = AssertDiagnostic("MDL0027", """
            [Model]
            public sealed partial class Net
            {
                public partial Net(int stride);

                [/*@*/Conv2d(8, Stride = "stride")] partial Conv2d Conv { get; }
                public partial Tensor Forward([Shape("B", 3, 32, 32)] Tensor x);
            }
            """);

        Assert.Equal("Conv2d on 'Conv': Stride must be a constant, not \"stride\"", Message(d));
    }

    [Fact]
    public void MDL0028_attribute_outside_the_catalogue()
    {
        Diagnostic d = AssertDiagnostic("MDL0028", """
            public sealed class SwishAttribute : StepAttribute
            {
            }

            [Model]
            public sealed partial class Net
            {
                [Linear(10), /*@*/Swish] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Equal("[Swish] on 'Output' is not a layer or step of the ModelDsl catalogue", Message(d));
    }

    [Fact]
    public void MDL0030_reshape_without_dims()
    {
        Diagnostic d = AssertDiagnostic("MDL0030", """
            [Model]
            public sealed partial class Net
            {
                [Linear(12), /*@*/Reshape] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Equal("Reshape on 'Output': give at least one dimension", Message(d));
    }

    [Fact]
    public void MDL0031_gan_of_a_class_that_is_no_model()
    {
        Diagnostic d = AssertDiagnostic("MDL0031", """
            [Model]
            public sealed partial class Gen
            {
                [Linear(784), Tanh] partial Linear Project { get; }
                public partial Tensor Forward([Shape("B", 100)] Tensor z);
            }

            [/*@*/Gan(typeof(Gen), typeof(string))]
            public sealed partial class Pair
            {
            }
            """);

        Assert.Equal("[Gan] on 'Pair': both arguments must be typeof(...) of [Model] classes", Message(d));
    }

    [Fact]
    public void MDL0036_forward_with_a_body()
    {
        Diagnostic d = AssertDiagnostic("MDL0036", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor /*@*/Forward([Shape("B", 784)] Tensor x);
                public partial Tensor Forward(Tensor x) => x;
            }
            """, onlyThisError: false); // the body's parameter lacks the definition's attribute

        Assert.StartsWith("Forward of 'Mlp': it is implemented already", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0037_return_shape_with_an_unbound_dim()
    {
        Diagnostic d = AssertDiagnostic("MDL0037", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                [return: /*@*/Shape("N", 10)]
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Equal("Forward of 'Mlp': 'N' in the return shape is not a hyperparameter nor a symbolic dim of an argument", Message(d));
    }

    [Fact]
    public void MDL0039_layer_type_without_its_using()
    {
        Diagnostic d = AssertDiagnostic("MDL0039", """
            using ModelDsl;
            using TorchSharp.Modules;
            using static TorchSharp.torch;

            namespace Samples;

            [Model]
            public sealed partial class Block
            {
                [LayerNorm] partial LayerNorm Ln { get; }
                [CausalSelfAttention(Heads = 4), Residual(From = "x")] partial CausalSelfAttention /*@*/Attn { get; }
                public partial Tensor Forward([Shape("B", "T", 64)] Tensor x);
            }
            """, addUsings: false, onlyThisError: false); // the compiler reports the unknown type, CS0246

        Assert.Equal("Member 'Attn': the type 'CausalSelfAttention' is not found; add 'using ModelDsl.Layers;'", Message(d));
        Assert.Equal(("AddUsing", "ModelDsl.Layers"), (d.Properties["ModelDsl.Fix"], d.Properties["Namespace"]));
    }

    [Fact]
    public void MDL0140_cross_attention_memory_of_another_width()
    {
        Diagnostic d = AssertDiagnostic("MDL0140", """
            [Model]
            public sealed partial class Decoder
            {
                [/*@*/Attention(Heads = 4, Memory = "memory")] partial ModelDsl.Layers.Attention Cross { get; }
                public partial Tensor Forward([Shape("B", "T", 64)] Tensor x, [Shape("B", "S", 32)] Tensor memory);
            }
            """);

        Assert.Equal("Attention 'Cross' expects memory [B, S, 64] but receives [B, S, 32]", Message(d));
    }

    [Fact]
    public void MDL0141_sequence_longer_than_the_position_table()
    {
        Diagnostic d = AssertDiagnostic("MDL0141", """
            [Model]
            public sealed partial class Lm
            {
                [Embedding(65, 32)]            partial Embedding Tokens { get; }
                [/*@*/PositionalEmbedding(16)] partial Embedding Positions { get; }
                public partial Tensor Forward([Shape("B", 32)] Tensor idx);
            }
            """);

        Assert.Equal("PositionalEmbedding 'Positions' has 16 positions but receives [B, 32, 32]", Message(d));
    }

    [Fact]
    public void MDL0144_progressive_column_without_a_dense_or_convolution_layer()
    {
        Diagnostic d = AssertDiagnostic("MDL0144", """
            [Model, ProgressiveColumn]
            public sealed partial class /*@*/Column
            {
                [LayerNorm] partial LayerNorm Norm { get; }
                public partial Tensor Forward([Shape("B", 32)] Tensor x);
            }
            """);

        Assert.Equal("Progressive column 'Column' has no Linear or Conv2d layer", Message(d));
    }

    [Fact]
    public void MDL0145_residual_between_two_sequence_lengths_warns()
    {
        Diagnostic d = AssertWarning("MDL0145", """
            [Model]
            public sealed partial class Mixer
            {
                [Input("y"), Linear(16), /*@*/Residual(From = "x")] partial Linear Project { get; }
                public partial Tensor Forward([Shape("B", "T", 16)] Tensor x, [Shape("B", "S", 16)] Tensor y);
            }
            """);

        Assert.Equal("Residual on 'Project' needs S = T: different symbolic dims, checked when Forward runs", Message(d));
    }
}
