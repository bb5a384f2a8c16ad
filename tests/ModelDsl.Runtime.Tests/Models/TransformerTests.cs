using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using ModelDsl.Models.Transformers;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static ModelDsl.Runtime.Tests.Models.ModelTestKit;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>The encoder–decoder Transformer (src/Models/Transformers/Transformer*.cs, EncoderLayer.cs, DecoderLayer.cs).</summary>
public sealed class TransformerTests(ITestOutputHelper output) : OneThreadTests
{
    private const int Vocab = 12; // PAD 0, BOS 1, EOS 2, digits 3..11
    private const long Pad = 0, Bos = 1, Eos = 2;

    private static Transformer Tiny(double dropout = 0.0, bool shareEmbeddings = false) =>
        new(vocab: Vocab, layers: 2, heads: 4, embed: 32, hidden: 64, dropout: dropout, shareEmbeddings: shareEmbeddings);

    // ---- Parameter count ---------------------------------------------------------------------------------------

    /// <summary>
    /// Layer by layer, PyTorch-style (vocab V = 12, embed E = 32, hidden H = 64, 2 layers, no sharing):
    /// each embedding V·E = 384; an Attention block has four E×E projections with biases, 4(E² + E) = 4,224; a
    /// LayerNorm 2E = 64; the feed-forward E·H + H + H·E + E = 4,192. Encoder layer = attention + 2 LayerNorms + FFN
    /// = 8,544; decoder layer = 2 attentions + 3 LayerNorms + FFN = 12,832; output Linear E·V + V = 396.
    /// Total 2·384 + 2·8,544 + 2·12,832 + 396 = 43,916.
    /// </summary>
    [Fact]
    public void Parameter_count_matches_the_layer_by_layer_reference()
    {
        const long V = Vocab, E = 32, H = 64, L = 2;
        const long attention = 4 * (E * E + E), layerNorm = 2 * E, feedForward = E * H + H + H * E + E;
        const long encoderLayer = attention + 2 * layerNorm + feedForward;
        const long decoderLayer = 2 * attention + 3 * layerNorm + feedForward;
        const long reference = 2 * V * E + L * encoderLayer + L * decoderLayer + (E * V + V);
        Assert.Equal(8_544, encoderLayer);
        Assert.Equal(12_832, decoderLayer);
        Assert.Equal(43_916, reference);

        using var model = Tiny();
        Assert.Equal(reference, model.ParameterCount);
        Assert.Equal(reference, SumOfParameters(model));

        using var encoder = new EncoderLayer(embed: 32, heads: 4, hidden: 64, dropout: 0.0);
        using var decoder = new DecoderLayer(embed: 32, heads: 4, hidden: 64, dropout: 0.0);
        Assert.Equal(encoderLayer, encoder.ParameterCount);
        Assert.Equal(encoderLayer, SumOfParameters(encoder));
        Assert.Equal(decoderLayer, decoder.ParameterCount);
        Assert.Equal(decoderLayer, SumOfParameters(decoder));

        // Shared (the paper's §3.4): one V×E matrix for both embeddings and the output layer, whose bias stays its own.
        using var shared = Tiny(shareEmbeddings: true);
        Assert.Equal(reference - 2 * V * E, shared.ParameterCount);
        Assert.Equal(reference - 2 * V * E, SumOfParameters(shared));
    }

    [Fact]
    public void Shared_embeddings_are_one_tensor_that_keeps_its_keys_and_survives_a_cast()
    {
        manual_seed(31);
        using var model = Tiny(shareEmbeddings: true);
        string[] keys = ["source_embedding.weight", "target_embedding.weight", "output.weight"];
        // The state dict still names the tensor under each key, as PyTorch's does for a shared Parameter.
        Assert.All(keys, key => Assert.Contains(key, model.state_dict().Keys));
        // Initialised as the scaled embeddings are: N(0, 1/E), so that √E · x has unit variance.
        var scaled = model.state_dict()["source_embedding.weight"].std().item<float>() * Math.Sqrt(32);
        Assert.True(scaled is > 0.8 and < 1.25, $"std·√embed = {scaled}");

        AssertOneTensor(model, keys, 42f);
        model.to(ScalarType.Float64);
        AssertOneTensor(model, keys, 43f);

        using var separate = Tiny(shareEmbeddings: false);
        using (no_grad())
            separate.state_dict()[keys[0]][0, 0] = 44f;
        Assert.NotEqual(44f, separate.state_dict()[keys[1]][0, 0].item<float>());
        Assert.NotEqual(44f, separate.state_dict()[keys[2]][0, 0].item<float>());
    }

