// The CLI commands, driven through commander as `llmlab` would run them.
import { Command } from "commander";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadTokenizer, sotuText } from ".";
import { register as registerTokenizer } from "../../cli/commands/tokenizer";

describe("llmlab tokenizer train", () => {
  it("trains on a file and writes a loadable tokenizer.json", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-cli-"));
    const input = path.join(dir, "in.txt");
    const out = path.join(dir, "tok.json");
    fs.writeFileSync(input, sotuText(20_000));
    const logs: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((s: string) => void logs.push(s));
    const program = new Command().exitOverride();
    registerTokenizer(program);
    await program.parseAsync(["node", "llmlab", "tokenizer", "train", "--vocab", "300", "--in", input, "--out", out]);
    spy.mockRestore();
    const summary = JSON.parse(logs[0]) as { vocabSize: number; merges: number };
    expect(summary.merges).toBe(44);
    const tok = loadTokenizer(out);
    expect(tok.vocabSize).toBe(301); // + <|endoftext|>
    expect(tok.decode(tok.encode("Fellow-Citizens of the Senate"))).toBe("Fellow-Citizens of the Senate");
    expect(tok.encode(" the")).toHaveLength(1);
  });

  it("explains a bad --vocab", async () => {
    const program = new Command().exitOverride();
    registerTokenizer(program);
    await expect(
      program.parseAsync(["node", "llmlab", "tokenizer", "train", "--vocab", "12", "--in", "x", "--out", "y"]),
    ).rejects.toThrow(/--vocab 12: expected an integer >= 256/);
  });
});
