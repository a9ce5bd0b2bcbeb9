// Files users keep are written to a temp file beside the target and renamed over it, so a crash
// never leaves a half-written tokenizer.
import * as fs from "fs";
import * as path from "path";

export function writeJSONAtomic(file: string, value: unknown): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, JSON.stringify(value));
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`cannot write ${file}: ${(err as Error).message}`);
  }
}