    // A write through one key shows under the others: one tensor, not copies.
    private static void AssertOneTensor(Transformer model, string[] keys, float value)
    {
        using (no_grad())
            model.state_dict()[keys[0]][0, 0] = value;
        Assert.All(keys, key => Assert.Equal(value, model.state_dict()[key][0, 0].to(ScalarType.Float32).item<float>()));
    }

    /// <summary>PyTorch-style state-dict keys: one entry per tensor, named after the members (encoder.0.self_attention.query.weight, …).</summary>
    [Fact]
    public void State_dict_has_one_pytorch_style_key_per_tensor()
    {
        using var model = new Transformer(vocab: Vocab, layers: 1, heads: 4, embed: 32, hidden: 64, dropout: 0.0, shareEmbeddings: false);
        string[] attention = ["query.weight", "query.bias", "key.weight", "key.bias", "value.weight", "value.bias", "out.weight", "out.bias"];
        string[] norm = ["weight", "bias"];
        var expected = new[] { "source_embedding.weight", "target_embedding.weight", "output.weight", "output.bias" }
            .Concat(attention.Select(k => "encoder.0.self_attention." + k))
            .Concat(new[] { "norm1", "norm2", "feed_forward1", "feed_forward2" }.SelectMany(m => norm.Select(k => $"encoder.0.{m}.{k}")))
            .Concat(attention.Select(k => "decoder.0.self_attention." + k))
            .Concat(attention.Select(k => "decoder.0.cross_attention." + k))
            .Concat(new[] { "norm1", "norm2", "norm3", "feed_forward1", "feed_forward2" }.SelectMany(m => norm.Select(k => $"decoder.0.{m}.{k}")));
        Assert.Equal(expected.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    internal const string NestedKeysBug =
        "bug: nested [Model]s are registered twice — TorchSharp's register_module calls the child's reflection-based " +
        "RegisterComponents, which adds every private field again under its field name — so state_dict()/save() hold each " +
        "nested tensor twice, e.g. 'h.0.mlp_fc.weight' and 'h.0._mlp_Fc.weight', 'features.conv1.weight' and " +
        "'features._conv1.weight' (named_parameters dedups them). A PyTorch checkpoint will not load strictly. Fix: emit " +
        "'protected override void RegisterComponents() { }' (or [ComponentName] on the fields)";

    // ---- Shapes ------------------------------------------------------------------------------------------------

    [Fact]
    public void Forward_gives_target_logits_and_checks_the_masks()
    {
        manual_seed(21);
        using var model = Tiny();
        using var scope = NewDisposeScope();
        var source = randint(3, Vocab, new long[] { 2, 7 });
        var target = randint(3, Vocab, new long[] { 2, 5 });
        var sourcePadding = zeros(2, 7, dtype: ScalarType.Bool);
        var targetPadding = zeros(2, 5, dtype: ScalarType.Bool);

        Assert.Equal(new long[] { 2, 5, Vocab }, model.Forward(source, target, sourcePadding, targetPadding).shape);
        Assert.Throws<ShapeMismatchException>(() => model.Forward(source, target, zeros(2, 6, dtype: ScalarType.Bool), targetPadding));
        Assert.Throws<ShapeMismatchException>(() => model.Forward(source, target, sourcePadding, zeros(2, 7, dtype: ScalarType.Bool)));
        Assert.Throws<ShapeMismatchException>(() => model.Forward(source, target[TensorIndex.Slice(0, 1)], sourcePadding, targetPadding[TensorIndex.Slice(0, 1)]));
    }

    // ---- Padding ------------------------------------------------------------------------------------------------

    /// <summary>Tokens at padded source positions (sourcePadding true) do not change any decoder output (eval mode).</summary>
    [Fact]
    public void Tokens_at_padded_source_positions_do_not_change_the_output()
    {
        manual_seed(22);
        using var model = Tiny(dropout: 0.1);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var source = randint(3, Vocab, new long[] { 2, 6 });
        var sourcePadding = tensor(new[,] { { false, false, false, false, true, true }, { false, false, false, false, false, true } });
        var target = randint(3, Vocab, new long[] { 2, 5 });
        var targetPadding = zeros(2, 5, dtype: ScalarType.Bool);

        var changed = source.clone();
        changed.masked_fill_(sourcePadding, 7);
        var alsoChanged = source.clone();
        alsoChanged.masked_fill_(sourcePadding, Pad);
        Assert.False(AreEqual(changed, source));

        var reference = model.Forward(source, target, sourcePadding, targetPadding);
        AssertClose(reference, model.Forward(changed, target, sourcePadding, targetPadding), atol: 1e-6, what: "logits after changing padded tokens");
        AssertClose(reference, model.Forward(alsoChanged, target, sourcePadding, targetPadding), atol: 1e-6, what: "logits with PAD at padded positions");

        // Teeth: the same change with the mask off does change the output.
        var noMask = zeros(2, 6, dtype: ScalarType.Bool);
        var unmasked = (model.Forward(source, target, noMask, targetPadding) - model.Forward(changed, target, noMask, targetPadding)).abs().max().item<float>();
        Assert.True(unmasked > 1e-3f, $"unmasked difference {unmasked}");
    }

    /// <summary>The encoder layer's outputs at non-padded positions ignore what sits at padded positions.</summary>
    [Fact]
    public void Encoder_layer_outputs_at_real_positions_ignore_padded_positions()
    {
        manual_seed(23);
        using var layer = new EncoderLayer(embed: 32, heads: 4, hidden: 64, dropout: 0.0);
        layer.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(1, 5, 32);
        var padding = tensor(new[,] { { false, false, false, true, true } });
        var changed = x.clone();
        changed[TensorIndex.Colon, TensorIndex.Slice(3)] = randn(1, 2, 32);

        var real = TensorIndex.Slice(0, 3);
        AssertClose(layer.Forward(x, padding)[TensorIndex.Colon, real], layer.Forward(changed, padding)[TensorIndex.Colon, real], atol: 1e-6, what: "encoder outputs at real positions");
    }

    // ---- Learning ----------------------------------------------------------------------------------------------

    /// <summary>Eight fixed reverse pairs: teacher-forced cross-entropy under 0.05 within 80 Adam steps (lr 3e-3).</summary>
    [Fact]
    public void Overfits_a_tiny_batch()
    {
        manual_seed(24);
        using var model = Tiny();
        using var scope = NewDisposeScope();
        var random = new Random(24);
        var batch = ReverseTask.Batch(Enumerable.Range(0, 8).Select(_ => ReverseTask.Sequence(random)).ToList());

        var losses = Train(model.parameters(), () => batch.Loss(model), steps: 80, lr: 3e-3);

        output.WriteLine($"loss {losses[0]:F3} → {losses[^1]:F4}; under 0.05 first at step {FirstStepUnder(losses, 0.05f)}");
        Assert.True(losses[^1] < 0.05f, $"final loss {losses[^1]} (first {losses[0]}, under 0.05 first at step {FirstStepUnder(losses, 0.05f)})");
    }

    /// <summary>
    /// Toy reversal (digits 3..11, lengths 5–6, PAD 0 / BOS 1 / EOS 2; embed 32, 2 layers, 4 heads, hidden 64, dropout 0):
    /// 200 Adam steps (lr 1e-2, β₂ 0.98, 20 warm-up steps then linear decay, gradient norm clipped at 1) on fresh batches of 64
    /// that exclude the 100 held-out sequences; GreedyDecode then reproduces every held-out reversal exactly, EOS included.
    /// The embeddings start N(0, embed^-1/2) as in fairseq and tensor2tensor (see Scaled_embeddings_start_at_unit_scale):
    /// seeds 25–28 all reach 100/100 by step 175. With the model's current N(0, 1) the same task needs about 400 steps of 128.
    /// </summary>
    [Fact]
    public void Learns_to_reverse_digit_strings_with_exact_greedy_decoding()
    {
        const int steps = 200, warmUp = 20, batchSize = 64, heldOutCount = 100;
        const double lr = 1e-2;
        manual_seed(25);
        var random = new Random(25);
        var heldOut = new List<long[]>();
        var heldOutKeys = new HashSet<string>(StringComparer.Ordinal);
        while (heldOut.Count < heldOutCount)
        {
            var sequence = ReverseTask.Sequence(random);
            if (heldOutKeys.Add(string.Join(",", sequence)))
                heldOut.Add(sequence);
        }

        using var model = Tiny();
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
                if (name is "source_embedding.weight" or "target_embedding.weight")
                    parameter.normal_(0, 1 / Math.Sqrt(model.Embed));
        }

        var optimizer = optim.Adam(model.parameters(), lr, beta2: 0.98);
        var clock = Stopwatch.StartNew();
        var loss = float.NaN;
        for (var step = 1; step <= steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var sequences = new List<long[]>(batchSize);
            while (sequences.Count < batchSize)
            {
                var sequence = ReverseTask.Sequence(random);
                if (!heldOutKeys.Contains(string.Join(",", sequence)))
                    sequences.Add(sequence);
            }

            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = lr * (step <= warmUp ? (double)step / warmUp : 1.0 - ((double)(step - warmUp) / (steps - warmUp + 1)));
            optimizer.zero_grad();
            var value = ReverseTask.Batch(sequences).Loss(model);
            value.backward();
            nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
            loss = value.item<float>();
        }

        var trainSeconds = clock.Elapsed.TotalSeconds;
        using var scope = NewDisposeScope();
        var exact = ReverseTask.ExactMatches(model, heldOut);
        output.WriteLine($"{steps} steps in {trainSeconds:F1} s, final loss {loss:F4}, exact {exact}/{heldOutCount}");
        Assert.Equal(heldOutCount, exact);
    }

    /// <summary>
    /// Scaled embeddings (×√embed, Vaswani et al. §3.4) are meant to start at std embed^-1/2 (fairseq's and tensor2tensor's
    /// init), so that √embed·E has unit scale like the sinusoidal encodings it is added to.
    /// </summary>
    [Fact]
    public void Scaled_embeddings_start_at_unit_scale()
    {
        manual_seed(27);
        using var model = new Transformer(vocab: 500, layers: 1, heads: 4, embed: 64, hidden: 64, dropout: 0.0, shareEmbeddings: false);
        foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.EndsWith("embedding.weight", StringComparison.Ordinal)))
        {
            var scaled = parameter.std().item<float>() * Math.Sqrt(64);
            Assert.True(scaled is > 0.8 and < 1.25, $"{name}: std·√embed = {scaled}");
        }
    }

    // ---- Save → load -------------------------------------------------------------------------------------------

    [Fact]
    public void Save_load_round_trip_gives_identical_logits_and_decodes()
    {
        manual_seed(26);
        using var trained = Tiny();
        using var scope = NewDisposeScope();
        var random = new Random(26);
        var batch = ReverseTask.Batch(Enumerable.Range(0, 4).Select(_ => ReverseTask.Sequence(random)).ToList());
        Train(trained.parameters(), () => batch.Loss(trained), steps: 3, lr: 3e-3);

        using var fresh = Tiny();
        SaveAndLoad(trained, fresh);

        trained.eval();
        fresh.eval();
        using var noGrad = no_grad();
        AssertBitwiseEqual(
            trained.Forward(batch.Source, batch.DecoderInput, batch.SourcePadding, batch.TargetPadding),
            fresh.Forward(batch.Source, batch.DecoderInput, batch.SourcePadding, batch.TargetPadding),
            "logits");
        Assert.True(AreEqual(
            trained.GreedyDecode(batch.Source, batch.SourcePadding, Bos, Eos, 7),
            fresh.GreedyDecode(batch.Source, batch.SourcePadding, Bos, Eos, 7)));
    }

    /// <summary>Reverse a digit string: source "d1 … dn PAD…", decoder input "BOS dn … d1 PAD…", labels "dn … d1 EOS PAD…".</summary>
    private static class ReverseTask
    {
        public const int MaxLength = 6;

        public static long[] Sequence(Random random)
        {
            var length = random.Next(5, MaxLength + 1);
            return Enumerable.Range(0, length).Select(_ => (long)random.Next(3, Vocab)).ToArray();
        }

        public static ReverseBatch Batch(IReadOnlyList<long[]> sequences)
        {
            var count = sequences.Count;
            var source = new long[count, MaxLength];
            var decoderInput = new long[count, MaxLength + 1];
            var labels = new long[count, MaxLength + 1];
            for (var i = 0; i < count; i++)
            {
                var s = sequences[i];
                decoderInput[i, 0] = Bos;
                for (var j = 0; j < s.Length; j++)
                {
                    source[i, j] = s[j];
                    labels[i, j] = s[s.Length - 1 - j];
                    decoderInput[i, j + 1] = s[s.Length - 1 - j];
                }

                labels[i, s.Length] = Eos;
            }

            var sourceTensor = tensor(source);
            var decoderInputTensor = tensor(decoderInput);
            return new ReverseBatch(sourceTensor, sourceTensor == Pad, decoderInputTensor, decoderInputTensor == Pad, tensor(labels));
        }

        public static int ExactMatches(Transformer model, IReadOnlyList<long[]> sequences)
        {
            var batch = Batch(sequences);
            var decoded = model.GreedyDecode(batch.Source, batch.SourcePadding, Bos, Eos, MaxLength + 1);
            var exact = 0;
            for (var i = 0; i < sequences.Count; i++)
            {
                var s = sequences[i];
                var expected = s.Reverse().Append(Eos).ToArray();
                var row = decoded[i].data<long>().ToArray();
                if (row.Length >= expected.Length && row.Take(expected.Length).SequenceEqual(expected))
                    exact++;
            }

            return exact;
        }
    }

    private sealed record ReverseBatch(Tensor Source, Tensor SourcePadding, Tensor DecoderInput, Tensor TargetPadding, Tensor Labels)
    {
        public Tensor Loss(Transformer model)
        {
            var logits = model.Forward(Source, DecoderInput, SourcePadding, TargetPadding);
            return nn.functional.cross_entropy(logits.reshape(-1, Vocab), Labels.reshape(-1), ignore_index: Pad);
        }
    }
}
