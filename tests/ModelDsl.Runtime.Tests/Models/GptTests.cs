using System;
using System.Linq;
using ModelDsl.Models.Transformers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static ModelDsl.Runtime.Tests.Models.ModelTestKit;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>The nanoGPT-style decoder (src/Models/Transformers/Gpt*.cs, GptBlock.cs).</summary>
public sealed class GptTests : OneThreadTests
{
    private static Gpt Tiny(int vocab = 11, int blockSize = 16) =>
        new(vocab: vocab, blockSize: blockSize, layers: 2, heads: 2, embed: 16, dropout: 0.0);

    // ---- Parameter count ---------------------------------------------------------------------------------------

    /// <summary>
    /// nanoGPT's count (GPTConfig with bias = True, the GPT-2 layout, LM head tied to wte):
    /// per block ln_1 2E + c_attn (3E² + 3E) + c_proj (E² + E) + ln_2 2E + mlp_fc (4E² + 4E) + mlp_proj (4E² + E)
    /// = 12E² + 13E; plus wte V·E (shared with lm_head), wpe blockSize·E, ln_f 2E. For the README's CPU config
    /// (vocab 65, block 64, 4 layers, 4 heads, 128 embd): 786,432 + 6,656 + 8,320 + 8,192 + 256 = 809,856.
    /// (nanoGPT prints "0.80M": its get_num_params leaves out wpe, 801,664; with train.py's bias = False it
    /// would be 804,096.)
    /// </summary>
    [Fact]
    public void Parameter_count_of_the_nanoGPT_cpu_config_matches_nanoGPTs_formula()
    {
        const long V = 65, blockSize = 64, L = 4, E = 128;
        const long reference = 12 * E * E * L + 13 * E * L + V * E + blockSize * E + 2 * E;
        Assert.Equal(809_856, reference);

        using var gpt = new Gpt(vocab: 65, blockSize: 64, layers: 4, heads: 4, embed: 128, dropout: 0.0);
        Assert.Equal(reference, gpt.ParameterCount);
        // The modules hold exactly these tensors: count each distinct storage once (see Tied_weight_is_listed_once…).
        var distinct = gpt.parameters().GroupBy(p => p.storage<float>().data_ptr()).Sum(g => g.First().numel());
        Assert.Equal(reference, distinct);
    }

    // ---- Weight tying ------------------------------------------------------------------------------------------

    /// <summary>LmHead.weight is TokenEmbedding.weight: one storage, and a change through either shows in the other.</summary>
    [Fact]
    public void Lm_head_shares_the_token_embeddings_tensor()
    {
        using var gpt = Tiny();
        Assert.Equal(gpt.TokenEmbedding.weight!.storage<float>().data_ptr(), gpt.LmHead.weight!.storage<float>().data_ptr());
        Assert.Equal(gpt.TokenEmbedding.weight!.shape, gpt.LmHead.weight!.shape);

        using (no_grad())
            gpt.TokenEmbedding.weight![3, 5].fill_(42f);
        Assert.Equal(42f, gpt.LmHead.weight![3, 5].item<float>());

        using (no_grad())
            gpt.LmHead.weight![7, 1].fill_(-7f);
        Assert.Equal(-7f, gpt.TokenEmbedding.weight![7, 1].item<float>());
    }

    private const string TiedTwiceBug =
        "bug: the tied weight is listed twice by parameters()/named_parameters() ('transformer.wte.weight' and 'lm_head.weight'), so " +
        "sum(numel) is ParameterCount + V·E and an optimizer over parameters() steps it twice (one Adam step of lr 0.01 moves " +
        "it by 0.02). TorchSharp dedups by wrapper handle, and Embedding.weight returns a new Parameter wrapper on every get, " +
        "so `_lm_Head.weight = _wte.weight` registers a second wrapper of the same tensor";

