using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Inference;
using ModelDsl.Models.Dcgan;
using ModelDsl.Models.Transformers;
using ModelDsl.Onnx;
using ModelDsl.Runtime.Tests.Generated;
using ModelDsl.Runtime.Tests.Models;
using TorchSharp;
using Xunit;
using static ModelDsl.Runtime.Tests.Onnx.OnnxTestKit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Onnx;

/// <summary>What an exported file holds: names, shapes, weights, metadata, opsets, external data; and that ONNX's checker accepts it.</summary>
public sealed class OnnxFileTests : OneThreadTests
{
    private static global::Onnx.ModelProto Read(string path) => global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));

    private static Gpt TinyGpt() => new(vocab: 11, blockSize: 16, layers: 2, heads: 2, embed: 16, dropout: 0.0);

    [Fact]
    public void Initializers_are_the_state_dict_with_the_tied_weight_once()
    {
        using var gpt = TinyGpt();
        using var exported = Export(gpt.ExportOnnx);
        var graph = Read(exported.Path).Graph;

        var state = gpt.state_dict();
        var initializers = graph.Initializer.Where(i => state.ContainsKey(i.Name)).ToDictionary(i => i.Name);
        // Every weight but the head's, which is the token embedding's tensor and is stored once, under its first name.
        Assert.Equal(state.Keys.Where(k => k != "lm_head.weight").OrderBy(k => k), initializers.Keys.OrderBy(k => k));
        Assert.Equal(state.Count - 1, initializers.Count);
        foreach (var (name, proto) in initializers)
        {
            Assert.Equal(state[name].shape, proto.Dims.ToArray());
            Assert.True(ModelTestKit.Bytes(state[name]).AsSpan().SequenceEqual(proto.RawData.Span), $"{name}: the bytes differ from the state dict's");
        }

        // The constants the graph made are small: shapes, axes, scales.
        Assert.All(graph.Initializer.Where(i => !state.ContainsKey(i.Name)), i => Assert.True(i.RawData.Length <= 256, i.Name));
    }

    [Fact]
    public void Inputs_and_outputs_carry_the_declared_names_symbolic_dims_and_hyperparameters()
    {
        using var gpt = TinyGpt();
        using var exported = Export(gpt.ExportOnnx);
        var model = Read(exported.Path);

        Assert.Equal(OnnxExportOptions.DefaultOpset, model.OpsetImport.Single().Version);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal("Gpt", model.Graph.Name);
        Assert.Equal("ModelDsl", model.ProducerName);
        Assert.Equal(new[] { "idx: Int64 [B, T]" }, exported.Model.Inputs.Select(p => p.ToString()));
        Assert.Equal(new[] { "output: Float [B, T, 11]" }, exported.Model.Outputs.Select(p => p.ToString()));
        Assert.Equal("16", exported.Model.Hyperparameters["blockSize"]);
        Assert.Equal("0", exported.Model.Hyperparameters["dropout"]);
        Assert.Equal(6, exported.Model.Hyperparameters.Count);
    }

    [Fact]
    public void External_data_holds_the_weights_beside_the_model_and_loads()
    {
        manual_seed(2);
        using var gpt = TinyGpt();
        gpt.eval();
        using var exported = Export(gpt.ExportOnnx, new OnnxExportOptions { ExternalData = OnnxExternalData.Always });
        var graph = Read(exported.Path).Graph;

        var data = exported.Path + ".data";
        Assert.True(File.Exists(data));
        var external = graph.Initializer.Where(i => i.DataLocation == global::Onnx.TensorProto.Types.DataLocation.External).ToList();
        Assert.Contains(external, i => i.Name == "transformer.h.0.mlp.c_fc.weight");
        Assert.All(external, i => Assert.Empty(i.RawData));
        Assert.All(external, i => Assert.Equal("0", (long.Parse(i.ExternalData.Single(e => e.Key == "offset").Value) % 4096).ToString()));

        using var scope = NewDisposeScope();
        var idx = randint(0, 11, new long[] { 2, 9 });
        AssertClose(gpt.Forward(idx), exported.Model.Run(ToOnnx(idx))[0], "Gpt with external data");
    }

    [Fact]
    public void A_second_export_inline_removes_the_data_file_of_an_earlier_one()
    {
        using var model = new ParityMlp();
        using var exported = Export(model.ExportOnnx, new OnnxExportOptions { ExternalData = OnnxExternalData.Always });
        Assert.True(File.Exists(exported.Path + ".data"));
        model.ExportOnnx(exported.Path);
        Assert.False(File.Exists(exported.Path + ".data"));
        Assert.All(Read(exported.Path).Graph.Initializer, i => Assert.Equal(global::Onnx.TensorProto.Types.DataLocation.Default, i.DataLocation));
    }

    /// <summary>The lowerings that differ by opset (Gelu from 20, ReduceMean's axes from 18) and the sequence layers agree at every supported opset.</summary>
    [Theory]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(20)]
    [InlineData(OnnxOpsets.Max)]
    public void Every_supported_opset_gives_the_same_outputs(int opset)
    {
        var options = new OnnxExportOptions { Opset = opset };
        foreach (var name in new[] { "ActivationChain", "SequenceShapes", "Pools", "ParityStack", "SequenceConv", "BiGruTagger", "TokenModel" })
            OnnxLayerAndStepTests.Case(name).Run(options);
    }

    [Fact]
    public void An_opset_outside_the_supported_range_is_refused()
    {
        using var model = new ParityMlp();
        var path = Path.Combine(Path.GetTempPath(), $"modeldsl-{Guid.NewGuid():N}.onnx");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.ExportOnnx(path, new OnnxExportOptions { Opset = 13 }));
        Assert.Contains("opsets 17 to", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_float64_model_is_refused_with_the_fix()
    {
        using var model = new ParityMlp();
        model.to(ScalarType.Float64);
        var path = Path.Combine(Path.GetTempPath(), $"modeldsl-{Guid.NewGuid():N}.onnx");
        var error = Assert.Throws<NotSupportedException>(() => model.ExportOnnx(path));
        Assert.Contains("hidden.weight", error.Message);
        Assert.Contains("Float32", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Inputs_are_checked_against_the_declaration_before_the_run()
    {
        using var model = new TwoInputs();
        using var exported = Export(model.ExportOnnx);
        var a = OnnxTensor.Float(new float[8], 2, 4);

        var wrongWidth = Assert.Throws<ArgumentException>(() => exported.Model.Run(a, OnnxTensor.Float(new float[10], 2, 5)));
        Assert.Contains("input 'b' expected shape [B, 6] (B = 2) but got [2, 5]", wrongWidth.Message);
        var otherBatch = Assert.Throws<ArgumentException>(() => exported.Model.Run(a, OnnxTensor.Float(new float[18], 3, 6)));
        Assert.Contains("input 'b' expected shape [B, 6] (B = 2) but got [3, 6]", otherBatch.Message);
        var wrongType = Assert.Throws<ArgumentException>(() => exported.Model.Run(OnnxTensor.Int64(new long[8], 2, 4), OnnxTensor.Float(new float[12], 2, 6)));
        Assert.Contains("input 'a' takes Float elements but got Int64", wrongType.Message);
        var unknown = Assert.Throws<ArgumentException>(() => exported.Model.Run(new OnnxInput("c", a)));
        Assert.Contains("has no input 'c'", unknown.Message);
    }

    /// <summary>Every model of the parity tests, exported at the default opset, passes ONNX's own checker.</summary>
    [OnnxCheckerFact]
    public void Exported_files_pass_ONNXs_checker()
    {
        var directory = Path.Combine(Path.GetTempPath(), "modeldsl-onnx-check-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var paths = new List<string>();
            foreach (var (name, create) in OnnxShowcaseTests.Models().Concat(OnnxLayerAndStepTests.Models()))
            {
                using var model = create();
                var path = Path.Combine(directory, name + ".onnx");
                OnnxParityCase.Export(model, path, null);
                paths.Add(path);
            }

            using (var dcgan = new DcganGenerator(noise: 16, channels: 1, size: 28, width: 8))
            {
                var external = Path.Combine(directory, "external.onnx");
                dcgan.ExportOnnx(external, new OnnxExportOptions { ExternalData = OnnxExternalData.Always });
                paths.Add(external);
            }

            OnnxChecker.Check(paths);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
