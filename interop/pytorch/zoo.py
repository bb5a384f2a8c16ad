"""Reference outputs of the zoo's models, computed by PyTorch, for the .NET parity tests.

Usage: python3 interop/pytorch/zoo.py interop/pytorch/files/zoo

Debian's python3-torch (1.13) and python3-torchvision are enough. Each model is built in plain PyTorch (torchvision's
own ResNet-18, BasicBlock and Vision Transformer; the others in zoo_models.py), initialised from a fixed seed with
normalisation parameters that are not the defaults, and run in evaluation mode on fixed inputs. For each model it
writes NAME.safetensors holding the weights under the ModelDsl model's state-dict keys (renamed where the layouts
differ), the inputs as input:*, the outputs as output:*, and PyTorch's parameter count as count:parameters (a colon
cannot occur in a state-dict key, so these never collide with a weight such as LLaMA's output.weight).

ResNet-18's 11.7 million weights would make a 47 MB file, so its convolution and linear weights are procedural
(procedural_weight below, which the .NET test computes bit for bit, checked against checksum:* sums); only its
one-dimensional tensors (biases, batch-norm parameters and statistics) are stored.

The VAE draws its noise from the global generator right after torch.manual_seed(FORWARD_SEED); libtorch's CPU
generator gives the same draws in .NET, so the test reseeds the same way.
"""
import re
import sys
from pathlib import Path

import torch
import torch.nn as nn
from torchvision.models import resnet18
from torchvision.models.resnet import BasicBlock
from torchvision.models.vision_transformer import VisionTransformer

import zoo_models as zm

from safetensors_io import save

FORWARD_SEED = 7


def count(model):
    return {"count:parameters": torch.tensor(sum(p.numel() for p in model.parameters()), dtype=torch.int64)}


def randomise_norms(module):
    """Normalisation statistics and affine parameters away from their defaults, so evaluation mode is tested."""
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
            m.num_batches_tracked.fill_(3)
        if isinstance(m, (nn.LayerNorm, nn.GroupNorm)):
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
        if isinstance(m, zm.RMSNorm):
            m.weight.data.uniform_(0.5, 1.5)


def renamed(state, renames):
    """Renames keys by prefix; renames apply in order, each to the result of the previous."""
    out = {}
    for key, value in state.items():
        for old, new in renames.items():
            if key.startswith(old + "."):
                key = new + key[len(old):]
        out[key] = value
    return out


def fnv1a(text):
    """32-bit FNV-1a of the UTF-8 bytes."""
    h = 0x811C9DC5
    for b in text.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def procedural_weight(key, shape):
    """Weights .NET computes bit for bit: integers hashed from the key and the index, times a power of two.

    u = ((i + 1) * 2654435761 + fnv1a(key)) mod 2^32 gives v = u // 256 - 2^23 in [-2^23, 2^23), and the weight is
    v * 2^(1 - k - 23) for the smallest k with 4^k >= fan_in: uniform in about [-2, 2] / sqrt(fan_in), exact in float32.
    """
    n = 1
    for d in shape:
        n *= d
    fan_in, k = n // shape[0], 0
    while 4 ** k < fan_in:
        k += 1
    i = torch.arange(n, dtype=torch.int64)
    v = ((i + 1) * 2654435761 + fnv1a(key)) % 2 ** 32 // 256 - 2 ** 23
    return (v.to(torch.float64) * 2.0 ** (1 - k - 23)).to(torch.float32).reshape(shape)


def resnet18_keys(key):
    """torchvision's keys to the DSL's: stage N's block 0 is layerN.down, its block k is layerN.blocks.(k - 1)."""
    key = re.sub(r"^(layer[234])\.0\.downsample\.0\.", r"\1.0.downsample_conv.", key)
    key = re.sub(r"^(layer[234])\.0\.downsample\.1\.", r"\1.0.downsample_norm.", key)
    key = re.sub(r"^(layer[234])\.0\.", r"\1.down.", key)
    return re.sub(r"^(layer[234])\.(\d+)\.", lambda m: f"{m.group(1)}.blocks.{int(m.group(2)) - 1}.", key)


