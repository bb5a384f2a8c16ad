using System;
using System.Linq;
using ModelDsl.Models.Zoo;
using ModelDsl.Runtime.Tests.Generated;
using ModelDsl.Runtime.Tests.Models;
using Xunit;
using Xunit.Abstractions;
using static ModelDsl.Runtime.Tests.Onnx.OnnxTestKit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Onnx;

/// <summary>
/// <c>RandnLike</c> becomes ONNX's <c>RandomNormalLike</c>, whose numbers are not libtorch's: the VAE's deterministic
/// outputs match exactly, its reconstruction matches once the noise is scaled away, and the noise itself is tested
/// for its distribution.
/// </summary>
public sealed class OnnxNoiseTests(ITestOutputHelper output) : OneThreadTests
{
    [Fact]
    public void Vae_code_matches_TorchSharp_and_so_does_the_reconstruction_when_sigma_vanishes()
    {
        manual_seed(5);
        using var vae = new Vae(features: 20, hidden: 12, latent: 4);
        vae.eval();
        // log σ² = −60: σ = e⁻³⁰, so z = μ + σ·ε equals μ in float32 whatever ε is.
        using (no_grad())
        {
            vae.LogVar.weight!.zero_();
            vae.LogVar.bias!.fill_(-60f);
        }

        using var exported = Export(vae.ExportOnnx);
        Assert.Equal(new[] { "Reconstruction", "Mu", "LogVar" }, exported.Model.Outputs.Select(o => o.Name));
        var largest = 0.0;
        foreach (var batch in new long[] { 1, 6 })
        {
            using var scope = NewDisposeScope();
            var x = rand(batch, 20);
            var (reconstruction, mu, logVar) = vae.Forward(x);
            var actual = exported.Model.Run(ToOnnx(x));
            largest = new[]
            {
                AssertClose(reconstruction, actual["Reconstruction"], $"Vae reconstruction [{batch}]"),
                AssertClose(mu, actual["Mu"], $"Vae mu [{batch}]"),
                AssertClose(logVar, actual["LogVar"], $"Vae log-variance [{batch}]"),
                largest,
            }.Max();
        }

        output.WriteLine($"Vae: largest difference {largest:G3}");
    }

    [Fact]
    public void RandnLike_draws_fresh_standard_normal_noise_at_every_run()
    {
        using var model = new Noise();
        using var exported = Export(model.ExportOnnx);
        var input = ToOnnx(zeros(4, 10_000));

        var first = exported.Model.Run(input)[0].Floats;
        var second = exported.Model.Run(input)[0].Floats;
        var mean = first.Average(v => (double)v);
        var deviation = Math.Sqrt(first.Average(v => (v - mean) * (v - mean)));
        // 40,000 draws: the mean's standard error is 0.005, the deviation's about 0.0035.
        Assert.InRange(mean, -0.025, 0.025);
        Assert.InRange(deviation, 0.98, 1.02);
        Assert.True(first.Zip(second).Count(p => p.First == p.Second) < 10, "two runs drew the same numbers");
        output.WriteLine($"RandnLike: mean {mean:F4}, deviation {deviation:F4}");
    }
}
