using ModelDsl.Runtime.Tests.Data;
using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

public sealed class SeedingTests
{
    [Fact]
    public void SameSeedSameDrawsOnBothSides()
    {
        var r1 = Seeding.Seed(2024);
        using var t1 = randn(4);
        var n1 = r1.Next();

        var r2 = Seeding.Seed(2024);
        using var t2 = randn(4);
        Assert.Equal(n1, r2.Next());
        Assert.True(TensorAssert.Same(t1, t2));
    }
}
