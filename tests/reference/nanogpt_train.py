"""A PyTorch reference for `llmlab train --config baby`: nanoGPT's train.py + model.py semantics
(config/train_shakespeare_char.py with the README's CPU "baby GPT" overrides), written anew,
float32, one CPU thread. It exists to tell a bug in our trainer from the noise of a run.

Mirrors: char vocab = sorted set of the file's characters; train = first int(0.9 n) chars;
get_batch = torch.randint over len - block_size starts; the model, AdamW and the step of
nanogpt_model.py (weight decay 0.1 on every param of dim >= 2, wte and wpe included, none on the
LayerNorm gains); linear warmup then cosine 1e-3 -> 1e-4 over 2000 iters; clip_grad_norm_ 1.0;
estimate_loss = mean of 20 random batches.
Unlike nanoGPT, evaluation draws from its own generator, so it never shifts the train batches.

Usage: /usr/bin/python3 tests/reference/nanogpt_train.py --out RESULT.json
         [--seed 1337] [--iters 2000] [--init DIR | --init-nanogpt CKPT] [--batches FILE]
         [--no-embedding-decay] [--draws K] [--no-eval] [--text input.txt] [--eval-interval N] [--threads N]
  --init DIR     start from DIR/model.safetensors (our checkpoint layout: linear weights [in, out])
  --init-nanogpt CKPT  start from nanoGPT's out_dir/ckpt.pt instead
  --batches FILE JSON list of {"x": [B*T ints], "y": [...]} used in order instead of torch.randint
                 (token ids of our CharVocab, which is the same sorted-chars vocabulary)
  --no-embedding-decay  decay the matrices only, as llmlab (nanoGPT decays wte and wpe too)
  --draws K      also K more independent 20-batch val estimates, to see how far one draw strays
  --iters 0 with --init DIR (or --init-nanogpt) only evaluates that model.
  --eval-interval N  also the 20-batch train/val estimates every N iters, as nanoGPT and `llmlab train`
                 (from their own generators, so the train batches do not move); for wall-time comparisons.
RESULT.json: {"steps": [{"iter", "loss", "lr", "gradNorm"}], "valLoss" (20-batch estimate),
"trainLoss" (same, train split), "valLossFull" (mean over every non-overlapping 64-token
window of the val split, all positions counted), "seconds", with --draws "valDraws" (mean, std,
min, max of K more 20-batch val estimates)}."""
import argparse, json, math, struct, time
import numpy as np
import torch
from nanogpt_model import BABY, GPT, adamw, train_step

block_size, batch_size, eval_iters = BABY["block_size"], 12, 20
lr_max, lr_min, warmup, decay_iters = 1e-3, 1e-4, 100, 2000
weight_decay, grad_clip = 0.1, 1.0


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--init")
    ap.add_argument("--init-nanogpt", metavar="CKPT", help="start from a nanoGPT ckpt.pt (its 'model' state_dict)")
    ap.add_argument("--batches")
    ap.add_argument("--no-embedding-decay", action="store_true", help="no weight decay on wte/wpe (as llmlab's decays())")
    ap.add_argument("--draws", type=int, default=0, help="also this many independent 20-batch val estimates (their spread)")
    ap.add_argument("--no-eval", action="store_true", help="only the steps: no estimates, no full val loss")
    ap.add_argument("--text", default="/work/shared/datasets/tinyshakespeare/input.txt")
    ap.add_argument("--eval-interval", type=int, default=0, help="also estimate train and val losses every N iters (nanoGPT's eval_interval; 0: only at the end)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1, as the equivalence runs)")
    return ap.parse_args()


def load_ours(model, d):
    """Our safetensors: wte, wpe, h.L.{ln_1,attn.c_attn,attn.c_proj,ln_2,mlp.c_fc,mlp.c_proj}.weight, ln_f.weight."""
    buf = open(f"{d}/model.safetensors", "rb").read()
    hn = struct.unpack("<Q", buf[:8])[0]
    header = json.loads(buf[8:8 + hn])
    rename = {"attn.c_proj": "attn_proj", "mlp.c_proj": "mlp_proj", "attn.c_attn": "c_attn", "mlp.c_fc": "c_fc"}
    params = dict(model.named_parameters())
    seen = set()
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        arr = torch.tensor(np.frombuffer(buf[8 + hn + a:8 + hn + b], dtype="<f4").reshape(info["shape"]).copy())
        key = name if name.endswith(".weight") else name + ".weight"  # wte, wpe
        for k, v in rename.items():
            key = key.replace(k, v)
        if key not in params:
            raise SystemExit(f"--init: parameter {name} has no counterpart here")
        p = params[key]
        if p.dim() == 2 and key not in ("wte.weight", "wpe.weight"):
            arr = arr.t()  # ours [in, out], nn.Linear [out, in]
        if tuple(arr.shape) != tuple(p.shape):
            raise SystemExit(f"--init: {name} has shape {list(arr.shape)}, expected {list(p.shape)}")
        with torch.no_grad():
            p.copy_(arr)
        seen.add(key)
    missing = set(params) - seen
    if missing:
        raise SystemExit(f"--init: {d}/model.safetensors lacks {sorted(missing)}")


