using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Parity;

// The parity models written by hand in idiomatic TorchSharp: fields named as PyTorch would name the
// submodules, RegisterComponents, functional activations. Nothing here uses ModelDsl.

internal sealed class HandMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden = nn.Linear(784, 256);
    private readonly Linear output = nn.Linear(256, 10);

    public HandMlp() : base(nameof(HandMlp)) => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.relu(hidden.call(x.flatten(1)));
        return scope.MoveToOuter(output.call(h));
    }
}

internal sealed class HandCnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 8, 3, padding: 1);
    private readonly BatchNorm2d bn1 = nn.BatchNorm2d(8);
    private readonly Conv2d conv2 = nn.Conv2d(8, 16, 3, padding: 1);
    private readonly BatchNorm2d bn2 = nn.BatchNorm2d(16);
    private readonly Linear fc1 = nn.Linear(16 * 7 * 7, 32);
    private readonly Linear fc2 = nn.Linear(32, 10);

    public HandCnn() : base(nameof(HandCnn)) => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = nn.functional.max_pool2d(nn.functional.relu(bn1.call(conv1.call(x))), 2);
        x = nn.functional.max_pool2d(nn.functional.relu(bn2.call(conv2.call(x))), 2);
        x = nn.functional.relu(fc1.call(x.flatten(1)));
        return scope.MoveToOuter(fc2.call(x));
    }
}

internal sealed class HandBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly Linear up;
    private readonly Linear down;
    private readonly double dropout;

    public HandBlock(int embed, int hidden, double dropout) : base(nameof(HandBlock))
    {
        norm = nn.LayerNorm(embed);
        up = nn.Linear(embed, hidden);
        down = nn.Linear(hidden, embed);
        this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.dropout(nn.functional.gelu(up.call(norm.call(x))), dropout, training);
        return scope.MoveToOuter(x + down.call(h));
    }
}

internal sealed class HandDcganDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Linear project = nn.Linear(100, 7 * 7 * 256, hasBias: false);
    private readonly BatchNorm1d norm0 = nn.BatchNorm1d(7 * 7 * 256);
    private readonly ConvTranspose2d up1 = nn.ConvTranspose2d(256, 128, 5, padding: 2, bias: false);
    private readonly BatchNorm2d norm1 = nn.BatchNorm2d(128);
    private readonly ConvTranspose2d up2 = nn.ConvTranspose2d(128, 64, 5, stride: 2, padding: 2, output_padding: 1, bias: false);
    private readonly BatchNorm2d norm2 = nn.BatchNorm2d(64);
    private readonly ConvTranspose2d up3 = nn.ConvTranspose2d(64, 1, 5, stride: 2, padding: 2, output_padding: 1);

    public HandDcganDecoder() : base(nameof(HandDcganDecoder)) => RegisterComponents();

    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.leaky_relu(norm0.call(project.call(z)), 0.2).view(-1, 256, 7, 7);
        x = nn.functional.leaky_relu(norm1.call(up1.call(x)), 0.2);
        x = nn.functional.leaky_relu(norm2.call(up2.call(x)), 0.2);
        return scope.MoveToOuter(tanh(up3.call(x)));
    }
}

internal sealed class HandCrossMix : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear memory_proj;
    private readonly LayerNorm mixed;

    public HandCrossMix(int embed) : base(nameof(HandCrossMix))
    {
        memory_proj = nn.Linear(embed, embed);
        mixed = nn.LayerNorm(embed);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor memory)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(mixed.call(cat(new[] { x, memory_proj.call(memory) }, 1)));
    }
}

internal sealed class HandEncoderDecoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear encoder = nn.Linear(16, 32);
    private readonly HandCrossMix cross = new(32);

    public HandEncoderDecoder() : base(nameof(HandEncoderDecoder)) => RegisterComponents();

    public override Tensor forward(Tensor source, Tensor target)
    {
        using var scope = NewDisposeScope();
        var memory = nn.functional.relu(encoder.call(source));
        return scope.MoveToOuter(cross.call(target, memory));
    }
}

internal sealed class HandStack : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<HandBlock> blocks = new();
    private readonly LayerNorm final_norm;

    public HandStack(int embed, int layers) : base(nameof(HandStack))
    {
        for (var i = 0; i < layers; i++)
            blocks.Add(new HandBlock(embed, 4 * embed, 0.0));
        final_norm = nn.LayerNorm(embed);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        foreach (var block in blocks)
            x = block.call(x);
        return scope.MoveToOuter(final_norm.call(x));
    }
}
