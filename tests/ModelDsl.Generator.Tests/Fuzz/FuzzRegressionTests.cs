using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;
using Xunit.Sdk;

namespace ModelDsl.Generator.Tests.Fuzz;

/// <summary>
/// The minimized inputs of the defects <see cref="GeneratorFuzzTests"/> found, kept as regression tests with the
/// fuzz test's two checks: the generator neither throws nor reports an internal error (MDL0999), and generated
/// code that does not compile always comes with an MDL diagnostic.
/// </summary>
public sealed class FuzzRegressionTests
{
    private const string Usings = TestModels.Usings;

    /// <summary>Name → source. The sources are minimal: each declares what it needs to show one defect.</summary>
    public static readonly IReadOnlyDictionary<string, string> Repros = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        // ---- crashes: a [Gan] checks its models even when their declarations have errors ----
        ["Gan_discriminator_returning_an_unnamed_tuple"] = Usings + """
            [Model]
            public sealed partial class Gen
            {
                [Linear(784), Tanh] partial Linear Project { get; }
                public partial Tensor Forward([Shape("B", 100)] Tensor z);
            }

            [Model]
            public sealed partial class Disc
            {
                [Linear(1)] partial Linear Score { get; }
                public partial (Tensor, Tensor) Forward([Shape("B", 784)] Tensor x);
            }

            [Gan(typeof(Gen), typeof(Disc))]
            public sealed partial class Pair
            {
            }
            """,

        // ---- crashes: hint names must be unique within the generator (CS8785) ----
        ["HintName_Model_and_Gan_on_one_class"] = Usings + """
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

            [Model, Gan(typeof(Gen), typeof(Disc))]
            public sealed partial class Pair
            {
                [Linear(1)] partial Linear Score { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["HintName_Gan_on_two_partial_declarations"] = Usings + """
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
            public sealed partial class Pair
            {
            }

            [Gan(typeof(Gen), typeof(Disc))]
            public sealed partial class Pair
            {
            }
            """,
        ["HintName_Model_on_two_partial_declarations"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }

            [Model]
            public sealed partial class Mlp
            {
            }
            """,
        ["HintName_generic_and_non_generic_models_of_one_name"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }

            [Model]
            public sealed partial class Mlp<T>
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["HintName_nested_and_top_level_models_of_one_name"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }

            public static partial class Outer
            {
                [Model]
                public sealed partial class Mlp
                {
                    [Linear(10)] partial Linear Output { get; }
                    public partial Tensor Forward([Shape("B", 784)] Tensor x);
                }
            }
            """,

        // ---- crashes: MDL0999 ----
        ["Internal_error_constructor_parameter_without_a_name"] = Usings + """
            [Model]
            public sealed partial class Gen
            {
                public partial Gen(int noise, int);

                [Linear(5)] partial Linear Project { get; }
                public partial Tensor Forward([Shape("B", "noise")] Tensor z);
            }
            """,

        ["Internal_error_parameter_count_overflowing_64_bits"] = Usings + """
            [Model]
            public sealed partial class Block
            {
                public partial Block(int embed, int hidden);
                [Linear("hidden")] partial Linear Up { get; }
                [Linear(long.MaxValue)] partial Linear Down { get; }
                public partial Tensor Forward([Shape("B", "T", "embed")] Tensor x);
            }
            """,

        // ---- sizes beyond 64 bits were wrapped silently; they are reported ----
        ["Sizes_overflowing_64_bits"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Flatten, Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 2147483647, 2147483647, 2147483647)] Tensor x);
            }
            """,
        ["Size_expression_overflowing_64_bits"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear("2147483647 * 2147483647 * 2147483647")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,

        // ---- the compiler dies of a stack overflow (Roslyn defect) on the generated Forward implementation ----
        ["Compiler_stack_overflow_Forward_parameter_attribute_names_Forward"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }

                public partial Tensor Forward([Shape("B", Forward)] Tensor x);
            }
            """,
        ["Compiler_stack_overflow_Forward_parameter_attribute_names_Forward_after_a_syntax_error"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }

                public partial Tensor Forward([Shape("B", 784 Forward)] Tensor x);
            }
            """,

