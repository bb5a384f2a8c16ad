using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Models.Progressive;
using ModelDsl.Progressive;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static ModelDsl.Runtime.Tests.Models.ModelTestKit;

namespace ModelDsl.Runtime.Tests.Models;

/// <summary>Progressive networks (Rusu et al. 2016) of the showcase columns (src/Models/Progressive) on ProgressiveNetwork&lt;T&gt;.</summary>
public sealed class ProgressiveTests : OneThreadTests
{
    private const int Hidden = 32, Classes = 4;

    private const string RegistrationBug =
        "bug: ProgressiveNetwork registers its ModuleLists 'columns' and 'laterals' while they are empty, and TorchSharp's " +
        "ModuleList registers its items only once (RegisterComponents at registration); the per-column adapter ModuleList is " +
        "never registered at all. So network.parameters()/state_dict()/save() see no column and no adapter, AddColumn freezes " +
        "nothing, and TrainableParameters() omits the adapters (its own parameters() is empty): laterals are never trained. " +
        "Repro: var net = new ProgressiveNetwork<MlpColumn>(() => new MlpColumn(32, 4)); net.AddColumn(); net.AddColumn(); " +
        "net.parameters().Count() == 0; net.TrainableParameterCount == 26,308 (expected 29,574)";

    private static ProgressiveNetwork<MlpColumn> MlpNetwork() => new(() => new MlpColumn(hidden: Hidden, classes: Classes));

    // ---- Column parameter counts -------------------------------------------------------------------------------

    /// <summary>MlpColumn(h, c): Linear(784 → h) 785h + Linear(h → h) h² + h + Linear(h → c) hc + c; h 32, c 4: 26,308.</summary>
    [Fact]
    public void Mlp_column_parameter_count_matches_the_layer_by_layer_reference()
    {
        const long h = Hidden, c = Classes;
        const long reference = (784 * h + h) + (h * h + h) + (h * c + c);
        Assert.Equal(26_308, reference);
        using var column = new MlpColumn(hidden: Hidden, classes: Classes);
        Assert.Equal(reference, column.ParameterCount);
        Assert.Equal(reference, SumOfParameters(column));
        Assert.Equal(3, column.LayerCount);
    }

    /// <summary>
    /// ConvColumn(c): Conv2d(1 → 16, 3×3) 160; Conv2d(16 → 32, 3×3) 4,640; Linear(32·7·7 = 1,568 → 64) 100,416;
    /// Linear(64 → c) 65c. c = 10: 105,866.
    /// </summary>
    [Fact]
    public void Conv_column_parameter_count_matches_the_layer_by_layer_reference()
    {
        const long reference = (1 * 16 * 9 + 16) + (16 * 32 * 9 + 32) + (1568 * 64 + 64) + (64 * 10 + 10);
        Assert.Equal(105_866, reference);
        using var column = new ConvColumn(classes: 10);
        Assert.Equal(reference, column.ParameterCount);
        Assert.Equal(reference, SumOfParameters(column));
        Assert.Equal(4, column.LayerCount);
    }

    // ---- Shapes ------------------------------------------------------------------------------------------------

    [Fact]
    public void Every_column_maps_images_to_its_task_logits()
    {
        manual_seed(31);
        using var network = MlpNetwork();
        network.AddColumn();
        network.AddColumn();
        network.AddColumn();
        using var scope = NewDisposeScope();
        var x = randn(5, 1, 28, 28);
        for (var task = 0; task < 3; task++)
            Assert.Equal(new long[] { 5, Classes }, network.Forward(x, task).shape);
        Assert.Equal(new long[] { 5, Classes }, network.forward(x).shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => network.Forward(x, 3));
        Assert.Throws<ShapeMismatchException>(() => network.Forward(randn(5, 784), 0));

        using var conv = new ProgressiveNetwork<ConvColumn>(() => new ConvColumn(classes: 3));
        conv.AddColumn();
        conv.AddColumn();
        Assert.Equal(new long[] { 5, 3 }, conv.Forward(x, 0).shape);
        Assert.Equal(new long[] { 5, 3 }, conv.Forward(x, 1).shape);
    }

