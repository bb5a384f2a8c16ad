using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Models.Dcgan;

/// <summary>
/// The DCGAN paper's initialisation (Radford et al. 2016, and PyTorch's DCGAN example): convolution, transposed
/// convolution and linear weights N(0, 0.02), batch-norm scales N(1, 0.02), biases 0. TorchSharp's defaults size a
/// transposed convolution's weights by its output channels: the last 64 → 1 layer starts with weights up to ±0.2,
/// its tanh saturates, and the generator collapses to one image within the first epoch.
/// </summary>
public static class DcganInitialization
{
    /// <summary>Re-initialises every layer of <paramref name="model"/> (a generator or a discriminator).</summary>
    public static void Apply(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in model.named_modules())
        {
            var weightMean = module switch
            {
                Conv2d or ConvTranspose2d or Linear => 0.0,
                BatchNorm1d or BatchNorm2d => 1.0,
                _ => (double?)null,
            };
            if (weightMean is not { } mean)
                continue;
            foreach (var (name, parameter) in module.named_parameters(recurse: false))
            {
                if (name == "weight")
                    nn.init.normal_(parameter, mean, 0.02);
                else
                    parameter.zero_();
            }
        }
    }
}
