using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Runtime.Tests.Memory;
using ModelDsl.Samples;
using ModelDsl.Samples.Harness;
using Xunit;
using static TorchSharp.torch;
using V = ModelDsl.Samples.Seq2SeqVocabulary;

namespace ModelDsl.Runtime.Tests.Samples;

/// <summary>The <c>seq2seq</c> sample: synthetic task data, padding, held-out disjointness, the command.</summary>
public sealed class Seq2SeqSampleTests
{
    private static string Text(long[] tokens) => V.Decode(tokens);

    // ---- Data ---------------------------------------------------------------------------------------------------

    [Fact]
    public void Vocabulary_encodes_digits_and_plus_and_reserves_pad_bos_eos()
    {
        Assert.Equal(new long[] { 3, 12, 13, 4 }, V.Encode("09+1"));
        Assert.Equal("09+1", V.Decode(V.Encode("09+1")));
        Assert.Equal((0L, 1L, 2L), (V.Pad, V.Bos, V.Eos));
        Assert.Equal(14, V.Size);
        Assert.Equal("12", V.Decode([V.Digit(1), V.Digit(2), V.Eos, V.Digit(3)], stopAtEos: true));
        Assert.Throws<ArgumentException>(() => V.Encode("1-2"));
    }

    [Fact]
    public void Reverse_targets_are_the_reversed_sources_within_the_lengths()
    {
        var task = new Seq2SeqTask(Seq2SeqTaskKind.Reverse, 3, 8);
        var random = new Random(1);
        var lengths = new HashSet<int>();
        for (var i = 0; i < 500; i++)
        {
            var e = task.Sample(random);
            Assert.InRange(e.Source.Length, 3, 8);
            Assert.All(e.Source, t => Assert.True(V.IsDigit(t)));
            Assert.Equal(new string(Text(e.Source).Reverse().ToArray()), Text(e.Target));
            lengths.Add(e.Source.Length);
        }

        Assert.Equal(Enumerable.Range(3, 6), lengths.Order());
        Assert.Equal(8, task.MaxSourceLength);
        Assert.Equal(8, task.MaxTargetLength);
    }

    [Fact]
    public void Sort_targets_are_the_sorted_digits()
    {
        var task = new Seq2SeqTask(Seq2SeqTaskKind.Sort, 3, 8);
        var random = new Random(2);
        for (var i = 0; i < 500; i++)
        {
            var e = task.Sample(random);
            Assert.Equal(new string(Text(e.Source).Order().ToArray()), Text(e.Target));
        }

        Assert.Equal("1134", Text(new Seq2SeqExample(V.Encode("3141"), V.Encode("1134")).Target));
    }

