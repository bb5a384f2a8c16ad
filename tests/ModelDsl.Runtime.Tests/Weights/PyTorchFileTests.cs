using System.IO;
using ModelDsl.Models.Transformers;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Weights;

/// <summary>
/// Files from real PyTorch (interop/pytorch): PyTorch 2.11 loaded the generated Gpt's weights with load_file +
/// load_state_dict, matched .NET's logits to 6e-7, and wrote them back with safetensors' save_model (one name per
/// tied tensor, the other noted in the metadata). That file loads here and reproduces .NET's logits exactly.
/// </summary>
public sealed class PyTorchFileTests
{
    private static string File(string name) => Path.Combine(System.AppContext.BaseDirectory, "PyTorch", name);

    [Fact]
    public void A_file_written_by_pytorch_save_model_loads_and_gives_the_reference_logits()
    {
        var names = SafetensorsFile.ReadSignature(File("from_pytorch.safetensors"));
        Assert.DoesNotContain(names, n => n.Name == "wte.weight"); // save_model dropped the tied duplicate
        Assert.Contains(names, n => n.Name == "lm_head.weight");

        using var model = new Gpt(vocab: 65, blockSize: 32, layers: 2, heads: 4, embed: 64, dropout: 0.0);
        using var reference = new ReferenceBatch();
        SafetensorsFile.Load(File("reference.safetensors"), reference);
        SafetensorsFile.Load(File("from_pytorch.safetensors"), model);
        model.eval();

        using var noGrad = no_grad();
        using var logits = model.Forward(reference.Idx);
        Assert.Equal(0f, (logits - reference.Logits).abs().max().item<float>());
        Assert.Equal(model.Wte.weight!.storage<float>().data_ptr(), model.Lm_Head.weight!.storage<float>().data_ptr()); // still one tensor
    }

    // The layout interop/pytorch/Export writes the reference batch and its logits in.
    private sealed class ReferenceBatch : nn.Module
    {
        public ReferenceBatch() : base("Reference")
        {
            register_buffer("idx", Idx);
            register_buffer("logits", Logits);
        }

        public Tensor Idx { get; } = zeros(3, 32, dtype: ScalarType.Int64);

        public Tensor Logits { get; } = zeros(3, 32, 65);
    }
}
