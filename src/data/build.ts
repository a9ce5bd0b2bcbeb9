// `llmlab data build` / `llmlab data clean`: run the pipeline and write JSONL shards per
// split (one document per line, the common schema) plus report.json. Each shard is written
// to a temporary name and renamed when complete, so a crash never leaves a half shard.
import * as fs from "node:fs";
import * as path from "node:path";
import { PipelineOptions, PipelineReport, KeptDoc, runPipeline } from "./pipeline";
import { LoadOptions, loadSources, SourceName, SOURCES } from "./sources";
import { loadUserFiles } from "./sources/userFiles";
import { Doc } from "./types";
import { Split } from "./split";

export class ShardWriter {
  private fd: number | null = null;
  private tmp = "";
  private bytes = 0;
  private index = 0;
  readonly written: string[] = [];
  constructor(
    readonly dir: string,
    readonly prefix: string,
    readonly maxBytes = 64 << 20,
  ) {}

  write(line: string): void {
    if (this.fd === null) {
      this.tmp = path.join(this.dir, `.${this.prefix}-${String(this.index).padStart(5, "0")}.jsonl.tmp`);
      this.fd = fs.openSync(this.tmp, "w");
    }
    fs.writeSync(this.fd, line + "\n");
    this.bytes += Buffer.byteLength(line) + 1;
    if (this.bytes >= this.maxBytes) this.close();
  }

  close(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    const final = path.join(this.dir, `${this.prefix}-${String(this.index).padStart(5, "0")}.jsonl`);
    fs.renameSync(this.tmp, final);
    this.written.push(final);
    this.fd = null;
    this.bytes = 0;
    this.index++;
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + "\n");
  fs.renameSync(tmp, file);
}

export interface BuildResult {
  report: PipelineReport;
  shards: string[];
  reportPath: string;
}

/** Run the pipeline over any documents and write shards + report.json into `out`. */
export async function writeCorpus(
  docs: AsyncIterable<Doc>,
  out: string,
  opts: PipelineOptions & { shardBytes?: number } = {},
): Promise<BuildResult> {
  fs.mkdirSync(out, { recursive: true });
  const writers: Record<Split, ShardWriter> = {
    train: new ShardWriter(out, "train", opts.shardBytes),
    val: new ShardWriter(out, "val", opts.shardBytes),
    test: new ShardWriter(out, "test", opts.shardBytes),
  };
  let report: PipelineReport;
  try {
    report = await runPipeline(docs, (d: KeptDoc) => writers[d.split].write(JSON.stringify(d)), opts);
  } finally {
    for (const w of Object.values(writers)) w.close();
  }
  const reportPath = path.join(out, "report.json");
  writeJsonAtomic(reportPath, report);
  return { report, shards: Object.values(writers).flatMap((w) => w.written), reportPath };
}

export interface BuildOptions extends PipelineOptions, Omit<LoadOptions, keyof PipelineOptions> {
  sources?: SourceName[];
  out: string;
  shardBytes?: number;
}

export async function buildCorpus(opts: BuildOptions): Promise<BuildResult> {
  return writeCorpus(loadSources(opts.sources ?? SOURCES, opts), opts.out, opts);
}

export interface CleanOptions extends PipelineOptions {
  input: string;
  out: string;
  textField?: string;
  limit?: number;
  shardBytes?: number;
}

export async function cleanUserData(opts: CleanOptions): Promise<BuildResult> {
  return writeCorpus(loadUserFiles(opts.input, opts), opts.out, opts);
}
