"""GPT-2 forward in PyTorch over a Hugging Face GPT-2 folder, written from transformers'
GPT2LMHeadModel semantics (not from our TypeScript): reads config.json and model.safetensors
(parsed here: an 8-byte header length, a JSON header, raw little-endian data; the safetensors
package is not needed) and uses exactly GPT2LMHeadModel's tensor names, Conv1D weights [in, out].
Usage: hf_gpt2_forward.py DIR IDS.json  (IDS: [[id, ...], ...]); prints {"logits": [B][T][V]}."""
import json, math, struct, sys
import numpy as np
import torch
import torch.nn.functional as F

d, ids_file = sys.argv[1], sys.argv[2]
cfg = json.load(open(f"{d}/config.json"))
buf = open(f"{d}/model.safetensors", "rb").read()
n = struct.unpack("<Q", buf[:8])[0]
header = json.loads(buf[8:8 + n])
assert header.get("__metadata__", {}).get("format") == "pt", "transformers needs __metadata__.format == 'pt'"
P = {}
for name, info in header.items():
    if name == "__metadata__":
        continue
    assert info["dtype"] == "F32", (name, info["dtype"])
    a, b = info["data_offsets"]
    P[name] = torch.tensor(np.frombuffer(buf[8 + n + a:8 + n + b], dtype="<f4").reshape(info["shape"]).astype(np.float64))

used = set()
def W(name):
    used.add(name)
    return P[name]

C, H, L = cfg["n_embd"], cfg["n_head"], cfg["n_layer"]
eps = cfg["layer_norm_epsilon"]
act = {"gelu": lambda x: F.gelu(x), "gelu_new": lambda x: F.gelu(x, approximate="tanh")}[cfg["activation_function"]]
x = torch.tensor(json.load(open(ids_file)))
B, T = x.shape
assert T <= cfg["n_positions"]

def ln(h, p):
    return F.layer_norm(h, (C,), W(p + ".weight"), W(p + ".bias"), eps)

def conv1d(h, p):  # transformers' Conv1D: x @ weight + bias, weight [in, out]
    return h @ W(p + ".weight") + W(p + ".bias")

h = W("transformer.wte.weight")[x] + W("transformer.wpe.weight")[:T]
mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
D = C // H
for l in range(L):
    p = f"transformer.h.{l}."
    q, k, v = conv1d(ln(h, p + "ln_1"), p + "attn.c_attn").split(C, dim=2)
    q, k, v = [t.view(B, T, H, D).transpose(1, 2) for t in (q, k, v)]
    att = (q @ k.transpose(-2, -1)) / math.sqrt(D)
    att = att.masked_fill(~mask, float("-inf")).softmax(-1)
    h = h + conv1d((att @ v).transpose(1, 2).reshape(B, T, C), p + "attn.c_proj")
    h = h + conv1d(act(conv1d(ln(h, p + "ln_2"), p + "mlp.c_fc")), p + "mlp.c_proj")
h = ln(h, "transformer.ln_f")
head = W("transformer.wte.weight") if cfg.get("tie_word_embeddings", True) else W("lm_head.weight")  # [V, C]
logits = h @ head.T
unused = sorted(set(P) - used)
assert not unused, f"tensors the GPT-2 forward never read: {unused}"
assert head.shape[0] == cfg["vocab_size"]
print(json.dumps({"logits": logits.tolist()}))
