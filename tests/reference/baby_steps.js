// Dumps what tests/reference/nanogpt_train.py needs to replay the first N steps of our baby run:
// DIR/model.safetensors (our initial weights), DIR/batches.json (the first N train batches of
// our sampler), and DIR/ours.json (our per-step loss, lr and gradient norm over those batches,
// the evaluations, and the full val loss at the end); DIR/ckpt is our final checkpoint.
// Usage (after `npm run build`): node tests/reference/baby_steps.js DIR [seed=1337] [N=50] [text]
// then: /usr/bin/python3 tests/reference/nanogpt_train.py --init DIR --batches DIR/batches.json
//         --iters N --seed SEED --out DIR/torch.json
const fs = require("fs");
const path = require("path");
const { initBackend } = require("../../dist/src/backend");
const { GPT } = require("../../dist/src/model");
const T = require("../../dist/src/train");

async function main() {
  const [dir, seedArg = "1337", nArg = "50", textFile = "/work/shared/datasets/tinyshakespeare/input.txt"] = process.argv.slice(2);
  if (!dir) throw new Error("usage: baby_steps.js DIR [seed] [N] [text]");
  const seed = Number(seedArg);
  const n = Number(nArg);
  await initBackend();
  fs.mkdirSync(dir, { recursive: true });
  const split = T.splitText(T.readTextFile(textFile));
  const vocab = T.CharVocab.fromText([...split.train, ...split.val].join(""));
  const data = { train: split.train.map((d) => vocab.encode(d)), val: split.val.map((d) => vocab.encode(d)) };
  const run = T.loadRunConfig("baby");
  const config = { ...run.train, seed };
  const model = new GPT({ ...run.model, vocabSize: vocab.size }, { seed });
  const tensors = Object.fromEntries(Object.entries(model.params).map(([k, v]) => [k, { dtype: "F32", shape: v.shape, data: v.dataSync() }]));
  fs.writeFileSync(path.join(dir, "model.safetensors"), T.serializeSafetensors(tensors));
  // The trainer's sampler is built the same way, so it draws these same batches.
  const sampler = new T.BatchSampler(data.train, config.batchSize, model.config.blockSize, seed);
  const batches = Array.from({ length: n }, () => {
    const b = sampler.next();
    return { x: Array.from(b.x), y: Array.from(b.y) };
  });
  fs.writeFileSync(path.join(dir, "batches.json"), JSON.stringify(batches));
  const trainer = new T.Trainer({ model, config, data });
  const t0 = Date.now();
  await trainer.run({ iters: n, checkpointDir: path.join(dir, "ckpt") });
  const seconds = (Date.now() - t0) / 1000;
  fs.writeFileSync(path.join(dir, "ours.json"), JSON.stringify({ steps: trainer.history, evals: trainer.evals, valLossFull: T.fullLoss(model, data.val), seconds }));
  model.dispose();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
