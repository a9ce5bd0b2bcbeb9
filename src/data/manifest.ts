// Checksum manifests: datasets/<source>/manifest.json lists the sha256 of every package
// file a loader reads. Loading checks them first, so a changed or corrupted package fails
// loudly with the file's name instead of silently changing the corpus.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface Manifest {
  source: string;
  package: string;
  version: string;
  files: Record<string, string>; // path relative to the package root -> sha256 hex
}

/** The repository root: the nearest folder above this file whose package.json is llmlab's. */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pj = path.join(dir, "package.json");
    if (fs.existsSync(pj) && (JSON.parse(fs.readFileSync(pj, "utf8")) as { name?: string }).name === "llmlab")
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`repoRoot: no llmlab package.json above ${__dirname}`);
  }
}

/** Installed folder of an npm package (works for packages whose "exports" hide package.json). */
export function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = path.join(base, name);
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
  }
  throw new Error(`package "${name}" is not installed; run \`npm install\` (it is a dependency of llmlab)`);
}

export function sha256File(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

export function manifestPath(source: string, datasetsDir = path.join(repoRoot(), "datasets")): string {
  return path.join(datasetsDir, source, "manifest.json");
}

export function buildManifest(source: string, pkg: string, root: string, files: string[]): Manifest {
  const version = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
  const out: Record<string, string> = {};
  for (const f of [...files].sort()) out[f] = sha256File(path.join(root, f));
  return { source, package: pkg, version, files: out };
}

export function writeManifest(file: string, m: Manifest): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(m, null, 1) + "\n");
  fs.renameSync(tmp, file);
}

/**
 * Check every file of the manifest under `root`. Throws one error naming the source, the
 * manifest, and up to five offending files (missing or with a different sha256).
 */
export function verifyManifest(file: string, root: string): Manifest {
  if (!fs.existsSync(file))
    throw new Error(`manifest ${file} not found: expected the checksum manifest for the package at ${root}`);
  const m = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  if (!m.files || typeof m.files !== "object")
    throw new Error(`manifest ${file}: expected an object "files" mapping path -> sha256`);
  const bad: string[] = [];
  for (const [rel, want] of Object.entries(m.files)) {
    const p = path.join(root, rel);
    if (!fs.existsSync(p)) bad.push(`${rel}: missing`);
    else {
      const got = sha256File(p);
      if (got !== want) bad.push(`${rel}: sha256 ${got.slice(0, 12)}… expected ${want.slice(0, 12)}…`);
    }
  }
  if (bad.length) {
    throw new Error(
      `checksum mismatch for source "${m.source}" (${m.package}@${m.version}, ${bad.length} of ${Object.keys(m.files).length} files differ from ${file}):\n  ` +
        bad.slice(0, 5).join("\n  ") +
        (bad.length > 5 ? `\n  … and ${bad.length - 5} more` : "") +
        `\nReinstall the package (npm ci) or, if the change is intended, regenerate the manifest with \`llmlab data manifest --write\`.`,
    );
  }
  return m;
}