    /// <summary>
    /// PyTorch's parameters() lists a shared Parameter once (remove_duplicate); so must the generated model, or every
    /// optimizer built from parameters() keeps two states for one tensor and updates it twice.
    /// </summary>
    [Fact]
    public void Tied_weight_is_listed_once_by_parameters_and_named_parameters()
    {
        using var gpt = Tiny();
        var named = gpt.named_parameters().ToList();
        Assert.Contains(named, p => p.name == "transformer.wte.weight");
        Assert.DoesNotContain(named, p => p.name == "lm_head.weight");
        Assert.Equal(named.Count, named.Select(p => p.parameter.storage<float>().data_ptr()).Distinct().Count());
        Assert.Equal(gpt.ParameterCount, SumOfParameters(gpt));
    }

    /// <summary>On its first step Adam moves every parameter by at most lr; a weight stepped twice moves by 2·lr.</summary>
    [Fact]
    public void One_optimizer_step_moves_the_tied_weight_once()
    {
        manual_seed(10);
        using var gpt = Tiny();
        using var scope = NewDisposeScope();
        var before = gpt.TokenEmbedding.weight!.detach().clone();
        var idx = randint(0, 11, new long[] { 2, 8 });

        Train(gpt.parameters(), () => nn.functional.cross_entropy(gpt.Forward(idx).view(-1, 11), idx.view(-1)), steps: 1, lr: 0.01);

        var moved = (gpt.TokenEmbedding.weight!.detach() - before).abs().max().item<float>();
        Assert.True(moved <= 0.0101f, $"the tied weight moved by {moved} in one step of lr 0.01");
    }

    [Fact]
    public void Tie_survives_an_optimizer_step_and_save_load()
    {
        manual_seed(11);
        using var gpt = Tiny();
        using var scope = NewDisposeScope();
        var idx = randint(0, 11, new long[] { 2, 8 });
        Train(gpt.parameters(), () => nn.functional.cross_entropy(gpt.Forward(idx).view(-1, 11), idx.view(-1)), steps: 2, lr: 1e-2);
        Assert.Equal(gpt.TokenEmbedding.weight!.storage<float>().data_ptr(), gpt.LmHead.weight!.storage<float>().data_ptr());

        using var fresh = Tiny();
        SaveAndLoad(gpt, fresh);
        Assert.Equal(fresh.TokenEmbedding.weight!.storage<float>().data_ptr(), fresh.LmHead.weight!.storage<float>().data_ptr());
        AssertBitwiseEqual(gpt.TokenEmbedding.weight!, fresh.LmHead.weight!, "loaded lm_head.weight");
    }

    /// <summary>Moving the model (here to float64) keeps the head and the embedding one tensor, as PyTorch's Module.to() does.</summary>
    [Fact]
    public void Tie_survives_moving_the_model()
    {
        using var gpt = Tiny();
        gpt.to(ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, gpt.LmHead.weight!.dtype);
        Assert.Equal(gpt.TokenEmbedding.weight!.storage<double>().data_ptr(), gpt.LmHead.weight!.storage<double>().data_ptr());
        using (no_grad())
            gpt.TokenEmbedding.weight![2, 2].fill_(5.0);
        Assert.Equal(5.0, gpt.LmHead.weight![2, 2].item<double>());
    }

    /// <summary>Every overload of Module._to that to(), cpu(), cuda() and the cast shorthands go through keeps the tie.</summary>
    [Theory]
    [InlineData("to(dtype)")]
    [InlineData("to(device, dtype)")]
    [InlineData("to(tensor)")]
    [InlineData("double()")]
    [InlineData("to(DeviceType.META)")]
    public void Tie_survives_every_kind_of_move(string move)
    {
        using var gpt = Tiny();
        var device = cuda.is_available() ? CUDA : CPU;
        _ = move switch
        {
            "to(dtype)" => gpt.to(ScalarType.Float64),
            "to(device, dtype)" => gpt.to(device, ScalarType.Float64),
            "to(tensor)" => gpt.to(zeros(1, ScalarType.Float64, device)),
            "double()" => gpt.@double(),
            _ => gpt.to(DeviceType.META),
        };

        // Two tensors would be two entries: lm_head.weight listed and V·E counted twice.
        Assert.DoesNotContain(gpt.named_parameters(), p => p.name == "lm_head.weight");
        Assert.Equal(gpt.ParameterCount, SumOfParameters(gpt));
        if (gpt.TokenEmbedding.weight!.device_type != DeviceType.META)
            Assert.Equal(gpt.TokenEmbedding.weight!.storage<double>().data_ptr(), gpt.LmHead.weight!.storage<double>().data_ptr());
    }

