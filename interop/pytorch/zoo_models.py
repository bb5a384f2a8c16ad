"""Plain PyTorch versions of the zoo's models, written from their papers and reference code, for zoo.py.

torchvision supplies the ResNets and the Vision Transformer itself; everything else is here: MLP-Mixer, the VAE, the
U-Net, a LLaMA decoder (Meta's layout, rotary embedding by complex multiplication), Karpathy's char-rnn, and small
models for the catalogue's newer layers.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


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


class DoubleConv(nn.Module):
    """Two 3x3 convolutions without bias, each followed by GroupNorm and ReLU."""

    def __init__(self, in_channels, channels, groups):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, channels, 3, padding=1, bias=False)
        self.norm1 = nn.GroupNorm(groups, channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.norm2 = nn.GroupNorm(groups, channels)

    def forward(self, x):
        return F.relu(self.norm2(self.conv2(F.relu(self.norm1(self.conv1(x))))))


class UNet(nn.Module):
    """A two-level U-Net (Ronneberger et al. 2015); each skip connection is concatenated before the upsampled map."""

    def __init__(self, in_channels, classes, width, groups):
        super().__init__()
        self.enc1 = DoubleConv(in_channels, width, groups)
        self.enc2 = DoubleConv(width, 2 * width, groups)
        self.bottleneck = DoubleConv(2 * width, 4 * width, groups)
        self.up2 = nn.ConvTranspose2d(4 * width, 2 * width, 2, stride=2)
        self.dec2 = DoubleConv(4 * width, 2 * width, groups)
        self.up1 = nn.ConvTranspose2d(2 * width, width, 2, stride=2)
        self.dec1 = DoubleConv(2 * width, width, groups)
        self.head = nn.Conv2d(width, classes, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        b = self.bottleneck(F.max_pool2d(e2, 2))
        d2 = self.dec2(torch.cat([e2, self.up2(b)], dim=1))
        d1 = self.dec1(torch.cat([e1, self.up1(d2)], dim=1))
        return self.head(d1)


class RMSNorm(nn.Module):
    """LLaMA's normalisation: x / sqrt(mean(x^2) + eps), times a learned scale."""

    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotary_angles(head_size, length, theta=10000.0):
    """Unit complex numbers e^(i t f_k) for positions t < length and frequencies f_k = theta^(-2k / head_size)."""
    frequencies = 1.0 / theta ** (torch.arange(0, head_size, 2).float() / head_size)
    angles = torch.outer(torch.arange(length).float(), frequencies)
    return torch.polar(torch.ones_like(angles), angles)


def rotate(x, angles):
    """Turns each adjacent pair of features of x [B, T, heads, head_size] as one complex number."""
    pairs = torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))
    return torch.view_as_real(pairs * angles[None, :, None, :]).flatten(3).type_as(x)


def causal_attention(q, k, v):
    """Softmax attention of q, k, v [B, heads, T, head_size] where position t sees positions up to t."""
    t = q.shape[2]
    scores = q @ k.transpose(2, 3) / math.sqrt(q.shape[-1])
    scores = scores + torch.full((t, t), float("-inf")).triu(1)
    return F.softmax(scores.float(), dim=-1).type_as(q) @ v


class LlamaAttention(nn.Module):
    """Causal self-attention with rotary positions and bias-free projections wq, wk, wv, wo."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.head_size = heads, dim // heads
        self.wq = nn.Linear(dim, dim, bias=False)
        self.wk = nn.Linear(dim, dim, bias=False)
        self.wv = nn.Linear(dim, dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, angles):
        b, t, _ = x.shape
        q = self.wq(x).view(b, t, self.heads, self.head_size)
        k = self.wk(x).view(b, t, self.heads, self.head_size)
        v = self.wv(x).view(b, t, self.heads, self.head_size)
        q, k = rotate(q, angles), rotate(k, angles)
        y = causal_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
        return self.wo(y.transpose(1, 2).reshape(b, t, -1))


class LlamaFeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=False)
        self.w2 = nn.Linear(hidden, dim, bias=False)
        self.w3 = nn.Linear(dim, hidden, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class LlamaBlock(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.attention = LlamaAttention(dim, heads)
        self.feed_forward = LlamaFeedForward(dim, hidden)
        self.attention_norm = RMSNorm(dim)
        self.ffn_norm = RMSNorm(dim)

    def forward(self, x, angles=None):
        if angles is None:
            angles = rotary_angles(self.attention.head_size, x.shape[1])
        h = x + self.attention(self.attention_norm(x), angles)
        return h + self.feed_forward(self.ffn_norm(h))


class Llama(nn.Module):
    def __init__(self, vocab, dim, layers, heads, hidden):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(LlamaBlock(dim, heads, hidden) for _ in range(layers))
        self.norm = RMSNorm(dim)
        self.output = nn.Linear(dim, vocab, bias=False)

    def forward(self, tokens):
        h = self.tok_embeddings(tokens)
        angles = rotary_angles(self.layers[0].attention.head_size, tokens.shape[1])
        for layer in self.layers:
            h = layer(h, angles)
        return self.output(self.norm(h))


class CharRnn(nn.Module):
    """Karpathy's char-rnn with an embedding in place of the one-hot input: LSTM layers, dropout, a linear decoder."""

    def __init__(self, vocab, hidden, layers, dropout):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.rnn = nn.LSTM(hidden, hidden, layers, batch_first=True, dropout=dropout)
        self.dropout = nn.Dropout(dropout)
        self.logits = nn.Linear(hidden, vocab)

    def forward(self, tokens, h0, c0):
        output, (h, c) = self.rnn(self.embedding(tokens), (h0, c0))
        return self.logits(self.dropout(output)), h, c


class SequenceConv(nn.Module):
    """Conv1d, GroupNorm and RMSNorm on a sequence of channels."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(4, 8, 5, padding=2)
        self.norm1 = nn.GroupNorm(4, 8)
        self.conv2 = nn.Conv1d(8, 16, 3, stride=2, bias=False)
        self.norm2 = RMSNorm(16)

    def forward(self, x):
        x = F.relu(self.norm1(self.conv1(x)))
        return self.norm2(self.conv2(x).transpose(1, 2)).mean(dim=1)


class BiGruTagger(nn.Module):
    """A two-layer bidirectional GRU from a given state, and a linear layer per step."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(6, 8, 2, batch_first=True, bidirectional=True)
        self.scores = nn.Linear(16, 3)

    def forward(self, x, h0):
        output, h = self.rnn(x, h0)
        return self.scores(output), h


class TokenModel(nn.Module):
    """Two learned tokens in front, a learned bias [1, 1, E] added, rotary causal attention with GPT's fused
    projection, and the last token's features."""

    def __init__(self, embed=8, heads=2):
        super().__init__()
        self.heads = heads
        self.tokens = nn.Parameter(torch.randn(1, 2, embed))
        self.bias = nn.Parameter(torch.randn(1, 1, embed))
        self.c_attn = nn.Linear(embed, 3 * embed)
        self.c_proj = nn.Linear(embed, embed)

    def forward(self, x):
        b = x.shape[0]
        x = torch.cat([self.tokens.expand(b, -1, -1), x], dim=1) + self.bias
        t, e = x.shape[1], x.shape[2]
        q, k, v = self.c_attn(x).split(e, dim=2)
        q, k, v = (z.view(b, t, self.heads, e // self.heads) for z in (q, k, v))
        angles = rotary_angles(e // self.heads, t)
        q, k = rotate(q, angles), rotate(k, angles)
        y = causal_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
        return self.c_proj(y.transpose(1, 2).reshape(b, t, e))[:, -1]