        // ---- valid C#, valid DSL: the generated code does not compile ----
        ["Repeated_symbolic_dim_in_one_shape"] = Usings + """
            [Model]
            public sealed partial class PairFeatures
            {
                [Linear(10)] partial Linear Output { get; }

                public partial Tensor Forward([Shape("B", "N", "N", 4)] Tensor x);
            }
            """,
        ["Nested_model_constant_named_like_a_symbolic_dim"] = Usings + """
            [Model]
            public sealed partial class Features
            {
                const int B = 4;

                [Flatten, Linear(16)] partial Linear Hidden { get; }
                public partial Tensor Forward([Shape("B", 1, 8, 8)] Tensor x);
            }

            [Model]
            public sealed partial class Classifier
            {
                [Nested] public partial Features Backbone { get; }
                [Linear(10)] partial Linear Head { get; }
                public partial Tensor Forward([Shape("B", 1, 8, 8)] Tensor x);
            }
            """,
        ["Verbatim_identifier_member"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear @class { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Member_named_training"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10), Dropout(0.1)] partial Linear training { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Member_named_forward"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear forward { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Forward_parameter_named_like_a_generated_local"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x, [Shape("B", 784)] Tensor xShape);
            }
            """,
        ["Forward_parameter_named_scope"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x, [Shape("B", 3)] Tensor scope);
            }
            """,
        ["Forward_parameter_named_training"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10), Dropout(0.5)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x, [Shape("B", 3)] Tensor training);
            }
            """,
        ["Symbolic_dim_named_like_a_Forward_parameter"] = Usings + """
            [Model]
            public sealed partial class Mixer
            {
                [Input("memory"), Linear(8)] partial Linear MemoryProj { get; }
                public partial Tensor Forward([Shape("B", "T", 8)] Tensor x, [Shape("memory", "S", 8)] Tensor memory);
            }
            """,

        ["Symbolic_dim_inside_a_division_in_a_layer_size"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear("B / 3 * 3")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Gan_over_internal_models"] = Usings + """
            [Model]
            internal sealed partial class Gen
            {
                [Linear(784), Tanh] partial Linear Project { get; }
                [return: Shape("B", 784)]
                public partial Tensor Forward([Shape("B", 100)] Tensor z);
            }

            [Model]
            internal sealed partial class Disc
            {
                [Linear(1)] partial Linear Score { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }

