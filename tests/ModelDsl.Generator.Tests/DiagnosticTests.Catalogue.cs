using System;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The diagnostics of the catalogue's second layer set (recurrent layers, group and RMS normalisation, rotary
/// attention, learned tensors, Select) and of nesting: one test per ID, with the position an IDE shows and what the
/// message must name.
/// </summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void MDL0014_lstm_state_with_one_name()
    {
        Diagnostic d = AssertDiagnostic("MDL0014", """
            [Model]
            public sealed partial class CharModel
            {
                [/*@*/LSTM(64, InitialState = new[] { "h0" })] partial LSTM Rnn { get; }
                public partial Tensor Forward([Shape("B", "T", 16)] Tensor x, [Shape(1, "B", 64)] Tensor h0);
            }
            """);

        Assert.Equal("LSTM on 'Rnn': InitialState names 1 value(s), but an LSTM's state is two tensors (h, c); name both, in that order, or none", Message(d));
    }

    [Fact]
    public void MDL0016_negative_rms_norm_eps()
    {
        Diagnostic d = AssertDiagnostic("MDL0016", """
            [Model]
            public sealed partial class Net
            {
                [/*@*/RMSNorm(Eps = -1e-6)] partial ModelDsl.Layers.RMSNorm Norm { get; }
                public partial Tensor Forward([Shape("B", "T", 64)] Tensor x);
            }
            """);

        Assert.Equal("RMSNorm on 'Norm': Eps must not be negative, not -1E-06", Message(d));
    }

    [Fact]
    public void MDL0017_rotary_attention_over_a_memory()
    {
        Diagnostic d = AssertDiagnostic("MDL0017", """
            [Model]
            public sealed partial class Decoder
            {
                [/*@*/Attention(Heads = 4, Memory = "memory", Rotary = true)] partial ModelDsl.Layers.Attention Cross { get; }
                public partial Tensor Forward([Shape("B", "T", 64)] Tensor x, [Shape("B", "S", 64)] Tensor memory);
            }
            """);

        Assert.Equal("Attention on 'Cross': Rotary applies to self-attention; it cannot be combined with Memory", Message(d));
    }

    [Fact]
    public void MDL0015_model_that_contains_itself()
    {
        Diagnostic d = AssertDiagnostic("MDL0015", """
            [Model]
            public sealed partial class Block
            {
                public partial Block(int width);

                [Linear("width"), ReLU]   partial Linear Fc { get; }
                [/*@*/Nested("width")]    partial Block Inner { get; }

                public partial Tensor Forward([Shape("B", "width")] Tensor x);
            }
            """);

        Assert.Equal("Member 'Inner' of type 'Block' makes a model contain itself (Block → Block); a nested model must be another model", Message(d));
    }

    [Fact]
    public void MDL0015_models_that_contain_each_other()
    {
        // Each of the two models reports the cycle at its own member; the test source holds the first one alone.
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Outer
            {
                [Nested] partial Inner Body { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }

            [Model]
            public sealed partial class Inner
            {
                [Nested] partial Outer Back { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """);

        run.AssertNoGeneratorFailure();
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "MDL0015" && Message(d).Contains("(Inner → Outer → Inner)", StringComparison.Ordinal));
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "MDL0015" && Message(d).Contains("(Outer → Inner → Outer)", StringComparison.Ordinal));
    }

    [Fact]
    public void MDL0127_groups_that_do_not_divide_the_channels()
    {
        Diagnostic d = AssertDiagnostic("MDL0127", """
            [Model]
            public sealed partial class Net
            {
                [Conv2d(24, Padding = 1)] partial Conv2d Conv { get; }
                [/*@*/GroupNorm(5)]       partial GroupNorm Norm { get; }
                public partial Tensor Forward([Shape("B", 3, 32, 32)] Tensor x);
            }
            """);

        Assert.Equal("GroupNorm on 'Norm': the 24 channels of [B, 24, 32, 32] cannot be cut into 5 equal groups", Message(d));
    }

    [Fact]
    public void MDL0128_recurrent_state_of_the_wrong_shape()
    {
        Diagnostic d = AssertDiagnostic("MDL0128", """
            [Model]
            public sealed partial class Tagger
            {
                [/*@*/GRU(32, Layers = 2, InitialState = "h0")] partial GRU Rnn { get; }
                public partial Tensor Forward([Shape("B", "T", 16)] Tensor x, [Shape(1, "B", 32)] Tensor h0);
            }
            """);

        Assert.Equal("GRU 'Rnn': the initial state 'h0' must be [2, B, 32] ([layers * directions, B, hidden]) but is [1, B, 32]", Message(d));
    }

    [Fact]
    public void MDL0129_rotary_attention_with_an_odd_head_size()
    {
        Diagnostic d = AssertDiagnostic("MDL0129", """
            [Model]
            public sealed partial class Decoder
            {
                [/*@*/CausalSelfAttention(Heads = 4, Rotary = true)] partial ModelDsl.Layers.CausalSelfAttention Attn { get; }
                public partial Tensor Forward([Shape("B", "T", 36)] Tensor x);
            }
            """);

        Assert.Equal("CausalSelfAttention 'Attn': rotary embedding turns pairs of features, but each of the 4 heads of width 36 has 9 features", Message(d));
    }

    [Fact]
    public void MDL0130_learned_tensor_that_would_grow_the_value()
    {
        Diagnostic d = AssertDiagnostic("MDL0130", """
            [Model]
            public sealed partial class Tokens
            {
                [Linear(32)]              partial Linear Embed { get; }
                [/*@*/Learned(1, 16, 32)] partial Parameter Table { get; }
                public partial Tensor Forward([Shape("B", 1, 8)] Tensor x);
            }
            """);

        Assert.Equal("Learned 'Table' of shape [1, 16, 32] must broadcast to the value [B, 1, 32] without changing its shape", Message(d));
    }

    [Fact]
    public void MDL0131_select_index_out_of_range()
    {
        Diagnostic d = AssertDiagnostic("MDL0131", """
            [Model]
            public sealed partial class Head
            {
                [LayerNorm, /*@*/Select(1, 17)] partial LayerNorm Norm { get; }
                public partial Tensor Forward([Shape("B", 17, 64)] Tensor x);
            }
            """);

        Assert.Equal("Select on 'Norm': index 17 is out of range for dim 1 of [B, 17, 64]", Message(d));
    }

    [Fact]
    public void MDL0009_primary_constructor()
    {
        Diagnostic d = AssertDiagnostic("MDL0009", """
            [Model]
            public sealed partial class Mlp/*@*/(int width)
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """, onlyThisError: false);

        Assert.Contains("primary constructor", Message(d), StringComparison.Ordinal);
    }
}