    // ---- Freezing ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Column 1 trains 15 steps on task A; column 2 then trains 15 steps on task B with Adam over
    /// TrainableParameters(). Every parameter and buffer of column 1 and column 1's outputs (Forward(x, task: 0)) stay
    /// bit-for-bit the same, while column 2 learns.
    /// </summary>
    [Fact]
    public void Training_a_new_column_leaves_the_earlier_column_bit_for_bit_unchanged()
    {
        manual_seed(32);
        using var network = MlpNetwork();
        using var scope = NewDisposeScope();
        var x = randn(16, 1, 28, 28);
        var labelsA = randint(0, Classes, new long[] { 16 });
        var labelsB = randint(0, Classes, new long[] { 16 });

        var first = network.AddColumn();
        var lossesA = Train(network.TrainableParameters(), () => nn.functional.cross_entropy(network.Forward(x, 0), labelsA), steps: 15, lr: 1e-2);
        Assert.True(lossesA[^1] < lossesA[0], "column 1 learns task A");

        var stateBefore = RawState(first);
        Tensor outputBefore;
        using (no_grad())
            outputBefore = network.Forward(x, 0);

        network.AddColumn();
        var trainable = network.TrainableParameters().ToList();
        var frozenStorage = first.parameters().Select(p => p.storage<float>().data_ptr()).ToHashSet();
        Assert.DoesNotContain(trainable, p => frozenStorage.Contains(p.storage<float>().data_ptr()));

        network.train();
        var lossesB = Train(trainable, () => nn.functional.cross_entropy(network.Forward(x, 1), labelsB), steps: 15, lr: 1e-2);
        Assert.True(lossesB[^1] < lossesB[0], "column 2 learns task B");

        var stateAfter = RawState(first);
        Assert.Equal(stateBefore.Keys.Order(), stateAfter.Keys.Order());
        foreach (var (name, bytes) in stateBefore)
            Assert.True(bytes.AsSpan().SequenceEqual(stateAfter[name]), $"column 1 {name} changed");

        using (no_grad())
            AssertBitwiseEqual(outputBefore, network.Forward(x, 0), "column 1 outputs");
    }

    [Fact]
    public void Training_a_new_conv_column_leaves_the_earlier_column_bit_for_bit_unchanged()
    {
        manual_seed(33);
        using var network = new ProgressiveNetwork<ConvColumn>(() => new ConvColumn(classes: 3));
        using var scope = NewDisposeScope();
        var x = randn(4, 1, 28, 28);
        var labels = randint(0, 3, new long[] { 4 });

        var first = network.AddColumn();
        Train(network.TrainableParameters(), () => nn.functional.cross_entropy(network.Forward(x, 0), labels), steps: 2, lr: 1e-3);
        var stateBefore = RawState(first);
        Tensor outputBefore;
        using (no_grad())
            outputBefore = network.Forward(x, 0);

        network.AddColumn();
        Train(network.TrainableParameters(), () => nn.functional.cross_entropy(network.Forward(x, 1), 2 - labels), steps: 3, lr: 1e-3);

        var stateAfter = RawState(first);
        foreach (var (name, bytes) in stateBefore)
            Assert.True(bytes.AsSpan().SequenceEqual(stateAfter[name]), $"column 1 {name} changed");
        using (no_grad())
            AssertBitwiseEqual(outputBefore, network.Forward(x, 0), "column 1 outputs");
    }

    /// <summary>
    /// The network owns its columns and adapters like any PyTorch module: parameters() and the state dict list them all
    /// (columns.k.*, laterals.k.i.*), and adding a column sets requires_grad = false on everything that came before.
    /// </summary>
    [Fact]
    public void Network_lists_every_column_and_adapter_and_freezes_the_earlier_ones()
    {
        using var network = MlpNetwork();
        var first = network.AddColumn();
        Assert.Equal(first.ParameterCount, SumOfParameters(network));
        network.AddColumn();

        const long adapters = (1 + (Hidden * Hidden + Hidden) + Hidden * Hidden) + (1 + (Hidden * Hidden + Hidden) + Hidden * Classes);
        Assert.Equal(2 * first.ParameterCount + adapters, SumOfParameters(network));
        Assert.Contains("columns.0.fc1.weight", network.state_dict().Keys);
        Assert.Contains("columns.1.head.bias", network.state_dict().Keys);
        Assert.Contains("laterals.1.0.v.weight", network.state_dict().Keys);
        Assert.All(first.parameters(), p => Assert.False(p.requires_grad, "an earlier column still requires grad"));
        Assert.All(network.TrainableParameters(), p => Assert.True(p.requires_grad));
    }

