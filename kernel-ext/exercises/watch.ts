// The memory of a process tree, read from /proc (Linux): a submission's kernel, its runner and
// anything they spawn, summed, so that one submission exhausting memory is stopped alone. RLIMIT_AS
// does not work here: V8 and WebAssembly reserve far more address space than they use.
import { readFileSync, readdirSync } from "fs";

const PAGE = 4096;

/** Resident bytes of `root` and all its descendants (0 when /proc cannot be read). */
export function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return 0;
  }
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      // Field 4 (ppid) comes after the command name, which may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const todo = [root];
  const seen = new Set<number>();
  while (todo.length) {
    const pid = todo.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * PAGE;
    } catch {
      // gone
    }
    todo.push(...(children.get(pid) ?? []));
  }
  return total;
}
