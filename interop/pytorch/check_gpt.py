"""Loads a GPT that ModelDsl generated and trained in .NET into nanoGPT's layout, and writes it back from PyTorch.

Usage: python3 check_gpt.py FILES_DIR OUT_DIR

FILES_DIR holds gpt.safetensors and reference.safetensors (written by `Export export`). The script loads the weights
with load_state_dict (strict: every name and shape), computes the logits for the reference batch, compares them with
the ones .NET computed, and writes OUT_DIR/from_pytorch.safetensors from the model's state_dict (both names of the tied
tensor, as torch.save would), which `Export verify` loads back into the generated model.
"""
import sys

import torch

from nanogpt import Gpt
from safetensors_io import load, save


def main(files, out):
    state = load(f"{files}/gpt.safetensors")
    print(f"gpt.safetensors: {len(state)} tensors, e.g. " + ", ".join(f"{k} {tuple(v.shape)}" for k, v in list(state.items())[:3]))
    model = Gpt(vocab=65, block_size=32, layers=2, heads=4, embed=64)
    model.load_state_dict(state)  # strict: every name and shape must match
    model.eval()
    assert model.transformer.wte.weight is model.lm_head.weight, "the tie survives load_state_dict"

    reference = load(f"{files}/reference.safetensors")
    with torch.no_grad():
        logits = model(reference["idx"])
    difference = (logits - reference["logits"]).abs().max().item()
    print(f"PyTorch {torch.__version__}: max |logits - .NET logits| = {difference:.2e}")

    save(f"{out}/from_pytorch.safetensors", model.state_dict())
    print(f"wrote {out}/from_pytorch.safetensors from PyTorch's state_dict")
    return 0 if difference < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