    /// <summary>Training column 2 trains its lateral adapters too (they are what transfers column 1's features).</summary>
    [Fact]
    public void Training_a_new_column_trains_its_lateral_adapters()
    {
        manual_seed(36);
        using var network = MlpNetwork();
        using var scope = NewDisposeScope();
        var x = randn(8, 1, 28, 28);
        var labels = randint(0, Classes, new long[] { 8 });
        network.AddColumn();
        network.AddColumn();
        var adapters = network.named_parameters().Where(p => p.name.StartsWith("laterals.1.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(adapters);
        var before = adapters.ToDictionary(p => p.name, p => Bytes(p.parameter));

        Train(network.TrainableParameters(), () => nn.functional.cross_entropy(network.Forward(x, 1), labels), steps: 3, lr: 1e-2);

        Assert.All(adapters, p => Assert.False(before[p.name].AsSpan().SequenceEqual(Bytes(p.parameter)), $"{p.name} did not move"));
    }

    // ---- Lateral adapters --------------------------------------------------------------------------------------

    /// <summary>
    /// Rusu et al. (2016), eq. 2, for MlpColumn(h, c) with k earlier columns: into Fc2, α scalar, V = Linear(h·k → h),
    /// U = Linear(h → h, no bias); into Head, α, V = Linear(h·k → h), U = Linear(h → c, no bias). The first layer and
    /// the first column have no laterals.
    /// </summary>
    [Fact]
    public void Mlp_adapters_have_the_shapes_of_Rusu_et_al()
    {
        using var network = MlpNetwork();
        network.AddColumn();
        network.AddColumn();
        network.AddColumn();
        var shapes = network.named_parameters().Where(p => p.name.StartsWith("laterals.", StringComparison.Ordinal))
            .ToDictionary(p => p.name, p => p.parameter.shape);

        var expected = new Dictionary<string, long[]>(StringComparer.Ordinal);
        for (var column = 1; column <= 2; column++)
        {
            var k = column; // earlier columns
            foreach (var (adapter, outputs) in new[] { (0, (long)Hidden), (1, (long)Classes) })
            {
                var prefix = $"laterals.{column}.{adapter}.";
                expected[prefix + "alpha"] = [1];
                expected[prefix + "v.weight"] = [Hidden, Hidden * k];
                expected[prefix + "v.bias"] = [Hidden];
                expected[prefix + "u.weight"] = [outputs, Hidden];
            }
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), shapes.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in expected)
            Assert.True(shape.SequenceEqual(shapes[name]), $"{name}: expected [{string.Join(", ", shape)}], got [{string.Join(", ", shapes[name])}]");
    }

    /// <summary>
    /// ConvColumn(c) with k earlier columns: into Conv2 (a 3×3 convolution 16 → 32 on 14×14 maps), V = Conv2d(16k → 16,
    /// 1×1) and U = Conv2d(16 → 32, 3×3, no bias) — the layer's geometry; into Hidden (dense on the flattened 32×7×7 map),
    /// V = Conv2d(32k → 32, 1×1) on the maps before the flatten, then U = Linear(1,568 → 64, no bias); into Head,
    /// V = Linear(64k → 64), U = Linear(64 → c, no bias).
    /// </summary>
    [Fact]
    public void Conv_adapters_have_the_shapes_of_Rusu_et_al()
    {
        using var network = new ProgressiveNetwork<ConvColumn>(() => new ConvColumn(classes: 3));
        network.AddColumn();
        network.AddColumn();
        var shapes = network.named_parameters().Where(p => p.name.StartsWith("laterals.", StringComparison.Ordinal))
            .ToDictionary(p => p.name, p => p.parameter.shape);

        var expected = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["laterals.1.0.alpha"] = [1],
            ["laterals.1.0.v.weight"] = [16, 16, 1, 1],
            ["laterals.1.0.v.bias"] = [16],
            ["laterals.1.0.u.weight"] = [32, 16, 3, 3],
            ["laterals.1.1.alpha"] = [1],
            ["laterals.1.1.v.weight"] = [32, 32, 1, 1],
            ["laterals.1.1.v.bias"] = [32],
            ["laterals.1.1.u.weight"] = [64, 1568],
            ["laterals.1.2.alpha"] = [1],
            ["laterals.1.2.v.weight"] = [64, 64],
            ["laterals.1.2.v.bias"] = [64],
            ["laterals.1.2.u.weight"] = [3, 64],
        };

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), shapes.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, shape) in expected)
            Assert.True(shape.SequenceEqual(shapes[name]), $"{name}: expected [{string.Join(", ", shape)}], got [{string.Join(", ", shapes[name])}]");

        // U keeps the layer's geometry: 'same' 3×3 padding, so the lateral adds onto the 14×14 output of Conv2.
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 2, 3 }, network.Forward(randn(2, 1, 28, 28), 1).shape);
    }

    /// <summary>
    /// The adapters a column declares for k earlier columns (IProgressiveColumn.CreateLateralAdapters), read directly:
    /// MlpColumn(h, c): [α, V = Linear(h·k → h), U = Linear(h → h, no bias)] into Fc2 and [α, V = Linear(h·k → h),
    /// U = Linear(h → c, no bias)] into Head; ConvColumn(c): [α, V = Conv2d(16k → 16, 1×1), U = Conv2d(16 → 32, 3×3, no bias)]
    /// into Conv2, [α, V = Conv2d(32k → 32, 1×1), U = Linear(1,568 → 64, no bias)] into Hidden (V before its flatten),
    /// [α, V = Linear(64k → 64), U = Linear(64 → c, no bias)] into Head.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Columns_declare_the_adapters_of_Rusu_et_al(int k)
    {
        using var mlp = new MlpColumn(hidden: Hidden, classes: Classes);
        AssertAdapters(mlp.CreateLateralAdapters(k),
            [("alpha", [1]), ("v.weight", [Hidden, Hidden * k]), ("v.bias", [Hidden]), ("u.weight", [Hidden, Hidden])],
            [("alpha", [1]), ("v.weight", [Hidden, Hidden * k]), ("v.bias", [Hidden]), ("u.weight", [Classes, Hidden])]);

        using var conv = new ConvColumn(classes: 3);
        AssertAdapters(conv.CreateLateralAdapters(k),
            [("alpha", [1]), ("v.weight", [16, 16 * k, 1, 1]), ("v.bias", [16]), ("u.weight", [32, 16, 3, 3])],
            [("alpha", [1]), ("v.weight", [32, 32 * k, 1, 1]), ("v.bias", [32]), ("u.weight", [64, 1568])],
            [("alpha", [1]), ("v.weight", [64, 64 * k]), ("v.bias", [64]), ("u.weight", [3, 64])]);
    }

    private static void AssertAdapters(IReadOnlyList<LateralAdapter> adapters, params (string Name, long[] Shape)[][] expected)
    {
        Assert.Equal(expected.Length, adapters.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var actual = adapters[i].named_parameters().Select(p => (p.name, Shape: string.Join(", ", p.parameter.shape))).OrderBy(p => p.name, StringComparer.Ordinal).ToList();
            var wanted = expected[i].Select(e => (e.Name, Shape: string.Join(", ", e.Shape))).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
            Assert.Equal(wanted, actual);
        }
    }

    /// <summary>
    /// Trainable parameters of column k+1 (k earlier columns) = the column + its adapters:
    /// MlpColumn(h, c) + [1 + (h·k·h + h) + h·h] + [1 + (h·k·h + h) + h·c]. h 32, c 4, k 1: 26,308 + 2,081 + 1,185 = 29,574;
    /// k 2: 26,308 + 3,105 + 2,209 = 31,622.
    /// </summary>
    [Fact]
    public void Trainable_parameter_count_of_a_new_mlp_column_matches_the_formula()
    {
        static long Formula(long h, long c, long k) =>
            ((784 * h + h) + (h * h + h) + (h * c + c))
            + (1 + (h * k * h + h) + h * h)
            + (1 + (h * k * h + h) + h * c);
        Assert.Equal(29_574, Formula(Hidden, Classes, 1));
        Assert.Equal(31_622, Formula(Hidden, Classes, 2));

        using var network = MlpNetwork();
        var first = network.AddColumn();
        Assert.Equal(first.ParameterCount, network.TrainableParameterCount);
        network.AddColumn();
        Assert.Equal(Formula(Hidden, Classes, 1), network.TrainableParameterCount);
        Assert.Equal(network.TrainableParameterCount, network.TrainableParameters().Sum(p => p.numel()));
        network.AddColumn();
        Assert.Equal(Formula(Hidden, Classes, 2), network.TrainableParameterCount);
    }

    /// <summary>
    /// ConvColumn(c) + Conv2 adapter [1 + (16·16k + 16) + 32·16·9] + Hidden adapter [1 + (32·32k + 32) + 1,568·64]
    /// + Head adapter [1 + (64·64k + 64) + 64c]. c 3, k 1: 105,411 + 4,881 + 101,409 + 4,353 = 216,054; each further
    /// earlier column adds 256 + 1,024 + 4,096 = 5,376. (V on the flattened 1,568 features, Linear(1,568k → 1,568), made the
    /// Hidden adapter 2,560,545 at k 1 and added 2,458,624 per further column.)
    /// </summary>
    [Fact]
    public void Trainable_parameter_count_of_a_new_conv_column_matches_the_formula()
    {
        static long Formula(long c, long k) =>
            (65 * c + 105_216)
            + (1 + (16 * 16 * k + 16) + 32 * 16 * 9)
            + (1 + (32 * 32 * k + 32) + 1568 * 64)
            + (1 + (64 * 64 * k + 64) + 64 * c);
        Assert.Equal(216_054, Formula(3, 1));
        Assert.Equal(221_430, Formula(3, 2));

        using var network = new ProgressiveNetwork<ConvColumn>(() => new ConvColumn(classes: 3));
        network.AddColumn();
        network.AddColumn();
        Assert.Equal(Formula(3, 1), network.TrainableParameterCount);
        network.AddColumn();
        Assert.Equal(Formula(3, 2), network.TrainableParameterCount);
    }

    /// <summary>
    /// A column records each layer's input for the later columns' adapters; for Hidden, which flattens the 32×7×7 map,
    /// that is the map before the flatten, and the adapter computes U flatten(σ(V α h)) from the concatenated maps.
    /// </summary>
    [Fact]
    public void Conv_column_feeds_its_hidden_adapter_the_maps_before_the_flatten()
    {
        manual_seed(37);
        using var column = new ConvColumn(classes: 3);
        using var scope = NewDisposeScope();
        var layerInputs = new List<Tensor>();
        using (no_grad())
            column.ForwardColumn(randn(2, 1, 28, 28), layerInputs, null);
        Assert.Equal(["2, 1, 28, 28", "2, 16, 14, 14", "2, 32, 7, 7", "2, 64"], layerInputs.Select(t => string.Join(", ", t.shape)));

        var adapter = column.CreateLateralAdapters(2)[1];
        var maps = cat(new[] { layerInputs[2], layerInputs[2].flip(0) }, 1);
        var p = adapter.named_parameters().ToDictionary(n => n.name, n => (Tensor)n.parameter);
        using var noGrad = no_grad();
        var reduced = nn.functional.relu(nn.functional.conv2d(maps * p["alpha"], p["v.weight"], p["v.bias"]));
        var expected = nn.functional.linear(reduced.flatten(1), p["u.weight"]);
        AssertBitwiseEqual(expected, adapter.call(maps), "Hidden adapter");
    }

    // ---- Overfitting and save → load ---------------------------------------------------------------------------

    /// <summary>A single MlpColumn(32, 4) fits 16 random images with random labels: cross-entropy under 0.05 within 60 Adam steps (lr 1e-2).</summary>
    [Fact]
    public void Mlp_column_overfits_a_tiny_batch()
    {
        manual_seed(34);
        using var column = new MlpColumn(hidden: Hidden, classes: Classes);
        using var scope = NewDisposeScope();
        var x = randn(16, 1, 28, 28);
        var labels = randint(0, Classes, new long[] { 16 });

        var losses = Train(column.parameters(), () => nn.functional.cross_entropy(column.Forward(x), labels), steps: 60, lr: 1e-2);

        Assert.True(losses[^1] < 0.05f, $"final loss {losses[^1]} (under 0.05 first at step {FirstStepUnder(losses, 0.05f)})");
    }

    [Fact]
    public void Save_load_round_trip_of_a_two_column_network_gives_identical_outputs()
    {
        manual_seed(35);
        using var trained = MlpNetwork();
        using var scope = NewDisposeScope();
        var x = randn(6, 1, 28, 28);
        var labels = randint(0, Classes, new long[] { 6 });
        trained.AddColumn();
        Train(trained.TrainableParameters(), () => nn.functional.cross_entropy(trained.Forward(x, 0), labels), steps: 2, lr: 1e-2);
        trained.AddColumn();
        Train(trained.TrainableParameters(), () => nn.functional.cross_entropy(trained.Forward(x, 1), labels), steps: 2, lr: 1e-2);

        using var fresh = MlpNetwork();
        fresh.AddColumn();
        fresh.AddColumn();
        SaveAndLoad(trained, fresh);

        using var noGrad = no_grad();
        AssertBitwiseEqual(trained.Forward(x, 0), fresh.Forward(x, 0), "task 0 logits");
        AssertBitwiseEqual(trained.Forward(x, 1), fresh.Forward(x, 1), "task 1 logits");
    }
}