    /// <summary>After a cast, an AdamW step over parameters() updates the shared tensor once, and both modules see it.</summary>
    [Fact]
    public void Tie_survives_a_cast_and_an_AdamW_step()
    {
        manual_seed(12);
        using var gpt = Tiny();
        gpt.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        Assert.Equal(gpt.ParameterCount, SumOfParameters(gpt));
        var before = gpt.TokenEmbedding.weight!.detach().clone();
        var idx = randint(0, 11, new long[] { 2, 8 });

        var optimizer = optim.AdamW(gpt.parameters(), lr: 0.01);
        optimizer.zero_grad();
        nn.functional.cross_entropy(gpt.Forward(idx).view(-1, 11), idx.view(-1)).backward();
        optimizer.step();

        Assert.Equal(ScalarType.Float64, gpt.TokenEmbedding.weight!.dtype);
        Assert.Equal(gpt.TokenEmbedding.weight!.storage<double>().data_ptr(), gpt.LmHead.weight!.storage<double>().data_ptr());
        Assert.Equal(0.0, (gpt.TokenEmbedding.weight! - gpt.LmHead.weight!).abs().max().item<double>());
        Assert.Equal(gpt.ParameterCount, gpt.parameters().Sum(p => p.numel()));
        // Adam's first step moves a parameter by at most lr (weight decay adds lr·0.01·|w|); stepped twice it would move 2·lr.
        var moved = (gpt.TokenEmbedding.weight!.detach() - before).abs().max().item<double>();
        Assert.True(moved is > 0 and <= 0.0101, $"the tied weight moved by {moved} in one step of lr 0.01");
    }

    /// <summary>
    /// nanoGPT initialises Linear and Embedding weights N(0, 0.02) (c_proj N(0, 0.02/√(2L))), so an untrained model
    /// predicts nearly uniformly: loss ≈ ln V (4.17 for V = 65). With TorchSharp's default N(0, 1) embeddings, which the
    /// tied head reuses, logits are huge and the first loss is an order of magnitude above ln V.
    /// </summary>
    [Fact]
    public void Untrained_model_predicts_nearly_uniformly_like_nanoGPT()
    {
        manual_seed(9);
        using var gpt = new Gpt(vocab: 65, blockSize: 64, layers: 4, heads: 4, embed: 128, dropout: 0.0);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var idx = randint(0, 65, new long[] { 4, 64 });
        var loss = nn.functional.cross_entropy(gpt.Forward(idx).view(-1, 65), randint(0, 65, new long[] { 4 * 64 })).item<float>();
        Assert.InRange(loss, Math.Log(65) - 0.5, Math.Log(65) + 0.5);
    }

    /// <summary>
    /// State-dict keys as the DSL names them (nanoGPT's layout without its "transformer." prefix; lm_head.weight is listed
    /// like PyTorch does for a tied weight), one per tensor.
    /// </summary>
    [Fact]
    public void State_dict_has_one_pytorch_style_key_per_tensor()
    {
        using var gpt = new Gpt(vocab: 11, blockSize: 16, layers: 1, heads: 2, embed: 16, dropout: 0.0);
        string[] block = ["ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
                          "ln_2.weight", "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias"];
        var expected = new[] { "transformer.wte.weight", "transformer.wpe.weight", "transformer.ln_f.weight", "transformer.ln_f.bias", "lm_head.weight" }.Concat(block.Select(k => "transformer.h.0." + k));
        Assert.Equal(expected.Order(StringComparer.Ordinal), gpt.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    // ---- Shapes ------------------------------------------------------------------------------------------------

    [Fact]
    public void Forward_gives_logits_per_position_and_refuses_sequences_longer_than_the_block()
    {
        manual_seed(12);
        using var gpt = Tiny(vocab: 11, blockSize: 16);
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 3, 10, 11 }, gpt.Forward(randint(0, 11, new long[] { 3, 10 })).shape);
        Assert.Equal(new long[] { 1, 16, 11 }, gpt.Forward(randint(0, 11, new long[] { 1, 16 })).shape);
        Assert.Throws<ShapeMismatchException>(() => gpt.Forward(randint(0, 11, new long[] { 1, 17 })));
        Assert.Throws<ShapeMismatchException>(() => gpt.Forward(randint(0, 11, new long[] { 10 })));
    }

