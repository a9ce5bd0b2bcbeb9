"""PyTorch's side of bench/train: the baby-GPT training step (batch 12, block 64, 4 layers, 4 heads,
width 128, vocab 65, no biases, exact GELU, tied head; AdamW lr 1e-3 betas 0.9/0.99 decay 0.1; grad
clipping 1.0), timed step by step: nanogpt_model.py's model and step, as tests/reference/nanogpt_train.py.

It first says which BLAS torch really calls: Debian's python3-torch links the generic libblas.so.3
and runs on whatever the alternatives system points it at, the reference BLAS (about 4 GFLOP/s)
unless libopenblas0-pthread (or another optimised BLAS) is installed. The library is read from
/proc/self/maps after a matmul, so it is the one loaded, not the one configured.

Usage: /usr/bin/python3 tests/reference/torch_step.py --threads N [--blas-threads M] (--probe | --warmup W --serve)
  --threads       torch's intra-op threads (elementwise ops, OpenMP)
  --blas-threads  OpenBLAS's own threads for the matmuls (default: --threads). Here 2 and 2 fight
                  over the cores (each pool spins after its work) and run slower than 1 and 1,
                  while 1 intra-op thread with 2 BLAS threads is torch's fastest, so bench/train
                  tries all three.
  --probe  print the BLAS check and a 512^3 sgemm rate as one JSON line: {"torch", "threads",
           "blasThreads", "blas": {"library", "kind"}, "gemm512Gflops"}; no training steps.
  --serve  bench/worker.ts's protocol: after --warmup steps, print that line, then for each line
           "<steps>" on stdin run that many and print {"msPerStep" (wall), "cpuMsPerStep" (CPU
           time of all its threads), "losses"}."""
import argparse, json, os, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
ap.add_argument("--blas-threads", type=int, default=0)
ap.add_argument("--warmup", type=int, default=3)
ap.add_argument("--probe", action="store_true")
ap.add_argument("--serve", action="store_true")
args = ap.parse_args()
# OpenBLAS reads its thread count when it loads, so this must precede importing torch.
os.environ["OPENBLAS_NUM_THREADS"] = str(args.blas_threads or args.threads)
os.environ["OMP_NUM_THREADS"] = str(args.threads)
import torch
from nanogpt_model import BABY, GPT, adamw, train_step

torch.set_num_threads(args.threads)
block_size, batch_size, vocab = BABY["block_size"], 12, 65


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


def emit(obj):
    print(json.dumps(obj))
    sys.stdout.flush()


out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blasThreads": args.blas_threads or args.threads, "blas": blas_in_use(), "gemm512Gflops": gemm_gflops()}
if args.probe or not args.serve:
    emit(out)
    sys.exit(0)
torch.manual_seed(1337)
model = GPT(vocab, **BABY)
opt = adamw(model, lr=1e-3)
data = torch.randint(vocab, (200_000,))


def steps(n):
    """n training steps: their wall and CPU milliseconds and losses."""
    ms, cpu_ms, losses = [], [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        ix = torch.randint(len(data) - block_size - 1, (batch_size,))
        x = torch.stack([data[i:i + block_size] for i in ix])
        y = torch.stack([data[i + 1:i + 1 + block_size] for i in ix])
        loss, _ = train_step(model, opt, x, y)  # reads loss and norm back, as a trainer's logging does (ours too)
        losses.append(loss)
        ms.append((time.perf_counter() - t) * 1000)
        cpu_ms.append((time.process_time() - c) * 1000)
    return {"msPerStep": ms, "cpuMsPerStep": cpu_ms, "losses": losses}


steps(args.warmup)
emit(out)
for line in sys.stdin:
    if line.strip():
        emit(steps(int(line)))
