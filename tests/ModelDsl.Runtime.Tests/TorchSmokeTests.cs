using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests;

/// <summary>libtorch loads and differentiates on this machine (Debian 12 needs the build-time compatibility step).</summary>
public sealed class TorchSmokeTests
{
    [Fact]
    public void TensorOpAndBackwardPass()
    {
        var x = tensor(new[] { 1f, 2f, 3f }, requires_grad: true);
        var y = (x * x).sum();
        y.backward();
        Assert.Equal(new[] { 2f, 4f, 6f }, x.grad!.data<float>().ToArray());
        Assert.Equal(14f, y.item<float>());
    }
}