def write_resnet18(out):
    model = resnet18()
    state = {resnet18_keys(k): v for k, v in model.state_dict().items()}
    with torch.no_grad():
        for key, value in state.items():
            if value.dim() >= 2:
                value.copy_(procedural_weight(key, list(value.shape)))
            elif key.endswith(".bias") or key.endswith(".weight"):
                value.uniform_(-0.5, 0.5) if key.endswith(".bias") else value.uniform_(0.5, 1.5)
        # Batch-norm statistics of real activations (the cumulative average over a few batches), so that evaluation
        # mode normalises as after training.
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.reset_running_stats()
                m.momentum = None
        model.train()
        for _ in range(4):
            model(torch.randn(8, 3, 64, 64))
        model.eval()
        x = torch.randn(2, 3, 64, 64)
        y = model(x)
    state = {resnet18_keys(k): v for k, v in model.state_dict().items()}
    stored = {k: v for k, v in state.items() if v.dim() < 2}
    checksums = {"checksum:" + k: v.to(torch.float64).sum().reshape(1) for k, v in state.items() if v.dim() >= 2}
    save(out / "resnet18.safetensors", {**stored, **checksums, **count(model), "input:x": x, "output:y": y})


def vit_keys(state):
    """torchvision's ViT keys to the DSL's; the fused attention input projection is cut into query, key, value."""
    out = {}
    for key, value in state.items():
        key = key.replace("encoder.pos_embedding", "pos_embedding").replace("encoder.ln.", "ln.").replace("heads.head.", "head.")
        key = re.sub(r"^encoder\.layers\.encoder_layer_(\d+)\.", r"layers.\1.", key)
        key = key.replace(".mlp.0.", ".mlp_in.").replace(".mlp.3.", ".mlp_out.").replace(".out_proj.", ".out.")
        if key.endswith(".in_proj_weight") or key.endswith(".in_proj_bias"):
            prefix, kind = key.rsplit(".in_proj_", 1)
            for name, part in zip(("query", "key", "value"), value.chunk(3)):
                out[f"{prefix}.{name}.{kind}"] = part
        else:
            out[key] = value
    return out


def write_vit(out):
    vit = VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=4, hidden_dim=32, mlp_dim=64, num_classes=10)
    randomise_norms(vit)
    with torch.no_grad():
        vit.class_token.normal_()
        vit.encoder.pos_embedding.normal_()
        # torchvision starts the classifier at zero; any output would then match.
        vit.heads.head.weight.normal_(0, 0.2)
        vit.heads.head.bias.uniform_(-0.5, 0.5)
    vit.eval()
    images = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        save(out / "vit.safetensors", {**vit_keys(vit.state_dict()), **count(vit), "input:x": images, "output:y": vit(images)})


def write_unet(out):
    unet = zm.UNet(in_channels=3, classes=2, width=8, groups=4)
    randomise_norms(unet)
    unet.eval()
    images = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        save(out / "unet.safetensors", {**unet.state_dict(), **count(unet), "input:x": images, "output:y": unet(images)})


def llama_keys(state):
    return {re.sub(r"\.w([qkvo])\.", lambda m: "." + {"q": "query", "k": "key", "v": "value", "o": "out"}[m.group(1)] + ".", k): v
            for k, v in state.items()}


def write_llama(out):
    block = zm.LlamaBlock(dim=32, heads=4, hidden=64)
    randomise_norms(block)
    x = torch.randn(2, 6, 32)
    with torch.no_grad():
        save(out / "llama_block.safetensors", {**llama_keys(block.state_dict()), **count(block), "input:x": x, "output:y": block(x)})

    llama = zm.Llama(vocab=50, dim=32, layers=2, heads=4, hidden=64)
    randomise_norms(llama)
    tokens = torch.randint(0, 50, (2, 7))
    with torch.no_grad():
        save(out / "llama.safetensors", {**llama_keys(llama.state_dict()), **count(llama), "input:tokens": tokens, "output:logits": llama(tokens)})


