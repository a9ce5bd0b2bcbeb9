import { Command } from "commander";
import * as path from "node:path";
import * as data from "../../src/data";

// Progress on stderr, one line per ~2 s: the data build takes minutes, not seconds.
function progressPrinter(): (info: { stage: string; done: number; total?: number }) => void {
  let last = 0;
  return (info) => {
    const now = Date.now();
    if (now - last < 2000 && info.total === undefined) return;
    last = now;
    process.stderr.write(
      `  ${info.stage}: ${info.done}${info.total !== undefined ? "/" + info.total : ""} documents\n`,
    );
  };
}

function summary(r: data.PipelineReport, out: string): string {
  const removed = Object.entries(r.removedByFilter)
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f}=${n}`)
    .join(" ");
  const pii = Object.entries(r.piiReplaced)
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f}=${n}`)
    .join(" ");
  return [
    `documents in ${r.documentsIn} (${(r.bytesIn / 1e6).toFixed(1)} MB), kept ${r.documentsKept} (${(r.bytesKept / 1e6).toFixed(1)} MB) in ${r.seconds.toFixed(1)} s`,
    `removed: ${removed || "none"}`,
    `pii replaced: ${pii || "none"}`,
    `splits: train=${r.splits.train} val=${r.splits.val} test=${r.splits.test}`,
    `wrote ${path.join(out, "report.json")}`,
  ].join("\n");
}

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`expected a positive integer, got "${v}"`);
  return n;
};

export function register(program: Command): void {
  const cmd = program.command("data").description("collect, clean, filter and deduplicate the course corpus");
  cmd
    .command("build")
    .description("run the data pipeline over the packaged sources and write JSONL shards + report.json")
    .option("--sources <names...>", `sources to include (${data.SOURCES.join(", ")})`, data.SOURCES)
    .option("--out <dir>", "output folder", "out/data")
    .option("--limit <n>", "at most n documents per source (for quick runs)", int)
    .option("--threshold <t>", "near-duplicate Jaccard threshold", parseFloat, 0.8)
    .option("--num-perm <k>", "MinHash permutations", int, 128)
    .action(async (o: { sources: string[]; out: string; limit?: number; threshold: number; numPerm: number }) => {
      const sources = o.sources.map(data.checkSourceName);
      const { report } = await data.buildCorpus({
        sources,
        out: o.out,
        limit: o.limit,
        nearDup: { threshold: o.threshold, numPerm: o.numPerm },
        onProgress: progressPrinter(),
      });
      console.log(summary(report, o.out));
    });
  cmd
    .command("clean")
    .description("run the same pipeline over your own .txt/.jsonl/.csv data")
    .requiredOption("--in <path>", "a file or folder of .txt, .jsonl (text field) or .csv (text column)")
    .requiredOption("--out <dir>", "output folder")
    .option("--text-field <name>", "the field/column holding the text", "text")
    .option("--threshold <t>", "near-duplicate Jaccard threshold", parseFloat, 0.8)
    .action(async (o: { in: string; out: string; textField: string; threshold: number }) => {
      const { report } = await data.cleanUserData({
        input: o.in,
        out: o.out,
        textField: o.textField,
        nearDup: { threshold: o.threshold },
        onProgress: progressPrinter(),
      });
      console.log(summary(report, o.out));
    });
  cmd
    .command("manifest")
    .description("check (default) or, with --write, regenerate datasets/<source>/manifest.json")
    .option("--write", "write new manifests from the installed packages")
    .action((o: { write?: boolean }) => {
      for (const s of data.SOURCES) {
        const m = data.sourceManifest(s);
        if (o.write) data.writeManifest(data.manifestPath(s), m);
        else data.verifyManifest(data.manifestPath(s), data.packageDir(m.package));
        console.log(
          `${s}: ${Object.keys(m.files).length} files ${o.write ? "written" : "ok"} (${m.package}@${m.version})`,
        );
      }
    });
}