            [Gan(typeof(Gen), typeof(Disc))]
            public sealed partial class Pair
            {
            }
            """,
        ["Gan_class_with_a_base_class"] = Usings + """
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
            public sealed partial class Pair : TorchSharp.torch.nn.Module
            {
            }
            """,
        ["Nested_model_with_a_private_constructor"] = Usings + """
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
                [Nested(8)] partial Block Inner { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """,
        ["Nested_model_receiving_an_input_dim_where_it_declares_a_constant"] = Usings + """
            [Model]
            public sealed partial class Features
            {
                [Flatten, Linear(128), ReLU] partial Linear Hidden { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
            }

            [Model]
            public sealed partial class Classifier
            {
                [Nested] public partial Features Backbone { get; }
                public partial Tensor Forward([Shape("B", 1, 28, "W")] Tensor image);
            }
            """,
        ["Nested_model_with_narrower_integer_and_float_parameters"] = Usings + """
            [Model]
            public sealed partial class Block
            {
                public partial Block(short width, uint depth, long total, float dropout);
                [Linear("width"), Dropout("dropout")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }

            [Model]
            public sealed partial class Outer
            {
                public partial Outer(int hidden, long big, double dropout);
                [Nested("hidden", "big", "hidden", "dropout")] partial Block Inner { get; }
                [Nested(16, 3, "2 * big", 0.1)] partial Block Other { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """,
        ["Nested_model_argument_outside_its_parameter_range"] = Usings + """
            [Model]
            public sealed partial class Block
            {
                public partial Block(byte width);
                [Linear("width")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }

            [Model]
            public sealed partial class Outer
            {
                [Nested(300)] partial Block Inner { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """,
        ["Nested_model_less_accessible_than_its_property"] = Usings + """
            [Model]
            internal sealed partial class Block
            {
                [Linear(8)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }

            [Model]
            public sealed partial class Outer
            {
                [Nested] public partial Block Inner { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """,
        ["Nested_model_declared_as_an_interface"] = Usings + """
            [Model]
            public partial interface Features
            {
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }

            [Model]
            public sealed partial class Classifier
            {
                [Nested] public partial Features Backbone { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """,
        ["Progressive_column_with_two_inputs"] = Usings + """
            [Model, ProgressiveColumn]
            public sealed partial class Column
            {
                [Flatten, Linear(32), ReLU] partial Linear Fc1 { get; }
                [Linear(10)] partial Linear Head { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image, [Shape("B", 3)] Tensor extra);
            }
            """,

        // ---- the user's declaration is wrong (the compiler says so too) and the generator copies the mistake ----
        ["Duplicate_layer_property"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Flatten, Linear(64), ReLU] partial Linear Hidden { get; }
                [Flatten, Linear(64), ReLU] partial Linear Hidden { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
            }
            """,
        ["Duplicate_Forward_declaration"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Forward_with_two_accessibilities"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial private Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Forward_with_a_repeated_modifier"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Forward_without_accessibility"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Layer_property_without_a_getter"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Layer_property_with_a_private_getter"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { private get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Extern_constructor"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                public extern partial Mlp(int hidden);
                [Linear("hidden")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Forward_parameter_without_a_name"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor );
            }
            """,
        ["Nested_model_with_a_duplicate_constructor"] = Usings + """
            [Model]
            public sealed partial class Block
            {
                public partial Block(int width);
                public partial Block(int width);
                [Linear("width")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }

            [Model]
            public sealed partial class Outer
            {
                [Nested(8)] partial Block Inner { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """,
        ["Constructor_with_a_repeated_modifier"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                public public partial Mlp(int hidden);
                [Linear("hidden")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Forward_extension_parameter"] = Usings + """
            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] this Tensor x);
            }
            """,
        ["Class_name_missing"] = Usings + """
            [Model]
            public sealed partial class
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Namespace_name_cut_short"] = """
            using ModelDsl;
            using TorchSharp.Modules;
            using static TorchSharp.torch;

            namespace Samples.;

            [Model]
            public sealed partial class Mlp
            {
                [Linear(10)] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,
        ["Primary_constructor_on_a_model"] = Usings + """
            [Model]
            public sealed partial class Classifier(int width)
            {
                public partial Classifier(int classes);
                [Linear("classes")] partial Linear Output { get; }
                public partial Tensor Forward([Shape("B", 784)] Tensor x);
            }
            """,

        // ---- hangs: a model that contains itself was read again at each of its members, 8 levels deep ----
        ["Model_containing_itself_in_several_members"] = Usings + """
            [Model]
            public sealed partial class Unit
            {
                public partial Unit(int width);
                [Linear("width"), ReLU] partial Linear Fc { get; }
                [Nested("width")] partial Unit A { get; }
                [Nested("width")] partial Unit B { get; }
                [Nested("width")] partial Unit C { get; }
                [Nested("width")] partial Unit D { get; }
                [Nested("width")] partial Unit E { get; }
                public partial Tensor Forward([Shape("B", "width")] Tensor x);
            }
            """,
        ["Models_containing_each_other"] = Usings + """
            [Model]
            public sealed partial class Outer
            {
                [Nested, Nested] partial Inner Body { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }

            [Model]
            public sealed partial class Inner
            {
                [Nested] partial Outer Back { get; }
                [Nested] partial ModuleList<Inner> Again { get; }
                public partial Tensor Forward([Shape("B", 8)] Tensor x);
            }
            """,
        ["Syntax_error_inside_a_layer_attribute"] = Usings + """
            [Model]
            public sealed partial class Features
            {
                [Conv2d(public 64, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
                [Flatten, Linear(128), ReLU]
                partial Linear Hidden { get; }
                public partial Tensor Forward([Shape("B", 1, 28, 28)] Tensor image);
            }
            """,
    };

    public static TheoryData<string> Names() => new(Repros.Keys);

    [Fact]
    public void Stack_overflow_guard_matches_the_method_of_the_same_class_only()
    {
        SyntaxTree user = GeneratorHarness.Parse(Repros["Compiler_stack_overflow_Forward_parameter_attribute_names_Forward"], "User.cs");
        SyntaxTree sameClass = GeneratorHarness.Parse("namespace Samples;\npartial class Mlp { public partial TorchSharp.torch.Tensor Forward(TorchSharp.torch.Tensor x) => x; }\n", "Mlp.g.cs");
        SyntaxTree otherClass = GeneratorHarness.Parse("namespace Samples;\npartial class Other { public partial TorchSharp.torch.Tensor Forward(TorchSharp.torch.Tensor x) => x; }\n", "Other.g.cs");
        SyntaxTree otherNamespace = GeneratorHarness.Parse("namespace Elsewhere;\npartial class Mlp { public partial TorchSharp.torch.Tensor Forward(TorchSharp.torch.Tensor x) => x; }\n", "Elsewhere.g.cs");

        Assert.NotNull(FuzzRunner.CompilerStackOverflowHazard([user], [otherClass, sameClass]));
        Assert.Null(FuzzRunner.CompilerStackOverflowHazard([user], [otherClass, otherNamespace]));
        Assert.Null(FuzzRunner.CompilerStackOverflowHazard([user], []));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Generator_handles(string name)
    {
        SyntaxTree tree = GeneratorHarness.Parse(Repros[name], name + ".cs");
        FuzzOutcome outcome = FuzzRunner.Run([tree]);

        if (outcome.Crash is { } crash)
        {
            throw new XunitException($"The generator failed on {name}:{Environment.NewLine}{crash}");
        }

        if (outcome.SilentBrokenOutput)
        {
            throw new XunitException(
                $"The generated code for {name} has errors, and the generator reported no MDL diagnostic:{Environment.NewLine}"
                + string.Join(Environment.NewLine, outcome.GeneratedCodeErrors.Select(d => "  " + GeneratorRun.Describe(d))));
        }
    }
}