def write_char_rnn(out):
    rnn = zm.CharRnn(vocab=30, hidden=16, layers=2, dropout=0.2)
    rnn.eval()
    tokens = torch.randint(0, 30, (3, 9))
    h0, c0 = torch.randn(2, 3, 16), torch.randn(2, 3, 16)
    with torch.no_grad():
        logits, h, c = rnn(tokens, h0, c0)
    save(out / "char_rnn.safetensors", {**rnn.state_dict(), **count(rnn), "input:tokens": tokens, "input:h0": h0, "input:c0": c0,
                                        "output:logits": logits, "output:hidden": h, "output:cell": c})


def write_catalogue(out):
    conv = zm.SequenceConv()
    randomise_norms(conv)
    conv.eval()
    x = torch.randn(2, 4, 32)
    with torch.no_grad():
        save(out / "sequence_conv.safetensors", {**conv.state_dict(), **count(conv), "input:x": x, "output:y": conv(x)})

    gru = zm.BiGruTagger()
    gru.eval()
    x, h0 = torch.randn(3, 5, 6), torch.randn(4, 3, 8)
    with torch.no_grad():
        scores, h = gru(x, h0)
    save(out / "bi_gru.safetensors", {**gru.state_dict(), **count(gru), "input:x": x, "input:h0": h0, "output:scores": scores, "output:h": h})

    tokens = zm.TokenModel()
    x = torch.randn(2, 5, 8)
    state = renamed(tokens.state_dict(), {"c_attn": "attn.c_attn", "c_proj": "attn.c_proj"})
    with torch.no_grad():
        save(out / "token_model.safetensors", {**state, **count(tokens), "input:x": x, "output:y": tokens(x)})


def main(out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(1234)

    block = BasicBlock(16, 16)
    randomise_norms(block)
    block.eval()
    x = torch.randn(2, 16, 8, 8)
    with torch.no_grad():
        save(out / "basic_block.safetensors", {**block.state_dict(), "input:x": x, "output:y": block(x)})

    down = BasicBlock(16, 32, stride=2, downsample=nn.Sequential(nn.Conv2d(16, 32, 1, stride=2, bias=False), nn.BatchNorm2d(32)))
    randomise_norms(down)
    down.eval()
    even, odd = torch.randn(2, 16, 32, 32), torch.randn(2, 16, 31, 31)
    state = renamed(down.state_dict(), {"downsample.0": "downsample_conv", "downsample.1": "downsample_norm"})
    with torch.no_grad():
        save(out / "downsample_block.safetensors", {**state, "input:even": even, "output:even": down(even), "input:odd": odd, "output:odd": down(odd)})

    mixer = zm.MlpMixer(channels=16, depth=2, token_hidden=32, channel_hidden=64, classes=10)
    randomise_norms(mixer)
    mixer.eval()
    images = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        save(out / "mlp_mixer.safetensors", {**mixer.state_dict(), "input:x": images, "output:y": mixer(images)})

    vae = zm.Vae(features=64, hidden=32, latent=8)
    vae.eval()
    pixels = torch.rand(4, 64)
    state = renamed(vae.state_dict(), {"fc1": "encoder", "fc21": "mu", "fc22": "log_var", "fc3": "decoder", "fc4": "reconstruction"})
    torch.manual_seed(FORWARD_SEED)
    with torch.no_grad():
        reconstruction, mu, log_var = vae(pixels)
    save(out / "vae.safetensors", {**state, "input:x": pixels, "output:reconstruction": reconstruction, "output:mu": mu, "output:log_var": log_var})

    torch.manual_seed(2024)
    write_resnet18(out)
    write_vit(out)
    write_unet(out)
    write_llama(out)
    write_char_rnn(out)
    write_catalogue(out)
    print(f"wrote {len(list(out.glob('*.safetensors')))} files to {out} with PyTorch {torch.__version__}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "interop/pytorch/files/zoo")