    // ---- Causality ---------------------------------------------------------------------------------------------

    /// <summary>Changing every token after position t leaves the logits at positions ≤ t unchanged (eval, dropout 0).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(10)]
    public void Logits_at_or_before_t_do_not_depend_on_later_tokens(int t)
    {
        manual_seed(13);
        using var gpt = Tiny(vocab: 11, blockSize: 16);
        gpt.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        const int length = 12;
        var idx = randint(0, 11, new long[] { 2, length });
        var changed = idx.clone();
        changed[TensorIndex.Colon, TensorIndex.Slice(t + 1)] = (idx[TensorIndex.Colon, TensorIndex.Slice(t + 1)] + 1 + randint(0, 10, new long[] { 2, length - t - 1 })) % 11;
        Assert.True((changed[TensorIndex.Colon, TensorIndex.Slice(t + 1)] != idx[TensorIndex.Colon, TensorIndex.Slice(t + 1)]).all().item<bool>());

        var before = gpt.Forward(idx);
        var after = gpt.Forward(changed);

        var upToT = TensorIndex.Slice(0, t + 1);
        AssertClose(before[TensorIndex.Colon, upToT], after[TensorIndex.Colon, upToT], atol: 1e-6, what: $"logits at positions ≤ {t}");
        // The test has teeth: later positions do see the change.
        Assert.True((before[TensorIndex.Colon, TensorIndex.Slice(t + 1)] - after[TensorIndex.Colon, TensorIndex.Slice(t + 1)]).abs().max().item<float>() > 1e-3f);
    }

    // ---- Generation --------------------------------------------------------------------------------------------

    [Fact]
    public void Generate_appends_exactly_max_new_tokens_of_valid_ids_and_keeps_the_prompt()
    {
        manual_seed(14);
        using var gpt = Tiny(vocab: 11, blockSize: 16);
        using var scope = NewDisposeScope();
        var prompt = randint(0, 11, new long[] { 3, 5 });
        var generator = new Generator(seed: 1);

        var output = gpt.Generate(prompt, maxNewTokens: 7, temperature: 1.0, generator: generator);

        Assert.Equal(new long[] { 3, 12 }, output.shape);
        Assert.Equal(ScalarType.Int64, output.dtype);
        Assert.True(output.min().item<long>() >= 0);
        Assert.True(output.max().item<long>() < 11);
        Assert.True(AreEqual(output[TensorIndex.Colon, TensorIndex.Slice(0, 5)], prompt));
        Assert.True(gpt.training, "Generate restores training mode");

        var topK = gpt.Generate(prompt, maxNewTokens: 7, temperature: 0.8, topK: 3, generator: new Generator(seed: 2));
        Assert.Equal(new long[] { 3, 12 }, topK.shape);
        Assert.True(topK.min().item<long>() >= 0 && topK.max().item<long>() < 11);
        Assert.Equal(new long[] { 3, 5 }, gpt.Generate(prompt, maxNewTokens: 0).shape);
    }