    [Fact]
    public void Add_targets_are_the_decimal_sums_of_operands_without_leading_zeros()
    {
        var task = new Seq2SeqTask(Seq2SeqTaskKind.Add, 3, 8);
        Assert.Equal(3, task.OperandDigits);
        Assert.Equal(7, task.MaxSourceLength);
        Assert.Equal(4, task.MaxTargetLength);
        var random = new Random(3);
        var carries = 0;
        for (var i = 0; i < 500; i++)
        {
            var e = task.Sample(random);
            var parts = Text(e.Source).Split('+');
            Assert.Equal(2, parts.Length);
            Assert.All(parts, p => Assert.InRange(p.Length, 1, 3));
            Assert.All(parts, p => Assert.True(p.Length == 1 || p[0] != '0', $"leading zero in {p}"));
            var sum = long.Parse(parts[0], CultureInfo.InvariantCulture) + long.Parse(parts[1], CultureInfo.InvariantCulture);
            Assert.Equal(sum.ToString(CultureInfo.InvariantCulture), Text(e.Target));
            Assert.True(e.Source.Length <= task.MaxSourceLength && e.Target.Length <= task.MaxTargetLength);
            if (e.Target.Length > Math.Max(parts[0].Length, parts[1].Length))
                carries++;
        }

        Assert.True(carries > 0, "some sums carry into a new digit");
        Assert.Throws<ArgumentOutOfRangeException>(() => new Seq2SeqTask(Seq2SeqTaskKind.Add, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Seq2SeqTask(Seq2SeqTaskKind.Reverse, 5, 4));
    }

    [Fact]
    public void Batch_pads_with_pad_and_masks_exactly_the_padding()
    {
        using var scope = NewDisposeScope();
        var examples = new List<Seq2SeqExample>
        {
            new(V.Encode("123"), V.Encode("321")),
            new(V.Encode("45678"), V.Encode("87654")),
        };
        using var batch = Seq2SeqBatch.Create(examples);
        Assert.Equal(new long[] { 2, 5 }, batch.Source.shape);
        Assert.Equal(new long[] { 2, 6 }, batch.DecoderInput.shape);
        Assert.Equal(new long[] { 2, 6 }, batch.Labels.shape);
        Assert.Equal(new[] { 4L, 5, 6, 0, 0, 7, 8, 9, 10, 11 }, batch.Source.data<long>().ToArray());
        Assert.Equal(new[] { false, false, false, true, true, false, false, false, false, false }, batch.SourcePadding.data<bool>().ToArray());
        // Decoder input: BOS then the target, PAD after; labels: the target, EOS, PAD after.
        Assert.Equal(new[] { 1L, 6, 5, 4, 0, 0, 1, 11, 10, 9, 8, 7 }, batch.DecoderInput.data<long>().ToArray());
        Assert.Equal(new[] { 6L, 5, 4, 2, 0, 0, 11, 10, 9, 8, 7, 2 }, batch.Labels.data<long>().ToArray());
        Assert.Equal(new[] { false, false, false, false, true, true, false, false, false, false, false, false }, batch.TargetPadding.data<bool>().ToArray());
    }

    [Fact]
    public void Loss_ignores_padded_positions()
    {
        using var threads = TorchThreads.Single();
        manual_seed(5);
        using var model = new ModelDsl.Models.Transformers.Transformer(V.Size, layers: 1, heads: 2, embed: 16, hidden: 32, dropout: 0.0, shareEmbeddings: true);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var short1 = new Seq2SeqExample(V.Encode("12"), V.Encode("21"));
        var long1 = new Seq2SeqExample(V.Encode("3456"), V.Encode("6543"));
        using var alone = Seq2SeqBatch.Create([short1]);
        using var padded = Seq2SeqBatch.Create([short1, long1]);
        using var other = Seq2SeqBatch.Create([long1]);
        // The mean over real tokens: 3 of the short example (2 digits + EOS), 5 of the long one.
        var expected = (alone.Loss(model).item<float>() * 3 + other.Loss(model).item<float>() * 5) / 8;
        Assert.Equal(expected, padded.Loss(model).item<float>(), 4);
    }

    [Fact]
    public void Exact_match_needs_the_whole_target_then_eos()
    {
        var e = new Seq2SeqExample(V.Encode("12"), V.Encode("21"));
        Assert.True(e.IsExactMatch([V.Digit(2), V.Digit(1), V.Eos]));
        Assert.True(e.IsExactMatch([V.Digit(2), V.Digit(1), V.Eos, V.Eos]));
        Assert.False(e.IsExactMatch([V.Digit(2), V.Digit(1), V.Digit(1)]));
        Assert.False(e.IsExactMatch([V.Digit(2), V.Digit(1)]));
        Assert.False(e.IsExactMatch([V.Digit(2), V.Eos, V.Eos]));
    }

    [Fact]
    public void Held_out_sequences_are_distinct_and_never_in_training_batches()
    {
        // Short strings make collisions likely: 10³ + 10⁴ sources, 300 held out.
        var data = new Seq2SeqTask(Seq2SeqTaskKind.Reverse, 3, 4, seed: 9, heldOut: 300);
        Assert.Equal(300, data.HeldOut.Count);
        Assert.Equal(300, data.HeldOut.Select(e => e.Key).Distinct().Count());
        var keys = data.HeldOut.Select(e => e.Key).ToHashSet();
        var drawn = 0;
        for (var step = 0; step < 200; step++)
        {
            foreach (var e in data.TrainingBatch(step, 64))
            {
                Assert.DoesNotContain(e.Key, keys);
                drawn++;
            }
        }

        Assert.Equal(200 * 64, drawn);
        // Without the filter the same stream would have hit held-out sources (the filter has teeth).
        var random = StepSeeds.For(9, StepSeeds.Batch, 0);
        Assert.Contains(Enumerable.Range(0, 5000).Select(_ => data.Sample(random).Key), keys.Contains);
    }

    [Fact]
    public void Training_batches_are_a_function_of_seed_and_step()
    {
        var a = new Seq2SeqTask(Seq2SeqTaskKind.Sort, 3, 8, seed: 4, heldOut: 50);
        var b = new Seq2SeqTask(Seq2SeqTaskKind.Sort, 3, 8, seed: 4, heldOut: 50);
        Assert.Equal(a.HeldOut.Select(e => e.Key), b.HeldOut.Select(e => e.Key));
        Assert.Equal(a.TrainingBatch(17, 8).Select(e => e.Key), b.TrainingBatch(17, 8).Select(e => e.Key));
        Assert.NotEqual(a.TrainingBatch(17, 8).Select(e => e.Key), a.TrainingBatch(18, 8).Select(e => e.Key));
        Assert.NotEqual(a.HeldOut.Select(e => e.Key), new Seq2SeqTask(Seq2SeqTaskKind.Sort, 3, 8, seed: 5, heldOut: 50).HeldOut.Select(e => e.Key));
    }

    // ---- Command ------------------------------------------------------------------------------------------------

    private static readonly string[] TinyModel = ["--layers", "1", "--heads", "2", "--embed", "16", "--hidden", "32", "--batch", "16", "--held-out", "30", "--threads", "1", "--eval-every", "0", "--examples", "3"];

    [Fact]
    public void Command_trains_lowers_the_loss_and_prints_exact_match_and_examples()
    {
        using var dir = new TempDirectory();
        var (code, text, error) = SamplesHarness.Run(["seq2seq", "--task", "add", "--min-length", "3", "--max-length", "5", "--steps", "30", "--warmup", "5", "--lr", "3e-3", "--out", dir.Path, .. TinyModel]);
        Assert.True(code == 0, text + error);
        Assert.Contains("Exact match", text);
        Assert.Contains("Example decodes", text);
        var losses = LossLog.FromJson(ModelDsl.Training.Checkpoint.ReadInfo(dir.File("checkpoint.mdl")).Metadata.Properties["losses"])["loss"].Select(p => p.Value).ToList();
        Assert.Equal(30, losses.Count);
        Assert.True(losses.TakeLast(5).Average() < losses.Take(5).Average(), $"loss {losses[0]} → {losses[^1]}");
        using var summary = JsonDocument.Parse(File.ReadAllText(dir.File("summary.json")));
        Assert.Equal(30, summary.RootElement.GetProperty("heldOut").GetInt32());
        Assert.InRange(summary.RootElement.GetProperty("tokenAccuracy").GetDouble(), 0, 1);
    }

    [Fact]
    public void Interrupted_and_resumed_run_has_the_losses_of_an_uninterrupted_one()
    {
        using var once = new TempDirectory();
        using var twice = new TempDirectory();
        Assert.Equal(0, SamplesHarness.Run(["seq2seq", "--steps", "6", "--dropout", "0.1", "--out", once.Path, .. TinyModel]).Code);
        Assert.Equal(130, SamplesHarness.Run(["seq2seq", "--steps", "6", "--dropout", "0.1", "--out", twice.Path, "--stop-after", "3", .. TinyModel]).Code);
        Assert.Equal(0, SamplesHarness.Run(["seq2seq", "--out", twice.Path, "--resume"]).Code);

        var a = ModelDsl.Training.Checkpoint.ReadInfo(once.File("checkpoint.mdl")).Metadata;
        var b = ModelDsl.Training.Checkpoint.ReadInfo(twice.File("checkpoint.mdl")).Metadata;
        Assert.Equal(6, a.LossHistory.Count);
        Assert.Equal(a.LossHistory, b.LossHistory);
        SamplesHarness.AssertRefused(SamplesHarness.Run(["seq2seq", "--task", "add", "--out", twice.Path, "--resume"]), "was trained with --task reverse, not --task add");
    }
}
