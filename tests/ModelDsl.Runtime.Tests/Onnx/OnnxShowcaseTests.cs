using ModelDsl.Models.Transformers;
using ModelDsl.Runtime.Tests.Models;
using Xunit;
using Xunit.Abstractions;
using static ModelDsl.Runtime.Tests.Onnx.OnnxTestKit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Onnx;

/// <summary>
/// The showcase models exported to ONNX and run by ONNX Runtime: one file each, outputs equal to TorchSharp's
/// evaluation-mode outputs within 1e-5 at two batch sizes and, for sequence models, two lengths.
/// </summary>
public sealed class OnnxShowcaseTests(ITestOutputHelper output) : OneThreadTests
{
    [Fact]
    public void Gpt_matches_TorchSharp_at_two_batch_sizes_and_two_lengths()
    {
        manual_seed(1);
        using var gpt = new Gpt(vocab: 11, blockSize: 16, layers: 2, heads: 2, embed: 16, dropout: 0.1);
        gpt.eval();
        using var exported = Export(gpt.ExportOnnx);

        var largest = 0.0;
        foreach (var (batch, time) in new[] { (1, 5), (3, 16) })
        {
            using var scope = NewDisposeScope();
            var idx = randint(0, 11, new long[] { batch, time });
            var expected = gpt.Forward(idx);
            var actual = exported.Model.Run(ToOnnx(idx))["output"];
            largest = System.Math.Max(largest, AssertClose(expected, actual, $"Gpt [{batch}, {time}]"));
        }

        output.WriteLine($"Gpt: largest difference {largest:G3}");
    }
}
