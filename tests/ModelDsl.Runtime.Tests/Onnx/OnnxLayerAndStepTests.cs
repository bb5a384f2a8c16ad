using System.Collections.Generic;
using System.Linq;
using ModelDsl.Runtime.Tests.Generated;
using ModelDsl.Runtime.Tests.Models;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Onnx;

/// <summary>
/// Every layer and step kind with an ONNX lowering, through small generated models: ONNX Runtime's outputs equal
/// TorchSharp's evaluation-mode outputs within 1e-5 at two batch sizes and, where a dim is symbolic, two sizes of it.
/// </summary>
public sealed class OnnxLayerAndStepTests(ITestOutputHelper output) : OneThreadTests
{
    private static readonly (long, long)[] TwoBatchesTwoLengths = { (1, 3), (3, 6) };

    private static Tensor Values(params long[] shape) => randn(shape);

    private static Tensor Tokens(long vocab, params long[] shape) => randint(0, vocab, shape);

    // True at the last positions of every other row: padding that leaves each row at least one key.
    private static Tensor Padding(long batch, long length)
    {
        var padding = zeros(new[] { batch, length }, dtype: ScalarType.Bool);
        for (var b = 0; b < batch; b += 2)
            padding[b, TensorIndex.Slice(length - 1 - b % 3)] = tensor(true);
        return padding;
    }

    private static readonly Dictionary<string, OnnxParityCase> Cases = new OnnxParityCase[]
    {
        new("AxisSteps", () => new AxisSteps(), (b, t) => new[] { Values(b, t, 4) }, TwoBatchesTwoLengths),
        new("SwiGlu", () => new SwiGlu(), (b, t) => new[] { Values(b, t, 8) }, TwoBatchesTwoLengths),
        new("SplitHeads", () => new SplitHeads(), (b, _) => new[] { Values(b, 3) }, TwoBatchesTwoLengths),
        new("BroadcastBias", () => new BroadcastBias(), (b, t) => new[] { Values(b, t, 3), Values(b, 2) }, TwoBatchesTwoLengths),
        new("Resampling", () => new Resampling(), (b, _) => new[] { Values(b, 1, 5, 7) }, TwoBatchesTwoLengths),
        new("Positioned", () => new Positioned(), (b, t) => new[] { Values(b, t, 8) }, new (long, long)[] { (1, 5), (3, 16) }),
        new("PaddedCrossAttention", () => new PaddedCrossAttention(), (b, t) => new[] { Values(b, t, 8), Values(b, t + 2, 8), Padding(b, t + 2) }, TwoBatchesTwoLengths),
        new("ActivatedInput", () => new ActivatedInput(), (b, _) => new[] { Values(b, 8) }, TwoBatchesTwoLengths),
        new("ParityMlp", () => new ParityMlp(), (b, _) => new[] { Values(b, 1, 28, 28) }, TwoBatchesTwoLengths),
        new("ParityCnn", () => new ParityCnn(), (b, _) => new[] { Values(b, 1, 28, 28) }, TwoBatchesTwoLengths),
        new("ParityBlock", () => new ParityBlock(16, 32, 0.1), (b, t) => new[] { Values(b, t, 16) }, TwoBatchesTwoLengths),
        new("ParityDcganDecoder", () => new ParityDcganDecoder(), (b, _) => new[] { Values(b, 100) }, new (long, long)[] { (2, 0), (5, 0) }),
        new("ParityCrossMix", () => new ParityCrossMix(8), (b, t) => new[] { Values(b, t, 8), Values(b, t + 1, 8) }, TwoBatchesTwoLengths),
        new("ParityEncoderDecoder", () => new ParityEncoderDecoder(), (b, t) => new[] { Values(b, t + 2, 16), Values(b, t, 32) }, TwoBatchesTwoLengths),
        new("ParityStack", () => new ParityStack(16, 3), (b, t) => new[] { Values(b, t, 16) }, TwoBatchesTwoLengths),
        new("MemoryNet", () => new MemoryNet(), (b, _) => new[] { Values(b, 1, 8, 8) }, new (long, long)[] { (2, 0), (5, 0) }),
        new("TwoInputs", () => new TwoInputs(), (b, _) => new[] { Values(b, 4), Values(b, 6) }, TwoBatchesTwoLengths),
        new("DoubledSequence", () => new DoubledSequence(), (b, t) => new[] { Values(b, t, 8), Values(b, 2 * t, 8) }, TwoBatchesTwoLengths),
        new("HeadsGuarded", () => new HeadsGuarded(12, 3), (b, t) => new[] { Values(b, t, 12) }, TwoBatchesTwoLengths),
        new("AttentionHeadsGuarded", () => new AttentionHeadsGuarded(12, 4), (b, t) => new[] { Values(b, t, 12) }, TwoBatchesTwoLengths),
        new("Unflatten", () => new Unflatten(12, 3), (b, _) => new[] { Values(b, 16) }, TwoBatchesTwoLengths),
        new("ActivationChain", () => new ActivationChain(), (b, _) => new[] { Values(b, 4) }, TwoBatchesTwoLengths),
        new("SequenceShapes", () => new SequenceShapes(), (b, t) => new[] { Values(b, t, 4) }, new (long, long)[] { (2, 4), (3, 6) }),
        new("Pools", () => new Pools(), (b, _) => new[] { Values(b, 2, 9, 9) }, TwoBatchesTwoLengths),
        new("ScaledTokens", () => new ScaledTokens(9, 7), (b, t) => new[] { Tokens(9, b, t) }, TwoBatchesTwoLengths),
        new("SequenceConv", () => new SequenceConv(), (b, l) => new[] { Values(b, 4, l + 3) }, TwoBatchesTwoLengths),
        new("BiGruTagger", () => new BiGruTagger(), (b, t) => new[] { Values(b, t, 6), Values(4, b, 8) }, TwoBatchesTwoLengths),
        new("TokenModel", () => new TokenModel(), (b, t) => new[] { Values(b, t, 8) }, TwoBatchesTwoLengths),
        new("StatelessLstm", () => new StatelessLstm(), (b, t) => new[] { Values(b, t, 3) }, TwoBatchesTwoLengths),
        new("BiasFreeRecurrent", () => new BiasFreeRecurrent(), (b, t) => new[] { Values(b, t, 3), Values(4, b, 6), Values(4, b, 6) }, TwoBatchesTwoLengths),
    }.ToDictionary(c => c.Name);

    /// <summary>The parity check of the model named <paramref name="name"/>.</summary>
    internal static OnnxParityCase Case(string name) => Cases[name];

    /// <summary>Each model's name and constructor.</summary>
    internal static IEnumerable<(string Name, System.Func<TorchSharp.torch.nn.Module> Create)> Models() => Cases.Values.Select(c => (c.Name, c.Create));

    public static TheoryData<string> Names() => new(Cases.Keys.OrderBy(k => k, System.StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Names))]
    public void Model_matches_TorchSharp_from_one_exported_file(string name)
    {
        // Each size as (batch, size) = difference: the parity table of the docs comes from these lines.
        var results = Case(name).RunPerSize();
        output.WriteLine($"{name}: largest difference " + string.Join(", ", results.Select(r => $"({r.Batch}, {r.Size}) = {r.Difference:G3}")));
    }
}
