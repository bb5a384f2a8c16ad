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
    public Task ResNetBlocks() => ShowcaseModelTests.VerifyGroup(
        ["Zoo/ResNetBlocks.cs"],
        ["ModelDsl.Models.Zoo.BasicBlock.g.cs", "ModelDsl.Models.Zoo.DownsampleBlock.g.cs"]);

    [Fact]
    public Task MlpMixer() => ShowcaseModelTests.VerifyGroup(
        ["Zoo/MlpMixer.cs"],
        ["ModelDsl.Models.Zoo.MixerBlock.g.cs", "ModelDsl.Models.Zoo.MlpMixer.g.cs"]);

    [Fact]
    public Task Vae() => ShowcaseModelTests.VerifyGroup(
        ["Zoo/Vae.cs"],
        ["ModelDsl.Models.Zoo.Vae.g.cs"]);
}
