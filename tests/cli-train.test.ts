import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { register } from "../cli/commands/train";
import { runCommand } from "./helpers/cli";

const runCli = (args: string[]): Promise<string[]> => runCommand(register, "train", args);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-cli-"));
const textFile = path.join(dir, "input.txt");
fs.writeFileSync(textFile, "to be or not to be, that is the question. ".repeat(20));
const configFile = path.join(dir, "micro.json");
fs.writeFileSync(
  configFile,
  JSON.stringify({
    name: "micro",
    model: { blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 16 },
    train: { batchSize: 4, maxIters: 6, warmupIters: 1, lrDecayIters: 6, evalInterval: 3, evalIters: 2, lr: 0.01 },
  }),
);

test("llmlab train --text prints the val loss curve and ends with one JSON line; --resume continues", async () => {
  const out = path.join(dir, "run");
  const lines = await runCli([
    "--config",
    configFile,
    "--text",
    textFile,
    "--iters",
    "4",
    "--out",
    out,
    "--json",
    "--sample",
    "10",
  ]);
  expect(lines.some((l) => /^step 0: train loss \d\.\d{4}, val loss \d\.\d{4}/.test(l))).toBe(true);
  expect(lines.some((l) => l.startsWith("val loss curve: 0:"))).toBe(true);
  const last = JSON.parse(lines[lines.length - 1]);
  expect(Object.keys(last)).toEqual(
    expect.arrayContaining(["valLoss", "valLossFull", "trainLoss", "iters", "tokensPerSec", "seconds"]),
  );
  // every val window vs 2 random batches of the same model: the same loss to within the draw
  expect(Math.abs(last.valLossFull - last.valLoss)).toBeLessThan(0.3);
  expect(last.iters).toBe(4);
  expect(fs.existsSync(path.join(out, "state.json"))).toBe(true);
  const more = await runCli([
    "--config",
    configFile,
    "--text",
    textFile,
    "--iters",
    "6",
    "--out",
    out,
    "--resume",
    "--json",
    "--sample",
    "0",
  ]);
  expect(more[0]).toMatch(/6 iters from step 4/);
  expect(JSON.parse(more[more.length - 1]).iters).toBe(6);
});

test("bad arguments give clear errors", async () => {
  await expect(runCli(["--config", "nope", "--text", textFile])).rejects.toThrow(
    /"nope" is neither a preset \(baby, small, tiny\) nor a file/,
  );
  await expect(runCli(["--config", "baby"])).rejects.toThrow(/exactly one of --text FILE or --data DIR/);
  await expect(runCli(["--config", "baby", "--text", path.join(dir, "missing.txt")])).rejects.toThrow(
    /--text: file not found/,
  );
  await expect(runCli(["--config", "baby", "--text", textFile, "--iters", "0"])).rejects.toThrow(
    /--iters must be a positive integer/,
  );
  const bad = path.join(dir, "bad.json");
  fs.writeFileSync(bad, JSON.stringify({ train: { learningRate: 1 } }));
  await expect(runCli(["--config", bad, "--text", textFile])).rejects.toThrow(/unknown train key "learningRate"/);
});
