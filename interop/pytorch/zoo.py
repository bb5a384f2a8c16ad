"""Reference outputs of the zoo's models, computed by PyTorch, for the .NET parity tests.

Usage: python3 interop/pytorch/zoo.py interop/pytorch/files/zoo

Debian's python3-torch (1.13) and python3-torchvision are enough. Each model is built in plain PyTorch (torchvision's
own BasicBlock for the ResNet blocks), initialised from a fixed seed with batch-norm statistics that are not the
defaults, and run in evaluation mode on fixed inputs. For each model it writes NAME.safetensors holding the weights
under the ModelDsl model's state-dict keys, the inputs as input.*, and the outputs as output.*. The VAE draws its
noise from the global generator right after torch.manual_seed(FORWARD_SEED); libtorch's CPU generator gives the same
draws in .NET, so the test reseeds the same way.
"""
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models.resnet import BasicBlock

from safetensors_io import save

FORWARD_SEED = 7


def randomise_norms(module):
    """Batch-norm statistics and affine parameters away from their defaults, so evaluation mode is tested."""
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)
            m.num_batches_tracked.fill_(3)
        if isinstance(m, nn.LayerNorm):
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.5, 0.5)


def renamed(state, renames):
    out = {}
    for key, value in state.items():
        for old, new in renames.items():
            if key.startswith(old + "."):
                key = new + key[len(old):]
        out[key] = value
    return out


class MixerBlock(nn.Module):
    """One MLP-Mixer layer (Tolstikhin et al. 2021): token mixing on the transposed sequence, then channel mixing."""

    def __init__(self, tokens, channels, token_hidden, channel_hidden):
        super().__init__()
        self.token_norm = nn.LayerNorm(channels)
        self.token_fc1 = nn.Linear(tokens, token_hidden)
        self.token_fc2 = nn.Linear(token_hidden, tokens)
        self.channel_norm = nn.LayerNorm(channels)
        self.channel_fc1 = nn.Linear(channels, channel_hidden)
        self.channel_fc2 = nn.Linear(channel_hidden, channels)

    def forward(self, x):
        y = self.token_norm(x).transpose(1, 2)
        x = x + self.token_fc2(F.gelu(self.token_fc1(y))).transpose(1, 2)
        return x + self.channel_fc2(F.gelu(self.channel_fc1(self.channel_norm(x))))


class MlpMixer(nn.Module):
    def __init__(self, channels, depth, token_hidden, channel_hidden, classes, patch=4, image=32):
        super().__init__()
        tokens = (image // patch) ** 2
        self.stem = nn.Conv2d(3, channels, patch, stride=patch)
        self.blocks = nn.ModuleList(MixerBlock(tokens, channels, token_hidden, channel_hidden) for _ in range(depth))
        self.norm = nn.LayerNorm(channels)
        self.head = nn.Linear(channels, classes)

    def forward(self, x):
        x = self.stem(x).flatten(2).transpose(1, 2)
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x).mean(dim=1))


class Vae(nn.Module):
    """The VAE of Kingma and Welling (2014) in the layout of PyTorch's example: fc1, fc21/fc22, fc3, fc4."""

    def __init__(self, features, hidden, latent):
        super().__init__()
        self.fc1 = nn.Linear(features, hidden)
        self.fc21 = nn.Linear(hidden, latent)
        self.fc22 = nn.Linear(hidden, latent)
        self.fc3 = nn.Linear(latent, hidden)
        self.fc4 = nn.Linear(hidden, features)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, log_var = self.fc21(h), self.fc22(h)
        sigma = torch.exp(0.5 * log_var)
        z = mu + torch.randn_like(sigma) * sigma
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, log_var


def main(out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(1234)

    block = BasicBlock(16, 16)
    randomise_norms(block)
    block.eval()
    x = torch.randn(2, 16, 8, 8)
    with torch.no_grad():
        save(out / "basic_block.safetensors", {**block.state_dict(), "input.x": x, "output.y": block(x)})

    down = BasicBlock(16, 32, stride=2, downsample=nn.Sequential(nn.Conv2d(16, 32, 1, stride=2, bias=False), nn.BatchNorm2d(32)))
    randomise_norms(down)
    down.eval()
    even, odd = torch.randn(2, 16, 32, 32), torch.randn(2, 16, 31, 31)
    state = renamed(down.state_dict(), {"downsample.0": "downsample_conv", "downsample.1": "downsample_norm"})
    with torch.no_grad():
        save(out / "downsample_block.safetensors", {**state, "input.even": even, "output.even": down(even), "input.odd": odd, "output.odd": down(odd)})

    mixer = MlpMixer(channels=16, depth=2, token_hidden=32, channel_hidden=64, classes=10)
    randomise_norms(mixer)
    mixer.eval()
    images = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        save(out / "mlp_mixer.safetensors", {**mixer.state_dict(), "input.x": images, "output.y": mixer(images)})

    vae = Vae(features=64, hidden=32, latent=8)
    vae.eval()
    pixels = torch.rand(4, 64)
    state = renamed(vae.state_dict(), {"fc1": "encoder", "fc21": "mu", "fc22": "log_var", "fc3": "decoder", "fc4": "reconstruction"})
    torch.manual_seed(FORWARD_SEED)
    with torch.no_grad():
        reconstruction, mu, log_var = vae(pixels)
    save(out / "vae.safetensors", {**state, "input.x": pixels, "output.reconstruction": reconstruction, "output.mu": mu, "output.log_var": log_var})
    print(f"wrote {len(list(out.glob('*.safetensors')))} files to {out} with PyTorch {torch.__version__}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "interop/pytorch/files/zoo")
