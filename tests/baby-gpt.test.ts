// datasets/baby-gpt: the baby GPT of notebook 05 at full size, shipped so that the CI-size run of
// notebook 06 quantises a model that has learned something. Its datasheet gives the command that
// reproduces it and the sha256 of its weights; this checks the files agree with both and with
// the corpus of this install.
import { createHash } from "crypto";
import { readFileSync, statSync } from "fs";
import { join } from "path";
import { loadCheckpoint, loadRunConfig, sotuByYear } from "../src/train";
import { CharVocab } from "../src/tokenize/charVocab";

const DIR = join(__dirname, "..", "datasets", "baby-gpt");
const sheet = readFileSync(join(DIR, "DATASHEET.md"), "utf8");

test("the weights are the ones the datasheet names, and small", () => {
  const weights = readFileSync(join(DIR, "model.safetensors"));
  const sha = createHash("sha256").update(weights).digest("hex");
  expect(sheet).toContain(sha);
  expect(statSync(join(DIR, "model.safetensors")).size).toBeLessThan(4 * 1024 * 1024);
});

test("it is notebook 05's full size: the baby preset, 2000 steps, weights only, verified on load", () => {
  const ck = loadCheckpoint(DIR); // checks the sha256 in state.json
  const baby = loadRunConfig("baby");
  for (const [k, v] of Object.entries(baby.model)) expect(ck.state.model[k as keyof typeof ck.state.model]).toEqual(v);
  expect(ck.state.step).toBe(2000);
  expect(Object.keys(ck.state.files)).toEqual(["model.safetensors"]);
  expect(sheet).toContain("notebooks/full-size/05-pretraining.json");
});

test("its vocabulary is the characters of every State of the Union address in this install", () => {
  const ck = loadCheckpoint(DIR);
  expect(ck.state.vocab).toEqual({ kind: "char", chars: CharVocab.fromText(sotuByYear()).chars });
});
