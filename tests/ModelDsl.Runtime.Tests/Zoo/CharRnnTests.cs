using ModelDsl.Models.Zoo;
using ModelDsl.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Zoo;

/// <summary>
/// Karpathy's char-rnn against PyTorch's <c>nn.LSTM(batch_first=True)</c> with a given state: parameter names and
/// count, logits and final state, and a state carried across chunks equal to one pass over the whole sequence.
/// </summary>
public sealed class CharRnnTests(ITestOutputHelper output) : OneThreadTests
{
    [Fact]
    public void Matches_pytorch_with_its_state_in_and_out()
    {
        using var reference = new PyTorchReference("char_rnn");
        using var rnn = new CharRnn(vocab: 30, hidden: 16, layers: 2, dropout: 0.2);
        const long v = 30, h = 16;
        // Per LSTM layer: four gates over the input and over the state, two biases each.
        const long lstmLayer = (4 * h * h) + (4 * h * h) + (2 * 4 * h);
        Assert.Equal((v * h) + (2 * lstmLayer) + (h * v) + v, rnn.ParameterCount);
        Assert.Equal(rnn.ParameterCount, ModelTestKit.SumOfParameters(rnn));
        Assert.Equal(reference.ParameterCount, rnn.ParameterCount);
        Assert.Contains("rnn.weight_hh_l1", rnn.state_dict().Keys);

        reference.LoadInto(rnn);
        using var noGrad = no_grad();
        var (logits, hidden, cell) = rnn.Forward(reference.Input("tokens"), reference.Input("h0"), reference.Input("c0"));
        Assert.Equal(new long[] { 3, 9, v }, logits.shape);
        Assert.Equal(new long[] { 2, 3, h }, hidden.shape);
        var worst = new[] { reference.AssertClose("hidden", hidden), reference.AssertClose("cell", cell), reference.AssertClose("logits", logits) };
        output.WriteLine($"char-rnn: largest difference from PyTorch {System.Linq.Enumerable.Max(worst):G3}");
    }

    [Fact]
    public void Carrying_the_state_across_chunks_equals_one_pass()
    {
        using var rnn = new CharRnn(vocab: 12, hidden: 8, layers: 2, dropout: 0);
        rnn.eval();
        using var noGrad = no_grad();
        var tokens = randint(0, 12, [2, 10]);
        var zeros = torch.zeros(2, 2, 8);
        var (whole, wholeH, wholeC) = rnn.Forward(tokens, zeros, zeros);
        var (first, h, c) = rnn.Forward(tokens[.., ..6], zeros, zeros);
        var (second, lastH, lastC) = rnn.Forward(tokens[.., 6..], h, c);

        Assert.True((cat([first, second], 1) - whole).abs().max().item<float>() < 1e-6f);
        Assert.True((lastH - wholeH).abs().max().item<float>() < 1e-6f);
        Assert.True((lastC - wholeC).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Rejects_a_state_of_the_wrong_shape()
    {
        using var rnn = new CharRnn(vocab: 12, hidden: 8, layers: 2, dropout: 0);
        var error = Assert.Throws<ShapeMismatchException>(() => rnn.Forward(randint(0, 12, [2, 5]), torch.zeros(1, 2, 8), torch.zeros(2, 2, 8)));
        Assert.Contains("'h0'", error.Message, System.StringComparison.Ordinal);
    }
}
