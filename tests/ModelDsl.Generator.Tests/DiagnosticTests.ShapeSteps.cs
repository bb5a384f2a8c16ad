using System;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The diagnostics of the shape steps, arithmetic between branches, several outputs and <c>[Call]</c>: one test per
/// ID, with the position an IDE shows and what the message must name.
/// </summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void MDL0010_returned_tuple_element_without_a_name()
    {
        Diagnostic d = AssertDiagnostic("MDL0010", """
            [Model]
            public sealed partial class Heads
            {
                [Linear(10)] partial Linear Mu { get; }
                [Input("x"), Linear(10)] partial Linear LogVar { get; }
                public partial (Tensor Mu, Tensor) /*@*/Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("'Heads'", Message(d), StringComparison.Ordinal);
        Assert.Contains("element 2", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0011_one_return_shape_for_two_values()
    {
        Diagnostic d = AssertDiagnostic("MDL0011", """
            [Model]
            public sealed partial class Heads
            {
                [Linear(10)] partial Linear Mu { get; }
                [Input("x"), Linear(10)] partial Linear LogVar { get; }
                [return: /*@*/Shape("B", 10)]
                public partial (Tensor Mu, Tensor LogVar) Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("returns 2 value(s) but declares 1", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0012_call_names_no_method()
    {
        Diagnostic d = AssertDiagnostic("MDL0012", """
            [Model]
            public sealed partial class Net
            {
                [Linear(10), /*@*/Call("Missing")] partial Linear Fc { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Equal("'Missing' in [Call] on 'Fc' is not a method of 'Net'", Message(d));
    }

    [Fact]
    public void MDL0013_call_target_without_a_shape_contract()
    {
        Diagnostic d = AssertDiagnostic("MDL0013", """
            [Model]
            public sealed partial class Net
            {
                [Linear(10), /*@*/Call(nameof(Twice))] partial Linear Fc { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);

                static Tensor Twice(Tensor x) => x * 2;
            }
            """);

        Assert.Contains("'Twice'", Message(d), StringComparison.Ordinal);
        Assert.Contains("no shape contract", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0013_call_target_that_does_not_return_a_tensor()
    {
        Diagnostic d = AssertDiagnostic("MDL0013", """
            [Model]
            public sealed partial class Net
            {
                [Linear(10), /*@*/Call(nameof(Count))] partial Linear Fc { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);

                [return: Shape("B")]
                static long Count([Shape("B", 10)] Tensor x) => x.shape[0];
            }
            """);

        Assert.Contains("must return Tensor", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0116_transpose_axis_out_of_range()
    {
        Diagnostic d = AssertDiagnostic("MDL0116", """
            [Model]
            public sealed partial class Mixer
            {
                [/*@*/Transpose(1, 3), Linear(16)] partial Linear TokenMix { get; }
                public partial Tensor Forward([Shape("B", 16, 32)] Tensor x);
            }
            """);

        Assert.Equal("Transpose on 'TokenMix': dim 3 is out of range for [B, 16, 32] (rank 3)", Message(d));
    }

    [Fact]
    public void MDL0116_softmax_dim_out_of_range_names_the_shape()
    {
        Diagnostic d = AssertDiagnostic("MDL0116", """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10), /*@*/Softmax(Dim = 2)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("[B, 10]", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0117_chunk_does_not_divide_the_dimension()
    {
        Diagnostic d = AssertDiagnostic("MDL0117", """
            [Model]
            public sealed partial class Heads
            {
                [Linear(10), /*@*/Chunk("a", "b", "c")] partial Linear Fc { get; }
                [Input("a"), Linear(1)] partial Linear Out { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Equal("Chunk on 'Fc' cannot cut size 10 of [B, 10] into 3 equal parts", Message(d));
    }

    [Fact]
    public void MDL0117_split_sizes_do_not_add_up()
    {
        Diagnostic d = AssertDiagnostic("MDL0117", """
            [Model]
            public sealed partial class Heads
            {
                [Linear(10), /*@*/Split("a", "b", Sizes = new object[] { 4, 5 })] partial Linear Fc { get; }
                [Input("a"), Linear(1)] partial Linear Out { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Contains("parts of 4 + 5 = 9", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0118_multiply_cannot_broadcast()
    {
        Diagnostic d = AssertDiagnostic("MDL0118", """
            [Model]
            public sealed partial class Glu
            {
                [Linear(64), SiLU] partial Linear Gate { get; }
                [Input("x"), Linear(32), /*@*/Multiply(nameof(Gate))] partial Linear Up { get; }
                public partial Tensor Forward([Shape("B", "T", 16)] Tensor x);
            }
            """);

        Assert.Equal("Multiply on 'Up' cannot broadcast [B, T, 64] from 'Gate' with [B, T, 32]", Message(d));
    }

    [Fact]
    public void MDL0119_value_does_not_fit_the_call_contract()
    {
        Diagnostic d = AssertDiagnostic("MDL0119", """
            [Model]
            public sealed partial class Vae
            {
                [Linear(20)] partial Linear Mu { get; }
                [Input("x"), Linear(10)] partial Linear LogVar { get; }
                [Input(nameof(Mu)), /*@*/Call(nameof(Sample), nameof(LogVar)), Linear(784)] partial Linear Decode { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);

                [return: Shape("N", "D")]
                static Tensor Sample([Shape("N", "D")] Tensor mu, [Shape("N", "D")] Tensor logVar) => mu + logVar;
            }
            """);

        Assert.Equal("Sample on 'Decode': parameter 'logVar' declares [N, D] but receives [B, 10] (dim 1 = 20 differs)", Message(d));
    }

    [Fact]
    public void MDL0120_squeeze_of_a_dim_that_is_not_1()
    {
        Diagnostic d = AssertDiagnostic("MDL0120", """
            [Model]
            public sealed partial class Pool
            {
                [Conv2d(8), AdaptiveAvgPool2d(1, 2), /*@*/Squeeze(3)] partial Conv2d Conv { get; }
                public partial Tensor Forward([Shape("B", 3, 32, 32)] Tensor x);
            }
            """);

        Assert.Equal("Squeeze on 'Conv': dim 3 of [B, 8, 1, 2] is 2, not 1", Message(d));
    }

    [Fact]
    public void MDL0121_reshape_that_only_reorders_dims_warns()
    {
        Diagnostic d = AssertWarning("MDL0121", """
            [Model]
            public sealed partial class Mixer
            {
                [/*@*/Reshape(32, 16), Linear(16)] partial Linear TokenMix { get; }
                public partial Tensor Forward([Shape("B", 16, 32)] Tensor x);
            }
            """);

        Assert.Contains("turns [B, 16, 32] into [B, 32, 16]", Message(d), StringComparison.Ordinal);
        Assert.Contains("Transpose or Permute", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0122_permute_order_repeats_a_dim()
    {
        Diagnostic d = AssertDiagnostic("MDL0122", """
            [Model]
            public sealed partial class Net
            {
                [Conv2d(8), /*@*/Permute(0, 2, 2, 1), Flatten, Linear(10)] partial Conv2d Conv { get; }
                public partial Tensor Forward([Shape("B", 3, 32, 32)] Tensor x);
            }
            """);

        Assert.Equal("Permute on 'Conv': (0, 2, 2, 1) is not an order of the 4 dims of [B, 8, 30, 30]", Message(d));
    }

    [Fact]
    public void MDL0123_returned_name_is_no_value()
    {
        Diagnostic d = AssertDiagnostic("MDL0123", """
            [Model]
            public sealed partial class Heads
            {
                [Linear(10)] partial Linear Mu { get; }
                [Input("x"), Linear(10)] partial Linear LogVar { get; }
                public partial (Tensor Mu, Tensor Sigma) /*@*/Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Equal("Forward of 'Heads' returns 'Sigma', which is not an argument, member or split part (known: x, Mu, LogVar)", Message(d));
    }

    [Fact]
    public void MDL0124_split_part_named_like_an_argument()
    {
        Diagnostic d = AssertDiagnostic("MDL0124", """
            [Model]
            public sealed partial class Heads
            {
                [Linear(20), Chunk("x", "y")] partial Linear /*@*/Fc { get; }
                [Input("y"), Linear(1)] partial Linear Out { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.StartsWith("'x' on 'Fc' names a value that already exists", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void MDL0125_member_after_a_split_reads_no_value()
    {
        Diagnostic d = AssertDiagnostic("MDL0125", """
            [Model]
            public sealed partial class Heads
            {
                [Linear(20), Chunk("mu", "logVar")] partial Linear Fc { get; }
                [Linear(1)] partial Linear /*@*/Out { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """);

        Assert.Equal("'Fc' is split into mu, logVar and has no value of its own; read one of its parts (start the next member with [Input(...)])", Message(d));
    }

    [Fact]
    public void MDL0126_conditional_gan_with_different_conditions()
    {
        Diagnostic d = AssertDiagnostic("MDL0126", """
            [Model]
            public sealed partial class Generator
            {
                [Input("labels"), Embedding(10, 10)] partial Embedding Label { get; }
                [Concat("z"), Linear(784), Tanh, Reshape(1, 28, 28)] partial Linear Project { get; }
                public partial Tensor Forward([Shape("B", 100)] Tensor z, [Shape("B")] Tensor labels);
            }

            [Model]
            public sealed partial class Discriminator
            {
                [Flatten, Linear(1)] partial Linear Score { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor x);
            }

            [/*@*/Gan(typeof(Generator), typeof(Discriminator))]
            public sealed partial class Pair
            {
            }
            """);

        Assert.Equal("Generator 'Generator' takes the conditions 'labels' [B] but discriminator 'Discriminator' takes none", Message(d));
    }
}
