using System;
using System.IO;
using System.Linq;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>
/// A model with an Adam optimizer that has taken a step, to load checkpoints into; <see cref="Capture"/> takes every
/// bit a load may change (model, optimizer, libtorch's CPU generator) so that a failed load can be shown to change none.
/// </summary>
internal sealed class LoadTarget : IDisposable
{
    public LoadTarget(long seed, bool amsgrad = false)
    {
        Model = TestModels.Mlp(seed);
        Optimizer = optim.Adam(Model.parameters(), lr: 0.02, amsgrad: amsgrad);
        Step(Model, Optimizer, steps: 1);
    }

    public Sequential Model { get; }

    public Adam Optimizer { get; }

    /// <summary>Everything a load may change, as bytes.</summary>
    public sealed record State(byte[][] Model, byte[] Optimizer, byte[] Rng)
    {
        public bool SameAs(State other) =>
            Model.Length == other.Model.Length
            && Model.Zip(other.Model).All(p => p.First.AsSpan().SequenceEqual(p.Second))
            && Optimizer.AsSpan().SequenceEqual(other.Optimizer)
            && Rng.AsSpan().SequenceEqual(other.Rng);
    }

    public State Capture()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            Optimizer.save_state_dict(writer);
        using var rng = torch.random.get_rng_state();
        return new State(TestModels.Snapshot(Model), buffer.ToArray(), rng.bytes.ToArray());
    }

    /// <summary>Trains <paramref name="model"/> for a few steps on a fixed batch.</summary>
    public static void Step(Sequential model, optim.Optimizer optimizer, int steps)
    {
        using var input = TestModels.Input();
        using var target = zeros(5, 2);
        for (var i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            using var loss = nn.functional.mse_loss(model.call(input), target);
            loss.backward();
            optimizer.step();
        }
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
    }
}
