using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks.HandWritten;

// The DCGAN of TensorFlow's tutorial (MNIST, 100-d noise, width 64) written by hand in idiomatic TorchSharp.
// Used as the baseline the generated DcganGenerator / DcganDiscriminator are timed against.

/// <summary>Noise [B, 100] → images [B, 1, 28, 28] in [-1, 1].</summary>
internal sealed class HandWrittenDcganGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Linear project = nn.Linear(100, 7 * 7 * 256, hasBias: false);
    private readonly BatchNorm1d norm0 = nn.BatchNorm1d(7 * 7 * 256);
    private readonly ConvTranspose2d up1 = nn.ConvTranspose2d(256, 128, 5, padding: 2, bias: false);
    private readonly BatchNorm2d norm1 = nn.BatchNorm2d(128);
    private readonly ConvTranspose2d up2 = nn.ConvTranspose2d(128, 64, 5, stride: 2, padding: 2, output_padding: 1, bias: false);
    private readonly BatchNorm2d norm2 = nn.BatchNorm2d(64);
    private readonly ConvTranspose2d up3 = nn.ConvTranspose2d(64, 1, 5, stride: 2, padding: 2, output_padding: 1);

    public HandWrittenDcganGenerator() : base("Generator") => RegisterComponents();

    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.leaky_relu(norm0.call(project.call(z)), 0.2).view(-1, 256, 7, 7);
        x = nn.functional.leaky_relu(norm1.call(up1.call(x)), 0.2);
        x = nn.functional.leaky_relu(norm2.call(up2.call(x)), 0.2);
        return scope.MoveToOuter(tanh(up3.call(x)));
    }
}

/// <summary>Images [B, 1, 28, 28] → one logit per image.</summary>
internal sealed class HandWrittenDcganDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 64, 5, stride: 2, padding: 2);
    private readonly Conv2d conv2 = nn.Conv2d(64, 128, 5, stride: 2, padding: 2);
    private readonly Linear logit = nn.Linear(128 * 7 * 7, 1);

    public HandWrittenDcganDiscriminator() : base("Discriminator") => RegisterComponents();

    public override Tensor forward(Tensor image)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.dropout(nn.functional.leaky_relu(conv1.call(image), 0.2), 0.3, training);
        x = nn.functional.dropout(nn.functional.leaky_relu(conv2.call(x), 0.2), 0.3, training);
        return scope.MoveToOuter(logit.call(x.flatten(1)));
    }
}
