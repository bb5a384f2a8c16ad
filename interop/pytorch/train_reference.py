"""The gpt sample's default run (nanoGPT's CPU configuration of train_shakespeare_char) in plain PyTorch.

Usage: python train_reference.py TEXT_FILE OUT_JSON [--bias] [--seeds 1337,1,2] [--device cuda|cpu]

Same model, initialisation, optimiser, schedule, batches-per-step and evaluation as `samples gpt`: 4 layers,
4 heads, 128 wide, context 64, batch 12, 2,000 steps, AdamW lr 1e-3 (warmup 100, cosine to 1e-4 at step 2,000),
betas (0.9, 0.99), weight decay 0.1 on matrices and embeddings, gradient clip 1.0, dropout 0. The validation loss
is estimated like nanoGPT's estimate_loss (20 random batches per split) and, for a less noisy figure, over 400.
Without --bias the Linear and LayerNorm layers have no bias, as in nanoGPT's default.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

LAYERS, HEADS, EMBED, BLOCK, BATCH = 4, 4, 128, 64, 12
STEPS, WARMUP, LR, MIN_LR = 2000, 100, 1e-3, 1e-4
EVAL_INTERVAL, EVAL_ITERS, PRECISE_EVAL_ITERS = 250, 20, 400


class Block(nn.Module):
    def __init__(self, bias):
        super().__init__()
        self.ln_1 = nn.LayerNorm(EMBED, bias=bias)
        self.c_attn = nn.Linear(EMBED, 3 * EMBED, bias=bias)
        self.c_proj = nn.Linear(EMBED, EMBED, bias=bias)
        self.ln_2 = nn.LayerNorm(EMBED, bias=bias)
        self.mlp_fc = nn.Linear(EMBED, 4 * EMBED, bias=bias)
        self.mlp_proj = nn.Linear(4 * EMBED, EMBED, bias=bias)

    def forward(self, x):
        b, t, e = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).view(b, t, 3, HEADS, e // HEADS).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, e)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.mlp_fc(self.ln_2(x))))


class Gpt(nn.Module):
    def __init__(self, vocab, bias):
        super().__init__()
        self.wte = nn.Embedding(vocab, EMBED)
        self.wpe = nn.Embedding(BLOCK, EMBED)
        self.h = nn.ModuleList(Block(bias) for _ in range(LAYERS))
        self.ln_f = nn.LayerNorm(EMBED, bias=bias)
        self.lm_head = nn.Linear(EMBED, vocab, bias=False)
        self.wte.weight = self.lm_head.weight
        # N(0, 0.02) for matrices and embeddings, N(0, 0.02/sqrt(2L)) for the residual projections, zero biases.
        for name, p in self.named_parameters():
            if name.endswith(".bias"):
                nn.init.zeros_(p)
            elif p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * LAYERS) if name.endswith(("c_proj.weight", "mlp_proj.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1], device=idx.device))
        for block in self.h:
            x = block(x)
        return self.lm_head(self.ln_f(x))


def learning_rate(step):
    if step < WARMUP:
        return LR * (step + 1) / (WARMUP + 1)
    ratio = (step - WARMUP) / (STEPS - WARMUP)
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (LR - MIN_LR)


def run(text, seed, bias, device):
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)
    split = int(0.9 * len(data))
    splits = {"train": data[:split], "val": data[split:]}

    torch.manual_seed(seed)
    model = Gpt(len(chars), bias).to(device)

    def batch(name, generator=None):
        d = splits[name]
        starts = torch.randint(len(d) - BLOCK, (BATCH,), generator=generator)
        x = torch.stack([d[i:i + BLOCK] for i in starts])
        y = torch.stack([d[i + 1:i + 1 + BLOCK] for i in starts])
        return x.to(device), y.to(device)

    @torch.no_grad()
    def estimate(name, iters, generator=None):
        model.eval()
        total = 0.0
        for _ in range(iters):
            x, y = batch(name, generator)
            total += F.cross_entropy(model(x).view(-1, len(chars)), y.view(-1)).item()
        model.train()
        return total / iters

    params = {id(p): p for p in model.parameters()}.values()
    groups = [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=LR, betas=(0.9, 0.99))
    curve = []
    start = time.time()
    for step in range(STEPS + 1):
        if step % EVAL_INTERVAL == 0:
            curve.append({"step": step, "train": estimate("train", EVAL_ITERS), "val": estimate("val", EVAL_ITERS)})
        if step == STEPS:
            break
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step)
        x, y = batch("train")
        loss = F.cross_entropy(model(x).view(-1, len(chars)), y.view(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    precise = estimate("val", PRECISE_EVAL_ITERS, torch.Generator().manual_seed(12345))
    result = {"seed": seed, "bias": bias, "val": curve[-1]["val"], "train": curve[-1]["train"],
              "val_400_batches": precise, "seconds": time.time() - start, "curve": curve}
    print(f"seed {seed} bias {bias}: val {result['val']:.4f} (20 batches), {precise:.4f} (400 batches), "
          f"train {result['train']:.4f}, {result['seconds']:.0f} s", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("text")
    parser.add_argument("out")
    parser.add_argument("--bias", action="store_true")
    parser.add_argument("--seeds", default="1337,1,2")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args()
    text = open(args.text, encoding="utf-8").read()
    results = [run(text, int(s), args.bias, args.device) for s in args.seeds.split(",")]
    vals = [r["val"] for r in results]
    mean = sum(vals) / len(vals)
    print(f"bias {args.bias}: mean val {mean:.4f} over {len(vals)} seeds, min {min(vals):.4f}, max {max(vals):.4f}")
    with open(args.out, "w") as f:
        json.dump({"torch": torch.__version__, "device": args.device, "runs": results}, f, indent=1)


if __name__ == "__main__":
    main()
