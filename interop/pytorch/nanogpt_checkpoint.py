"""A checkpoint written by PyTorch from a nanoGPT-layout GPT, for the .NET test that loads it verbatim.

Usage: python3 nanogpt_checkpoint.py OUT_DIR

Writes OUT_DIR/nanogpt.safetensors (the state dict exactly as PyTorch names it, tied tensor under both names) and
OUT_DIR/nanogpt-reference.safetensors (a batch of token ids and the logits PyTorch computes for it in eval mode).
"""
import sys

import torch

from nanogpt import Gpt
from safetensors_io import save


def main(out):
    torch.manual_seed(2024)
    model = Gpt(vocab=65, block_size=32, layers=2, heads=4, embed=64)
    for name, parameter in model.named_parameters():
        if name.endswith(".bias"):
            torch.nn.init.normal_(parameter, 0, 0.02)  # nonzero biases, so every tensor matters
    model.eval()
    idx = torch.randint(0, 65, (3, 32))
    with torch.no_grad():
        logits = model(idx)
    save(f"{out}/nanogpt.safetensors", model.state_dict())
    save(f"{out}/nanogpt-reference.safetensors", {"idx": idx, "logits": logits})
    print(f"wrote {out}/nanogpt.safetensors ({len(model.state_dict())} tensors) with PyTorch {torch.__version__}")


if __name__ == "__main__":
    main(sys.argv[1])
