// `llmlab generate`: its argument errors, and a greedy run that must equal src/model's generate
// on the same checkpoint (tests/llama-cpp.test.ts compares it with llama.cpp).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { register } from "../cli/commands/generate";
import { runCommand } from "./helpers/cli";
import { GPT, generate } from "../src/model";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { saveCharCheckpoint } from "./helpers/checkpoint";

const runCli = (args: string[]): Promise<string[]> => runCommand(register, "generate", args);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-generate-"));

test("bad arguments give clear errors", async () => {
  await expect(runCli(["--prompt", "a"])).rejects.toThrow(/exactly one of --checkpoint DIR or --gguf FILE/);
  await expect(runCli(["--checkpoint", dir, "--gguf", "x.gguf", "--prompt", "a"])).rejects.toThrow(/exactly one of/);
  await expect(runCli(["--gguf", "x.gguf", "--lora", dir, "--prompt", "a"])).rejects.toThrow(
    /--lora applies to --checkpoint/,
  );
  await expect(runCli(["--checkpoint", dir, "--prompt", "a", "--temperature", "-1"])).rejects.toThrow(
    /--temperature must be a number >= 0/,
  );
  await expect(runCli(["--checkpoint", dir, "--prompt", "a", "--top-k", "0"])).rejects.toThrow(
    /--top-k must be a positive integer/,
  );
});

beforeAll(async () => {
  await tf.setBackend("cpu");
});

test("--temperature 0 --json gives src/model's greedy continuation of the checkpoint", async () => {
  const chars = ["\n", " ", "a", "b", "c", "d"];
  const model = new GPT({ vocabSize: chars.length, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 }, { seed: 5 });
  const ck = path.join(dir, "ck");
  saveCharCheckpoint(ck, model, chars);
  const want = generate(model, [2, 3], { maxNewTokens: 10, temperature: 0 }).slice(2);
  model.dispose();
  const out = JSON.parse(
    (await runCli(["--checkpoint", ck, "--prompt", "ab", "--temperature", "0", "--max-tokens", "10", "--json"]))[0],
  );
  expect(out.prompt).toEqual([2, 3]);
  expect(out.ids).toEqual(want);
  expect(out.text).toBe(want.map((i) => chars[i]).join(""));
});