def load_nanogpt(model, path):
    """nanoGPT's state_dict: transformer.{wte,wpe,h.L.*,ln_f}, nn.Linear layout, lm_head tied."""
    sd = torch.load(path, map_location="cpu")["model"]
    rename = {"transformer.": "", "_orig_mod.": "", "attn.c_proj": "attn_proj", "mlp.c_proj": "mlp_proj", "attn.c_attn": "c_attn", "mlp.c_fc": "c_fc"}
    params = dict(model.named_parameters())
    seen = set()
    for name, t in sd.items():
        key = name
        for k, v in rename.items():
            key = key.replace(k, v)
        if key == "lm_head.weight" or key.endswith(".attn.bias"):  # tied to wte; the causal mask buffer
            continue
        if key not in params or tuple(t.shape) != tuple(params[key].shape):
            raise SystemExit(f"--init-nanogpt: {name} {list(t.shape)} has no counterpart here")
        with torch.no_grad():
            params[key].copy_(t.float())
        seen.add(key)
    if set(params) - seen:
        raise SystemExit(f"--init-nanogpt: {path} lacks {sorted(set(params) - seen)}")


def get_lr(it):
    if it < warmup:
        return lr_max * (it + 1) / (warmup + 1)
    if it > decay_iters:
        return lr_min
    ratio = (it - warmup) / (decay_iters - warmup)
    return lr_min + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr_max - lr_min)


def random_batch(d, gen=None):
    ix = torch.randint(len(d) - block_size, (batch_size,), generator=gen)
    return torch.stack([d[i:i + block_size] for i in ix]), torch.stack([d[i + 1:i + 1 + block_size] for i in ix])


@torch.no_grad()
def estimate(model, d, gen):
    return sum(model(*random_batch(d, gen)).item() for _ in range(eval_iters)) / eval_iters


@torch.no_grad()
def full_loss(model, d):
    starts = list(range(0, len(d) - block_size, block_size))  # i + T + 1 <= len
    total = 0.0
    for s in range(0, len(starts), 64):
        ix = starts[s:s + 64]
        x = torch.stack([d[i:i + block_size] for i in ix])
        y = torch.stack([d[i + 1:i + 1 + block_size] for i in ix])
        total += model(x, y).item() * len(ix)
    return total / len(starts)


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    text = open(args.text, encoding="utf-8").read()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    train_data, val_data = data[:n], data[n:]

    model = GPT(len(chars), **BABY)
    if args.init:
        load_ours(model, args.init)
    if args.init_nanogpt:
        load_nanogpt(model, args.init_nanogpt)
    opt = adamw(model, lr_max, weight_decay, skip=("wte.weight", "wpe.weight") if args.no_embedding_decay else ())
    given = json.load(open(args.batches)) if args.batches else None
    if given is not None and len(given) < args.iters:
        raise SystemExit(f"--batches: {args.batches} holds {len(given)} batches, --iters asks for {args.iters}")

    steps = []
    t0 = time.time()
    for it in range(args.iters):
        if args.eval_interval and it % args.eval_interval == 0:
            model.eval()
            periodic = torch.Generator().manual_seed(args.seed + 3 + it)
            print(f"eval {it}: val {estimate(model, val_data, periodic):.4f} train {estimate(model, train_data, periodic):.4f}", flush=True)
            model.train()
        lr = get_lr(it)
        for g in opt.param_groups:
            g["lr"] = lr
        if given is not None:
            x = torch.tensor(given[it]["x"], dtype=torch.long).view(batch_size, block_size)
            y = torch.tensor(given[it]["y"], dtype=torch.long).view(batch_size, block_size)
        else:
            x, y = random_batch(train_data)
        loss, norm = train_step(model, opt, x, y, grad_clip)
        steps.append({"iter": it, "loss": loss, "lr": lr, "gradNorm": norm})
        if it % 100 == 0:
            print(f"iter {it}: loss {loss:.4f} lr {lr:.2e} |g| {norm:.3f} {time.time() - t0:.0f}s", flush=True)
    seconds = time.time() - t0
    if args.no_eval:
        json.dump({"seed": args.seed, "iters": args.iters, "seconds": seconds, "steps": steps}, open(args.out, "w"))
        return
    model.eval()
    gen = torch.Generator().manual_seed(args.seed + 2)
    val_est = estimate(model, val_data, gen)
    train_est = estimate(model, train_data, gen)
    res = {"seed": args.seed, "init": args.init or args.init_nanogpt or "torch", "iters": args.iters, "valLoss": val_est, "trainLoss": train_est,
           "valLossFull": full_loss(model, val_data), "seconds": seconds, "steps": steps}
    if args.draws > 0:
        draws = [estimate(model, val_data, gen) for _ in range(args.draws)]
        res["valDraws"] = {"n": args.draws, "mean": float(np.mean(draws)), "std": float(np.std(draws, ddof=1)),
                           "min": min(draws), "max": max(draws), "values": draws}
    json.dump(res, open(args.out, "w"))
    print(json.dumps({k: v for k, v in res.items() if k != "steps" and k != "valDraws"}), json.dumps({k: v for k, v in res.get("valDraws", {}).items() if k != "values"}))


if __name__ == "__main__":
    main()
