using System;
using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The generated code must compile (no errors, no warnings) whatever names the user picks for members, arguments,
/// hyperparameters and symbolic dims, and its comments must describe what the code does.
/// </summary>
public sealed class GeneratedNamesTests
{
    [Fact]
    public void Keywords_as_argument_and_member_names_are_escaped()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Keywords
            {
                [Linear(10)] partial Linear Out { get; }
                [Linear(10)] partial Linear Class { get; }
                public partial Tensor Forward([Shape("B", 5)] Tensor @in);
            }
            """);

        run.AssertSuccess();
        string text = run.GeneratedText("Samples.Keywords.g.cs");
        Assert.Contains("var @out = _out.call(@in);", text, StringComparison.Ordinal);
        Assert.Contains("var @class = _class.call(@out);", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_in_the_global_namespace_compiles()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using ModelDsl;

            [Model]
            public sealed partial class GlobalModel
            {
                [Linear(10)] partial TorchSharp.Modules.Linear Output { get; }
                public partial TorchSharp.torch.Tensor Forward([Shape("B", 5)] TorchSharp.torch.Tensor x);
            }
            """);

        run.AssertSuccess();
        Assert.Equal(["GlobalModel.g.cs"], run.GeneratedSources.Select(s => s.HintName));
        Assert.DoesNotContain("namespace", run.GeneratedText("GlobalModel.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_named_like_an_argument_gets_a_distinct_local()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Shadow
            {
                [Linear(10)] partial Linear X { get; }
                public partial Tensor Forward([Shape("B", 5)] Tensor x);
            }
            """);

        run.AssertSuccess();
    }

    [Fact]
    public void Hyperparameter_read_in_Forward_and_a_member_with_the_same_name()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Head
            {
                public partial Head(int hidden);
                [Linear(10)] partial Linear Hidden { get; }
                public partial Tensor Forward([Shape("B", "hidden")] Tensor x);
            }
            """);

        run.AssertSuccess();
    }

    [Fact]
    public void Dropout_rate_hyperparameter_and_a_member_with_the_same_name()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Head
            {
                public partial Head(double dropout);
                [Linear(10), Dropout("dropout")] partial Linear Dropout { get; }
                public partial Tensor Forward([Shape("B", 5)] Tensor x);
            }
            """);

        run.AssertSuccess();
    }

    [Fact]
    public void Member_named_like_the_prologue_shape_local()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Head
            {
                [Linear(10)] partial Linear XShape { get; }
                public partial Tensor Forward([Shape("B", 5)] Tensor x);
            }
            """);

        run.AssertSuccess();
    }

    [Fact]
    public void Member_named_Block_before_a_repeated_member()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Inner
            {
                [Linear(5)] partial Linear Proj { get; }
                public partial Tensor Forward([Shape("B", 5)] Tensor x);
            }

            [Model]
            public sealed partial class Outer
            {
                [Nested]             partial Inner Block { get; }
                [Nested(Repeat = 3)] partial ModuleList<Inner> Layers { get; }
                public partial Tensor Forward([Shape("B", 5)] Tensor x);
            }
            """);

        run.AssertSuccess();
    }

    [Fact]
    public void Symbolic_dim_named_like_a_member_local()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Head
            {
                [Linear(10)]                              partial Linear Batch { get; }
                [Input("y"), Concat("Batch"), Linear(10)] partial Linear Joined { get; }
                public partial Tensor Forward([Shape("batch", 5)] Tensor x, [Shape("batch", 10)] Tensor y);
            }
            """);

        run.AssertSuccess();
    }

    [Fact]
    public void Member_reading_a_tap_documents_the_tap_shape_as_its_input()
    {
        GeneratorRun run = GeneratorHarness.Run(TestModels.Usings + """
            [Model]
            public sealed partial class Branches
            {
                [Linear(10)]            partial Linear A { get; }
                [Input("x"), Linear(3)] partial Linear C { get; }
                [return: Shape("B", 3)]
                public partial Tensor Forward([Shape("B", 5)] Tensor x);
            }
            """);

        run.AssertSuccess();
        string text = run.GeneratedText("Samples.Branches.g.cs");
        Assert.Contains("/// <summary>Linear: [B, 5] → [B, 3];", text, StringComparison.Ordinal);
        Assert.Contains("// C: [B, 5] → [B, 3]", text, StringComparison.Ordinal);
    }
}
