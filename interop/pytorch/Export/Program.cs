using System;
using System.IO;
using ModelDsl.Models.Transformers;
using ModelDsl.Training;
using ModelDsl.Weights;
using TorchSharp;
using static TorchSharp.torch;

// export DIR: writes DIR/gpt.safetensors (a generated Gpt, trained for a few steps so no tensor is at its
// initial value) and DIR/reference.safetensors (an index batch and the logits .NET computes for it).
// verify DIR FILE: loads FILE (written by PyTorch) into a fresh Gpt and compares its logits with the reference.
if (args.Length < 2 || args[0] is not ("export" or "verify") || (args[0] == "verify" && args.Length < 3))
{
    Console.Error.WriteLine("usage: Export export DIR | Export verify DIR FILE");
    return 2;
}

var dir = Directory.CreateDirectory(args[1]).FullName;
Seeding.Seed(7);
using var model = new Gpt(vocab: 65, blockSize: 32, layers: 2, heads: 4, embed: 64, dropout: 0.0);
model.eval();

if (args[0] == "export")
{
    using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
    for (var step = 0; step < 5; step++)
    {
        using var scope = NewDisposeScope();
        var batch = randint(0, 65, [4, 33], dtype: ScalarType.Int64);
        var logits = model.forward(batch[.., ..32]);
        var loss = nn.functional.cross_entropy(logits.view(-1, 65), batch[.., 1..].reshape(-1));
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
    }

    SafetensorsFile.Save(Path.Combine(dir, "gpt.safetensors"), model);
    using var reference = new Reference(randint(0, 65, [3, 32], dtype: ScalarType.Int64), model);
    SafetensorsFile.Save(Path.Combine(dir, "reference.safetensors"), reference);
    Console.WriteLine($"wrote {dir}/gpt.safetensors and reference.safetensors");
    return 0;
}

using var expected = new Reference(zeros(3, 32, dtype: ScalarType.Int64), null);
SafetensorsFile.Load(Path.Combine(dir, "reference.safetensors"), expected);
SafetensorsFile.Load(args[2], model);
using var noGrad = no_grad();
using var actual = model.forward(expected.Idx);
var difference = (actual - expected.Logits).abs().max().item<float>();
Console.WriteLine($"{args[2]}: loaded; max |logits - reference| = {difference:E2}");
return difference < 1e-4 ? 0 : 1;

/// <summary>An index batch and the logits for it, as buffers, so they travel in a safetensors file too.</summary>
internal sealed class Reference : nn.Module
{
    public Reference(Tensor idx, Gpt? model) : base(nameof(Reference))
    {
        Idx = idx;
        using (no_grad())
            Logits = model is null ? zeros(3, 32, 65) : model.forward(idx);
        register_buffer("idx", Idx);
        register_buffer("logits", Logits);
    }

    public Tensor Idx { get; }

    public Tensor Logits { get; }
}
