"""The baby GPT in PyTorch with nanoGPT's model.py semantics, written anew: GPT-2 pre-LN blocks,
no biases (LayerNorm without bias too), exact GELU, learned wpe, lm_head tied to wte, init
N(0, 0.02) with every c_proj at 0.02/sqrt(2 n_layer). The one model definition of the PyTorch
trainer (nanogpt_train.py) and of the bench's timed step (torch_step.py), so the two cannot drift.

Parameter names: wte, wpe, h.L.{ln_1, c_attn, attn_proj, ln_2, c_fc, mlp_proj}.weight, ln_f.weight
(nn.Linear layout [out, in]); nanogpt_train.py maps ours and nanoGPT's checkpoints onto them."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

# The README's CPU "baby GPT" (config/train_shakespeare_char.py with its CPU overrides).
BABY = {"block_size": 64, "n_layer": 4, "n_head": 4, "n_embd": 128}


def layer_norm(n_embd):
    ln = nn.LayerNorm(n_embd)
    ln.bias = None  # torch 1.13's LayerNorm always has a bias: drop it, as nanoGPT's LayerNorm(bias=False)
    return ln


class Block(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.n_head = n_head
        self.ln_1 = layer_norm(n_embd)
        self.c_attn = nn.Linear(n_embd, 3 * n_embd, bias=False)
        self.attn_proj = nn.Linear(n_embd, n_embd, bias=False)
        self.ln_2 = layer_norm(n_embd)
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=False)
        self.mlp_proj = nn.Linear(4 * n_embd, n_embd, bias=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // self.n_head)
        att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).tril().logical_not(), float("-inf"))
        y = (F.softmax(att, dim=-1) @ v).transpose(1, 2).reshape(B, T, C)
        x = x + self.attn_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class GPT(nn.Module):
    def __init__(self, vocab, block_size, n_layer, n_head, n_embd):
        super().__init__()
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.h = nn.ModuleList(Block(n_embd, n_head) for _ in range(n_layer))
        self.ln_f = layer_norm(n_embd)
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * n_layer) if name.endswith("proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx, targets):
        """Mean cross-entropy of the next-token predictions (idx, targets: [B, T] token ids)."""
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for b in self.h:
            x = b(x)
        logits = self.ln_f(x) @ self.wte.weight.t()  # tied lm_head
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def adamw(model, lr, weight_decay=0.1, skip=()):
    """nanoGPT's optimizer: AdamW(betas 0.9/0.99, eps 1e-8), decay on every parameter of dim >= 2
    except those named in skip, none on the LayerNorm gains."""
    params = list(model.named_parameters())
    decay = [p for k, p in params if p.dim() >= 2 and k not in skip]
    no_decay = [p for k, p in params if p.dim() < 2 or k in skip]
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.99), eps=1e-8)


def train_step(model, opt, x, y, grad_clip=1.0):
    """One step as nanoGPT's train.py: loss, backward, clip the global gradient norm, AdamW.
    Returns (loss, gradient norm before clipping)."""
    loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip).item()
    opt.step()
    return loss.item(), norm
