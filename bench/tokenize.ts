// npm run bench:tokenize [-- --json] [-- --full]
// GPT-2 encode throughput (MB/s) of ours vs gpt-tokenizer and js-tiktoken on the same text in one
// run (ids checked equal), and BPE training time for vocab 500 / 4k / 10k on SOTU text.
import { Tiktoken } from "js-tiktoken/lite";
import { courseCorpusSample, gpt2Tokenizer, sotuText, trainBPE } from "../src/tokenize";

const args = new Set(process.argv.slice(2));
const json = args.has("--json");
const full = args.has("--full"); // train on all of SOTU (~10.7 MB) instead of 1 MB

function seconds<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const log = (s: string): void => {
  if (!json) console.log(s);
};

// Encode: the four corpora mixed, ~2 MB.
const text = courseCorpusSample(500_000);
const mb = Buffer.byteLength(text) / 1e6;
const ranks = require("js-tiktoken/ranks/gpt2");
const [ours, oursLoad] = seconds(() => gpt2Tokenizer());
const [jsTiktoken, jsTiktokenLoad] = seconds(() => new Tiktoken(ranks));
// gpt-tokenizer builds its encoder when its module loads, so that is its load time.
type GptTokenizerModule = { encode(text: string, opts: { disallowedSpecial: Set<string> }): number[] };
const [gptTokenizer, gptTokenizerLoad] = seconds(
  () => require("gpt-tokenizer/cjs/encoding/r50k_base") as GptTokenizerModule,
);
const encoders: Record<string, { load: number; encode: (s: string) => number[] }> = {
  llmlab: { load: oursLoad, encode: (s) => ours.encode(s) },
  "gpt-tokenizer": { load: gptTokenizerLoad, encode: (s) => gptTokenizer.encode(s, { disallowedSpecial: new Set() }) },
  "js-tiktoken": { load: jsTiktokenLoad, encode: (s) => jsTiktoken.encode(s, [], []) },
};
log(
  `GPT-2 encode of ${mb.toFixed(2)} MB (SOTU + Brown + nlp-corpus + SpamAssassin); first pass, then median of 3 warm passes`,
);
const encode: Record<string, { firstPassMBps: number; warmMBps: number; loadSeconds: number; tokens: number }> = {};
let reference: number[] | undefined;
let equal = true;
for (const [name, e] of Object.entries(encoders)) {
  const [ids, first] = seconds(() => e.encode(text));
  reference ??= ids;
  equal &&= ids.length === reference.length && ids.every((id, i) => id === reference![i]);
  const warm = median([0, 1, 2].map(() => seconds(() => e.encode(text))[1]));
  encode[name] = { firstPassMBps: mb / first, warmMBps: mb / warm, loadSeconds: e.load, tokens: ids.length };
}
for (const [name, r] of Object.entries(encode)) {
  log(
    `  ${name.padEnd(14)} load ${r.loadSeconds.toFixed(2)} s   first ${r.firstPassMBps.toFixed(1).padStart(6)} MB/s   warm ${r.warmMBps.toFixed(1).padStart(6)} MB/s   ` +
      `(llmlab x${(encode.llmlab.warmMBps / r.warmMBps).toFixed(2)} warm, x${(encode.llmlab.firstPassMBps / r.firstPassMBps).toFixed(2)} first)`,
  );
}
log(`  ids equal across all three: ${equal}`);

// Training.
const trainText = full ? sotuText() : sotuText(1_000_000);
const trainMB = Buffer.byteLength(trainText) / 1e6;
log(`BPE training (GPT-4 split) on ${trainMB.toFixed(2)} MB of SOTU text`);
const train: Record<string, number> = {};
trainBPE(trainText.slice(0, 100_000), { vocabSize: 300 }); // warm up the JIT so the first size is not charged for it
for (const vocabSize of [500, 4000, 10000]) {
  const [, s] = seconds(() => trainBPE(trainText, { vocabSize }));
  train[vocabSize] = s;
  log(`  vocab ${String(vocabSize).padStart(6)}: ${s.toFixed(3)} s`);
}

if (json) {
  console.log(
    JSON.stringify({
      encodeMB: mb,
      encode,
      speedupWarm: {
        "gpt-tokenizer": encode.llmlab.warmMBps / encode["gpt-tokenizer"].warmMBps,
        "js-tiktoken": encode.llmlab.warmMBps / encode["js-tiktoken"].warmMBps,
      },
      speedupFirstPass: {
        "gpt-tokenizer": encode.llmlab.firstPassMBps / encode["gpt-tokenizer"].firstPassMBps,
        "js-tiktoken": encode.llmlab.firstPassMBps / encode["js-tiktoken"].firstPassMBps,
      },
      idsEqual: equal,
      trainMB,
      trainSeconds: train,
    }),
  );
}
