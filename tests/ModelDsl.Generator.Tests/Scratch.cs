using System.IO;
using System.Linq;
using ModelDsl.Generator.Tests.Infrastructure;
using Xunit;
namespace ModelDsl.Generator.Tests;
public sealed class Scratch
{
    [Theory]
    [InlineData("collide_field", """
        [Model] public sealed partial class Head {
            public partial Head(int hidden);
            [Linear(10)] partial Linear Hidden { get; }
            public partial Tensor Forward([Shape("B", "hidden")] Tensor x);
        }
        """)]
    [InlineData("collide_dropout", """
        [Model] public sealed partial class Head {
            public partial Head(double dropout);
            [Linear(10), Dropout("dropout")] partial Linear Dropout { get; }
            public partial Tensor Forward([Shape("B", 5)] Tensor x);
        }
        """)]
    [InlineData("collide_shape", """
        [Model] public sealed partial class Head {
            [Linear(10)] partial Linear XShape { get; }
            public partial Tensor Forward([Shape("B", 5)] Tensor x);
        }
        """)]
    [InlineData("collide_block", """
        [Model] public sealed partial class Inner {
            [Linear(5)] partial Linear L { get; }
            public partial Tensor Forward([Shape("B", 5)] Tensor x);
        }
        [Model] public sealed partial class Outer {
            [Nested] partial Inner Block { get; }
            [Nested(Repeat = 3)] partial ModuleList<Inner> Layers { get; }
            public partial Tensor Forward([Shape("B", 5)] Tensor x);
        }
        """)]
    [InlineData("collide_symbol", """
        [Model] public sealed partial class Head {
            [Linear(10)] partial Linear B { get; }
            [Linear(10), Input("y"), Concat("B")] partial Linear C { get; }
            public partial Tensor Forward([Shape("b", 5)] Tensor x, [Shape("b", 10)] Tensor y);
        }
        """)]
    [InlineData("keyword", """
        [Model] public sealed partial class Head {
            [Linear(10)] partial Linear Out { get; }
            [Linear(10)] partial Linear Class { get; }
            public partial Tensor Forward([Shape("B", 5)] Tensor @in);
        }
        """)]
    [InlineData("input_only", """
        [Model] public sealed partial class Head {
            [Linear(10)] partial Linear A { get; }
            [Input("x"), Linear(3)] partial Linear C { get; }
            [return: Shape("B", 3)]
            public partial Tensor Forward([Shape("B", 5)] Tensor x);
        }
        """)]
    [InlineData("reshape_hyper", """
        [Model] public sealed partial class Heads {
            public partial Heads(int heads, int embed);
            [Linear("embed"), Reshape("heads", "embed / heads")] partial Linear Proj { get; }
            public partial Tensor Forward([Shape("B", "embed")] Tensor x);
        }
        """)]
    [InlineData("global_ns", """
        using ModelDsl;
        [ModelDsl.Model] public sealed partial class G {
            [Linear(10)] partial TorchSharp.Modules.Linear A { get; }
            public partial TorchSharp.torch.Tensor Forward([Shape("B", 5)] TorchSharp.torch.Tensor x);
        }
        """)]
    public void Probe(string name, string source)
    {
        var src = source.StartsWith("using") ? source : TestModels.Usings + source;
        var run = GeneratorHarness.Run(src);
        var text = string.Join("\n", run.GeneratedSources.Select(s => "// ==== " + s.HintName + "\n" + s.SourceText));
        text += "\n// ==== GEN DIAGS\n" + string.Join("\n", run.GeneratorDiagnostics.Select(GeneratorRun.Describe));
        text += "\n// ==== OUT ERRORS\n" + string.Join("\n", run.OutputDiagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(GeneratorRun.Describe));
        File.WriteAllText("/tmp/probe/" + name + ".txt", text);
    }
}
