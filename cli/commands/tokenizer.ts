import { Command } from "commander";
import * as fs from "fs";
import { saveTokenizer, trainBPE } from "../../src/tokenize";

export function register(program: Command): void {
  const tokenizer = program.command("tokenizer").description("train byte-level BPE tokenizers");
  tokenizer
    .command("train")
    .description("train a byte-level BPE tokenizer on a text file and save it as tokenizer.json")
    .requiredOption("--vocab <n>", "vocabulary size: 256 byte tokens + merges (special tokens come on top)")
    .requiredOption("--in <path>", "UTF-8 training text")
    .requiredOption("--out <file>", "where to write the tokenizer.json")
    .option("--pattern <name>", "split pattern: gpt4 (cl100k) or gpt2", "gpt4")
    .action((opts: { vocab: string; in: string; out: string; pattern: string }) => {
      const vocabSize = Number(opts.vocab);
      if (!Number.isInteger(vocabSize) || vocabSize < 256)
        throw new Error(`--vocab ${opts.vocab}: expected an integer >= 256`);
      if (opts.pattern !== "gpt2" && opts.pattern !== "gpt4")
        throw new Error(`--pattern ${opts.pattern}: expected gpt2 or gpt4`);
      if (!fs.existsSync(opts.in)) throw new Error(`--in ${opts.in}: no such file`);
      const text = fs.readFileSync(opts.in, "utf8");
      const t0 = performance.now();
      const tok = trainBPE(text, {
        vocabSize,
        pattern: opts.pattern,
        onProgress: ({ merges, total }) => {
          if (process.stderr.isTTY && merges % 500 === 0) process.stderr.write(`\rmerges ${merges}/${total}`);
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      saveTokenizer(tok, opts.out);
      if (process.stderr.isTTY) process.stderr.write("\n");
      const merges = tok.getMerges().length;
      const learned = tok.tokens.length; // 256 bytes + merged tokens, before special tokens
      if (learned < vocabSize)
        console.error(
          `llmlab: the text ran out of repeated pairs after ${merges} merges; vocabulary is ${learned}, not ${vocabSize}`,
        );
      console.log(
        JSON.stringify({
          out: opts.out,
          vocabSize: tok.vocabSize,
          merges,
          trainSeconds: Number(seconds.toFixed(3)),
          textBytes: Buffer.byteLength(text),
        }),
      );
    });
}
