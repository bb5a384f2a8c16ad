using ModelDsl.Runtime.Tests.Generated;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Layers;

/// <summary>
/// The generator runs a ReLU or LeakyReLU in place only right after the member's own layer: the caller's tensor
/// is never overwritten, and the values and gradients are those of the out-of-place functions.
/// </summary>
public sealed class InPlaceActivationTests
{
    [Fact]
    public void The_argument_is_left_as_it_was_and_values_and_gradients_match_out_of_place()
    {
        manual_seed(3);
        using var model = new ActivatedInput();
        using var x = randn(5, 8);
        using var original = x.clone();

        using var y = model.Forward(x);
        y.sum().backward();

        Assert.True(x.equal(original).all().item<bool>(), "Forward overwrote its argument");
        var fc = model.Fc;
        using var expected = nn.functional.relu(fc.call(nn.functional.leaky_relu(original, 0.1)));
        Assert.True(y.allclose(expected), "in-place values differ");

        using var weight = fc.weight!.detach().clone().requires_grad_(true);
        using var bias = fc.bias!.detach().clone().requires_grad_(true);
        using var reference = nn.functional.relu(nn.functional.linear(nn.functional.leaky_relu(original, 0.1), weight, bias));
        reference.sum().backward();
        Assert.True(fc.weight!.grad!.allclose(weight.grad!), "weight gradients differ");
        Assert.True(fc.bias!.grad!.allclose(bias.grad!), "bias gradients differ");
    }
}
