"""Loads a GPT that ModelDsl generated and trained in .NET into an equivalent PyTorch module.

Usage: python check_gpt.py FILES_DIR OUT_DIR

FILES_DIR holds gpt.safetensors and reference.safetensors (written by `Export export`). The script loads the
weights with safetensors' load_file + load_state_dict (strict), computes the logits for the reference batch,
compares them with the ones .NET computed, and writes OUT_DIR/from_pytorch.safetensors with save_model, which
`Export verify` loads back into the generated model.
"""
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file, save_model


class CausalSelfAttention(nn.Module):
    def __init__(self, embed, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = nn.Linear(embed, 3 * embed)
        self.c_proj = nn.Linear(embed, embed)

    def forward(self, x):
        b, t, e = x.shape
        q, k, v = self.c_attn(x).view(b, t, 3, self.heads, e // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).reshape(b, t, e))


class Block(nn.Module):
    def __init__(self, embed, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(embed)
        self.attn = CausalSelfAttention(embed, heads)
        self.ln_2 = nn.LayerNorm(embed)
        self.mlp_fc = nn.Linear(embed, 4 * embed)
        self.mlp_proj = nn.Linear(4 * embed, embed)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp_proj(F.gelu(self.mlp_fc(self.ln_2(x))))


class Gpt(nn.Module):
    def __init__(self, vocab, block_size, layers, heads, embed):
        super().__init__()
        self.wte = nn.Embedding(vocab, embed)
        self.wpe = nn.Embedding(block_size, embed)
        self.h = nn.ModuleList(Block(embed, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(embed)
        self.lm_head = nn.Linear(embed, vocab, bias=False)
        self.wte.weight = self.lm_head.weight  # tied, as in nanoGPT

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1], device=idx.device))
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


def main(files, out):
    state = load_file(f"{files}/gpt.safetensors")
    print(f"gpt.safetensors: {len(state)} tensors, e.g. " + ", ".join(f"{k} {tuple(v.shape)}" for k, v in list(state.items())[:3]))
    model = Gpt(vocab=65, block_size=32, layers=2, heads=4, embed=64)
    model.load_state_dict(state)  # strict: every name and shape must match
    model.eval()
    assert model.wte.weight is model.lm_head.weight, "the tie survives load_state_dict"

    reference = load_file(f"{files}/reference.safetensors")
    with torch.no_grad():
        logits = model(reference["idx"])
    difference = (logits - reference["logits"]).abs().max().item()
    print(f"PyTorch {torch.__version__}: max |logits - .NET logits| = {difference:.2e}")

    save_model(model, f"{out}/from_pytorch.safetensors")
    print(f"wrote {out}/from_pytorch.safetensors with save_model (one name per tied tensor)")
    return 0 if difference < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
