"""Reference forward/backward of llmlab's GPT in PyTorch, written from nanoGPT's model.py
semantics (not from our TypeScript), to check our loss and gradients.
Usage: gpt_torch.py DIR  (DIR holds model.safetensors, config.json, batch.json; prints JSON)."""
import json, math, struct, sys
import numpy as np
import torch
import torch.nn.functional as F

d = sys.argv[1]
cfg = json.load(open(f"{d}/config.json"))
batch = json.load(open(f"{d}/batch.json"))
buf = open(f"{d}/model.safetensors", "rb").read()
n = struct.unpack("<Q", buf[:8])[0]
header = json.loads(buf[8:8 + n])
P = {}
for name, info in header.items():
    if name == "__metadata__":
        continue
    a, b = info["data_offsets"]
    arr = np.frombuffer(buf[8 + n + a:8 + n + b], dtype="<f4").reshape(info["shape"]).astype(np.float64)
    P[name] = torch.tensor(arr, requires_grad=True)

x = torch.tensor(batch["x"])
y = torch.tensor(batch["y"])
B, T = x.shape
C, H = cfg["nEmbd"], cfg["nHead"]
D = C // H

def ln(h, name):
    return F.layer_norm(h, (C,), P[name + ".weight"], P.get(name + ".bias"), 1e-5)

def lin(h, name):
    out = h @ P[name + ".weight"]  # weights stored [in, out] (GPT-2 Conv1D layout)
    return out + P[name + ".bias"] if name + ".bias" in P else out

def rope(t):  # t [B, H, T, D]; pairs (i, i + D/2) rotated by pos * 10000^(-2i/D)
    half = D // 2
    inv = torch.tensor([10000 ** (-2 * i / D) for i in range(half)], dtype=torch.float64)
    ang = torch.arange(T, dtype=torch.float64)[:, None] * inv[None, :]
    cos, sin = torch.cos(ang).repeat(1, 2), torch.sin(ang).repeat(1, 2)
    rot = torch.cat([-t[..., half:], t[..., :half]], dim=-1)
    return t * cos + rot * sin

h = P["wte"][x]
if cfg["positional"] == "learned":
    h = h + P["wpe"][:T]
elif cfg["positional"] == "sinusoidal":
    pe = torch.zeros(T, C, dtype=torch.float64)
    pos = torch.arange(T, dtype=torch.float64)[:, None]
    div = torch.tensor([10000 ** (2 * i / C) for i in range(C // 2)], dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(pos / div), torch.cos(pos / div)
    h = h + pe
mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
for l in range(cfg["nLayer"]):
    p = f"h.{l}."
    q, k, v = lin(ln(h, p + "ln_1"), p + "attn.c_attn").split(C, dim=2)
    q, k, v = [t.view(B, T, H, D).transpose(1, 2) for t in (q, k, v)]
    if cfg["positional"] == "rope":
        q, k = rope(q), rope(k)
    att = ((q @ k.transpose(-2, -1)) / math.sqrt(D)).masked_fill(~mask, float("-inf")).softmax(-1)
    h = h + lin((att @ v).transpose(1, 2).reshape(B, T, C), p + "attn.c_proj")
    h = h + lin(F.gelu(lin(ln(h, p + "ln_2"), p + "mlp.c_fc")), p + "mlp.c_proj")
h = ln(h, "ln_f")
logits = h @ (P["wte"].T if cfg["tieWeights"] else P["lm_head.weight"])
loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
loss.backward()
print(json.dumps({"loss": loss.item(), "grads": {k: t.grad.flatten().tolist() for k, t in P.items()}}))
