"""PyTorch's side of bench/train: the baby-GPT training step (batch 12, block 64, 4 layers, 4 heads,
width 128, vocab 65, no biases, exact GELU, tied head; AdamW lr 1e-3 betas 0.9/0.99 decay 0.1; grad
clipping 1.0), timed step by step, the same model and step as tests/reference/nanogpt_train.py.

It first says which BLAS torch really calls: Debian's python3-torch links the generic libblas.so.3
and runs on whatever the alternatives system points it at, the reference BLAS (about 4 GFLOP/s)
unless libopenblas0-pthread (or another optimised BLAS) is installed. The library is read from
/proc/self/maps after a matmul, so it is the one loaded, not the one configured.

Usage: /usr/bin/python3 tests/reference/torch_step.py --threads N --warmup W --steps S [--probe]
  --probe  only the BLAS check and a 512^3 sgemm rate, no training steps.
Prints one JSON line: {"torch", "threads", "blas": {"library", "kind"}, "gemm512Gflops",
"msPerStep" (per timed step, wall), "cpuMsPerStep" (CPU time of all its threads), "losses"}."""
import argparse, json, math, os, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
ap.add_argument("--warmup", type=int, default=3)
ap.add_argument("--steps", type=int, default=10)
ap.add_argument("--probe", action="store_true")
args = ap.parse_args()
# OpenBLAS reads its thread count when it loads, so this must precede importing torch.
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
os.environ["OMP_NUM_THREADS"] = str(args.threads)
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(args.threads)
block_size, batch_size, n_layer, n_head, n_embd, vocab = 64, 12, 4, 4, 128, 65


def blas_in_use():
    a = torch.randn(64, 64)
    (a @ a).sum().item()
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if ".so" in line and
                   any(k in line.split()[-1].rsplit("/", 1)[-1].lower() for k in ("blas", "mkl", "blis", "atlas"))})
    names = " ".join(libs).lower()
    if "openblas" in names:
        kind = "openblas"
    elif "mkl" in names:
        kind = "mkl"
    elif "blis" in names:
        kind = "blis"
    elif "atlas" in names:
        kind = "atlas"
    elif "libblas" in names:
        kind = "reference"  # netlib's libblas.so.3: unblocked loops
    else:
        kind = "unknown"
    return {"library": libs, "kind": kind}


def gemm_gflops(n=512, reps=8):
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    t = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * n ** 3 * reps / (time.perf_counter() - t) / 1e9


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.c_attn = nn.Linear(n_embd, 3 * n_embd, bias=False)
        self.attn_proj = nn.Linear(n_embd, n_embd, bias=False)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=False)
        self.mlp_proj = nn.Linear(4 * n_embd, n_embd, bias=False)
        for ln in (self.ln_1, self.ln_2):
            ln.bias = None

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(n_embd, dim=2)
        q, k, v = (t.view(B, T, n_head, C // n_head).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // n_head)
        att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).tril().logical_not(), float("-inf"))
        y = (F.softmax(att, dim=-1) @ v).transpose(1, 2).reshape(B, T, C)
        x = x + self.attn_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.h = nn.ModuleList(Block() for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd)
        self.ln_f.bias = None
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * n_layer) if name.endswith("proj.weight") else 0.02)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for b in self.h:
            x = b(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return F.cross_entropy(logits.view(-1, vocab), targets.view(-1))


out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_in_use(), "gemm512Gflops": gemm_gflops()}
if not args.probe:
    torch.manual_seed(1337)
    model = GPT()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.99), eps=1e-8)
    data = torch.randint(vocab, (200_000,))
    ms, cpu_ms, losses = [], [], []
    for s in range(args.warmup + args.steps):
        t, c = time.perf_counter(), time.process_time()
        ix = torch.randint(len(data) - block_size - 1, (batch_size,))
        x = torch.stack([data[i:i + block_size] for i in ix])
        y = torch.stack([data[i + 1:i + 1 + block_size] for i in ix])
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())  # the read a trainer's logging does, as ours
        if s >= args.warmup:
            ms.append((time.perf_counter() - t) * 1000)
            cpu_ms.append((time.process_time() - c) * 1000)
    out["msPerStep"] = ms
    out["cpuMsPerStep"] = cpu_ms
    out["losses"] = losses
print(json.dumps(out))
sys.stdout.flush()
