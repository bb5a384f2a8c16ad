using System.IO;
using ModelDsl.Models.Transformers;
using ModelDsl.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Runtime.Tests.Weights;

/// <summary>
/// Files from real PyTorch (interop/pytorch, Debian's torch 1.13): the generated Gpt's state-dict keys are nanoGPT's, so
/// PyTorch loads its weights into nanoGPT's layout with a strict load_state_dict (logits within 7e-7 of .NET's), and
/// what PyTorch writes, from its own state_dict, loads back here verbatim.
/// </summary>
public sealed class PyTorchFileTests
{
    private static string File(string name) => Path.Combine(System.AppContext.BaseDirectory, "PyTorch", name);

    [Fact]
    public void Weights_written_back_by_pytorch_load_and_give_the_reference_logits()
    {
        var names = SafetensorsFile.ReadSignature(File("from_pytorch.safetensors"));
        Assert.Contains(names, n => n.Name == "transformer.wte.weight");
        Assert.Contains(names, n => n.Name == "lm_head.weight");

        using var model = new Gpt(vocab: 65, blockSize: 32, layers: 2, heads: 4, embed: 64, dropout: 0.0);
        using var reference = new ReferenceBatch();
        SafetensorsFile.Load(File("reference.safetensors"), reference);
        SafetensorsFile.Load(File("from_pytorch.safetensors"), model);
        model.eval();

        using var noGrad = no_grad();
        using var logits = model.Forward(reference.Idx);
        Assert.Equal(0f, (logits - reference.Logits).abs().max().item<float>());
        Assert.Equal(model.TokenEmbedding.weight!.storage<float>().data_ptr(), model.LmHead.weight!.storage<float>().data_ptr()); // still one tensor
    }

    [Fact]
    public void A_nanogpt_checkpoint_written_by_pytorch_loads_verbatim_and_gives_its_logits()
    {
        // nanogpt_checkpoint.py: nanoGPT's layout, PyTorch's own state_dict names, nothing renamed on either side.
        using var model = new Gpt(vocab: 65, blockSize: 32, layers: 2, heads: 4, embed: 64, dropout: 0.0);
        using var reference = new ReferenceBatch();
        SafetensorsFile.Load(File("nanogpt-reference.safetensors"), reference);
        SafetensorsFile.Load(File("nanogpt.safetensors"), model);
        model.eval();

        using var noGrad = no_grad();
        using var logits = model.Forward(reference.Idx);
        Assert.True((logits - reference.Logits).abs().max().item<float>() <= 1e-5f);
        Assert.Equal(model.TokenEmbedding.weight!.storage<float>().data_ptr(), model.LmHead.weight!.storage<float>().data_ptr());
    }

    // The layout of a reference batch and its logits.
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
