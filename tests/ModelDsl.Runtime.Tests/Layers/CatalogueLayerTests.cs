using System.Linq;
using ModelDsl.Runtime.Tests.Generated;
using ModelDsl.Runtime.Tests.Models;
using ModelDsl.Runtime.Tests.Zoo;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Layers;

/// <summary>
/// The catalogue's newer layers in generated models against PyTorch (interop/pytorch/zoo.py): Conv1d, GroupNorm,
/// RMSNorm, a bidirectional two-layer GRU with its state, learned tokens and tables, rotary attention and Select;
/// their state-dict names, parameter counts and outputs.
/// </summary>
public sealed class CatalogueLayerTests : OneThreadTests
{
    [Fact]
    public void Conv1d_group_norm_and_rms_norm_match_pytorch()
    {
        using var reference = new PyTorchReference("sequence_conv");
        using var model = new SequenceConv();
        // Conv1d 4→8 (kernel 5) with bias, GroupNorm's scale and shift, Conv1d 8→16 (kernel 3) without, RMSNorm's scale.
        const long expected = (4 * 8 * 5) + 8 + (2 * 8) + (8 * 16 * 3) + 16;
        Assert.Equal(expected, SequenceConv.ParameterCount);
        Assert.Equal(expected, ModelTestKit.SumOfParameters(model));
        Assert.Equal(expected, reference.ParameterCount);

        reference.LoadInto(model);
        using var noGrad = no_grad();
        reference.AssertClose("y", model.Forward(reference.Input("x")));
        // "same" keeps the length, stride 2 roughly halves it: any length works.
        Assert.Equal(new long[] { 3, 16 }, model.Forward(randn(3, 4, 7)).shape);
    }

    /// <summary>TorchSharp's GroupNorm allocates its scale and shift without setting them; the generated model sets them as PyTorch does.</summary>
    [Fact]
    public void Group_norm_starts_with_ones_and_zeros_as_in_pytorch()
    {
        for (var i = 0; i < 3; i++)
        {
            using var model = new SequenceConv();
            var state = model.state_dict();
            Assert.True(state["norm1.weight"].eq(1).all().item<bool>(), string.Join(", ", state["norm1.weight"].data<float>().ToArray()));
            Assert.True(state["norm1.bias"].eq(0).all().item<bool>(), string.Join(", ", state["norm1.bias"].data<float>().ToArray()));
        }
    }

    [Fact]
    public void Gru_has_pytorch_names_and_matches_it_with_a_given_state()
    {
        using var reference = new PyTorchReference("bi_gru");
        using var model = new BiGruTagger();
        string[] names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse"];
        Assert.All(names, n => Assert.Contains("rnn." + n, model.state_dict().Keys));
        Assert.Equal(new long[] { 3 * 8, 2 * 8 }, model.state_dict()["rnn.weight_ih_l1"].shape);
        // Per direction: layer 0 reads 6 features, layer 1 both directions' 16; three gates of 8, two biases each.
        const long gru = 2 * ((24 * 6) + (24 * 8) + 48 + (24 * 16) + (24 * 8) + 48);
        Assert.Equal(gru + (16 * 3) + 3, BiGruTagger.ParameterCount);
        Assert.Equal(BiGruTagger.ParameterCount, reference.ParameterCount);

        reference.LoadInto(model);
        using var noGrad = no_grad();
        var (scores, h) = model.Forward(reference.Input("x"), reference.Input("h0"));
        reference.AssertClose("scores", scores);
        reference.AssertClose("h", h);
    }

    [Fact]
    public void Learned_tokens_bias_rotary_attention_and_select_match_pytorch()
    {
        using var reference = new PyTorchReference("token_model");
        using var model = new TokenModel();
        Assert.Equal(["tokens", "bias", "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias"], model.state_dict().Keys.ToArray());
        Assert.Equal(new long[] { 1, 2, 8 }, model.Tokens.shape);
        Assert.Equal((2 * 8) + 8 + (4 * 8 * 8) + (4 * 8), TokenModel.ParameterCount);
        Assert.Equal(TokenModel.ParameterCount, reference.ParameterCount);

        reference.LoadInto(model);
        using var noGrad = no_grad();
        reference.AssertClose("y", model.Forward(reference.Input("x")));
    }

    [Fact]
    public void Learned_tensors_are_trained_parameters()
    {
        using var model = new TokenModel();
        Assert.Contains(model.parameters(), p => ReferenceEquals(p, model.Tokens));
        model.Forward(randn(2, 3, 8)).sum().backward();
        Assert.True(model.Tokens.grad is { } grad && grad.abs().sum().item<float>() > 0, "the tokens get a gradient");
        Assert.True(model.Bias.grad is { } bias && bias.abs().sum().item<float>() > 0, "the bias gets a gradient");
    }

    [Fact]
    public void An_lstm_without_state_taps_starts_from_zeros_and_evaluates_as_it_trains()
    {
        using var model = new StatelessLstm();
        var x = randn(2, 4, 3);
        var zeros = torch.zeros(1, 2, 5);
        var (expected, _, _) = model.Rnn.call(x, (zeros, zeros));

        // Without gradients libtorch would pick a oneDNN kernel that is wrong on some AVX-512 CPUs (Recurrent.Lstm).
        using var noGrad = no_grad();
        var y = model.Forward(x);
        Assert.False(y.requires_grad);
        Assert.True((y - expected).abs().max().item<float>() < 1e-6f);
    }
}
