using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Training;

/// <summary>Small hand-written models, so that these tests do not depend on generated ones.</summary>
internal static class TestModels
{
    public static Sequential Mlp(long seed, int hidden = 8)
    {
        random.manual_seed(seed);
        return nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, 2));
    }

    public static Tensor Input()
    {
        using var g = new Generator(123);
        return randn([5, 4], generator: g);
    }

    /// <summary>Every parameter and buffer's raw bytes, to compare models bit for bit.</summary>
    public static byte[][] Snapshot(nn.Module model) =>
        model.state_dict().Values.Select(t => t.detach().contiguous().bytes.ToArray()).ToArray();

    /// <summary>A module with the same layer names as <see cref="Mlp"/> but another type.</summary>
    public sealed class OtherNet : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential body;

        public OtherNet() : base(nameof(OtherNet))
        {
            body = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => body.call(input);
    }
}