    [Fact]
    public void Greedy_generation_is_deterministic_and_equals_top_1_sampling()
    {
        manual_seed(15);
        using var gpt = Tiny(vocab: 11, blockSize: 16);
        using var scope = NewDisposeScope();
        var prompt = randint(0, 11, new long[] { 2, 4 });

        var first = gpt.Generate(prompt, maxNewTokens: 8, temperature: 0);
        var second = gpt.Generate(prompt, maxNewTokens: 8, temperature: 0);
        var topOne = gpt.Generate(prompt, maxNewTokens: 8, temperature: 1.0, topK: 1, generator: new Generator(seed: 3));

        Assert.True(AreEqual(first, second));
        Assert.True(AreEqual(first, topOne));

        // Sampling is reproducible with a seeded generator.
        var a = gpt.Generate(prompt, maxNewTokens: 8, generator: new Generator(seed: 4));
        var b = gpt.Generate(prompt, maxNewTokens: 8, generator: new Generator(seed: 4));
        Assert.True(AreEqual(a, b));
    }

    /// <summary>
    /// With T + maxNewTokens &gt; blockSize the context is cropped to the last blockSize tokens: each greedy token is
    /// the argmax of Forward over (at most) the blockSize tokens before it.
    /// </summary>
    [Fact]
    public void Generation_crops_the_context_to_the_block_size()
    {
        manual_seed(16);
        const int blockSize = 6;
        using var gpt = Tiny(vocab: 11, blockSize: blockSize);
        gpt.eval();
        using var scope = NewDisposeScope();
        var prompt = randint(0, 11, new long[] { 2, 4 });

        var output = gpt.Generate(prompt, maxNewTokens: 9, temperature: 0);

        Assert.Equal(new long[] { 2, 13 }, output.shape);
        using var noGrad = no_grad();
        for (var position = 4; position < 13; position++)
        {
            var start = Math.Max(0, position - blockSize);
            var context = output[TensorIndex.Colon, TensorIndex.Slice(start, position)];
            var expected = gpt.Forward(context)[TensorIndex.Colon, -1].argmax(-1);
            Assert.True(AreEqual(expected, output[TensorIndex.Colon, position]), $"token at {position}");
        }
    }

    [Fact]
    public void Generate_validates_its_arguments()
    {
        using var gpt = Tiny();
        using var scope = NewDisposeScope();
        var prompt = zeros(1, 2, dtype: ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => gpt.Generate(zeros(1, 2), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => gpt.Generate(prompt, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => gpt.Generate(prompt, 1, temperature: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => gpt.Generate(prompt, 1, topK: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => gpt.Generate(prompt, 1, topK: 12));
    }

    // ---- Overfitting and save → load ---------------------------------------------------------------------------

    /// <summary>Four random 16-token sequences: next-token cross-entropy under 0.05 within 40 Adam steps (lr 1e-2).</summary>
    [Fact]
    public void Overfits_a_tiny_batch()
    {
        manual_seed(17);
        using var gpt = new Gpt(vocab: 16, blockSize: 16, layers: 2, heads: 2, embed: 32, dropout: 0.0);
        using var scope = NewDisposeScope();
        var data = randint(0, 16, new long[] { 4, 17 });
        var x = data[TensorIndex.Colon, TensorIndex.Slice(0, 16)];
        var y = data[TensorIndex.Colon, TensorIndex.Slice(1, 17)];

        var losses = Train(gpt.parameters(), () => nn.functional.cross_entropy(gpt.Forward(x).reshape(-1, 16), y.reshape(-1)), steps: 40, lr: 1e-2);

        Assert.True(losses[^1] < 0.05f, $"final loss {losses[^1]} (first {losses[0]}, under 0.05 first at step {FirstStepUnder(losses, 0.05f)})");
    }

    [Fact]
    public void Save_load_round_trip_gives_identical_logits()
    {
        manual_seed(18);
        using var trained = Tiny();
        using var scope = NewDisposeScope();
        var idx = randint(0, 11, new long[] { 2, 9 });
        Train(trained.parameters(), () => nn.functional.cross_entropy(trained.Forward(idx).view(-1, 11), idx.view(-1)), steps: 3, lr: 1e-2);

        using var fresh = Tiny();
        SaveAndLoad(trained, fresh);

        trained.eval();
        fresh.eval();
        using var noGrad = no_grad();
        AssertBitwiseEqual(trained.Forward(idx), fresh.Forward(idx), "logits");
    }
}
