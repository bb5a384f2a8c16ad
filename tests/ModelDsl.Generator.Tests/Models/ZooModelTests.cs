using System.Threading.Tasks;
using Xunit;

namespace ModelDsl.Generator.Tests.Models;

/// <summary>
/// The zoo's models as they are in src/Models/Zoo, compiled with the generator: no diagnostics, no errors, and the
/// generated code as in the snapshots under Models/Snapshots.
/// </summary>
public sealed class ZooModelTests
{
    [Fact]
    public Task ResNet18() => ShowcaseModelTests.VerifyGroup(
        ["Zoo/ResNetBlocks.cs", "Zoo/ResNet18.cs"],
        ["ModelDsl.Models.Zoo.BasicBlock.g.cs", "ModelDsl.Models.Zoo.DownsampleBlock.g.cs", "ModelDsl.Models.Zoo.ResNet18.g.cs", "ModelDsl.Models.Zoo.ResNetStage.g.cs"]);

    [Fact]
    public Task VisionTransformer() => ShowcaseModelTests.VerifyGroup(
        ["Zoo/VisionTransformer.cs"],
        ["ModelDsl.Models.Zoo.VisionTransformer.g.cs", "ModelDsl.Models.Zoo.VitBlock.g.cs"]);

    [Fact]
    public Task UNet() => ShowcaseModelTests.VerifyGroup(
        ["Zoo/UNet.cs"],
        ["ModelDsl.Models.Zoo.DoubleConv.g.cs", "ModelDsl.Models.Zoo.UNet.g.cs"]);

    [Fact]
    public Task Llama() => ShowcaseModelTests.VerifyGroup(
        ["Zoo/Llama.cs"],
        ["ModelDsl.Models.Zoo.FeedForward.g.cs", "ModelDsl.Models.Zoo.Llama.g.cs", "ModelDsl.Models.Zoo.LlamaBlock.g.cs"]);

    [Fact]
    public Task CharRnn() => ShowcaseModelTests.VerifyGroup(
        ["Zoo/CharRnn.cs"],
        ["ModelDsl.Models.Zoo.CharRnn.g.cs"]);

    [Fact]
    public Task MlpMixer() => ShowcaseModelTests.VerifyGroup(
        ["Zoo/MlpMixer.cs"],
        ["ModelDsl.Models.Zoo.MixerBlock.g.cs", "ModelDsl.Models.Zoo.MlpMixer.g.cs"]);

    [Fact]
    public Task Vae() => ShowcaseModelTests.VerifyGroup(
        ["Zoo/Vae.cs"],
        ["ModelDsl.Models.Zoo.Vae.g.cs"]);
}
