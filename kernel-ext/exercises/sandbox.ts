// Isolation for graded submissions with bubblewrap (Debian's `bubblewrap`, the sandbox Flatpak
// uses): the whole file system read-only, the submissions, the solutions and the grader's output
// hidden under empty read-only tmpfs, one scratch folder writable (its tmp/ is /tmp), no network (a fresh network namespace
// with only loopback, where the runner and its kernel talk), fresh PID/IPC/UTS namespaces, no
// capabilities even when the grader runs as root, and the sandbox dies with the grader.
import { spawnSync } from "child_process";
import { existsSync } from "fs";
import { resolve } from "path";

export interface SandboxSpec {
  /** The one folder the submission may write (and its working tree). */
  scratch: string;
  /** Folders the submission must not read: other submissions, solutions, the gradebook. */
  hide: string[];
  /** Folders it must read even when they are under /tmp (the grader's own checkout). */
  keep?: string[];
}

export type SandboxCheck = { ok: true; tool: string } | { ok: false; reason: string };

/** The whole file system read-only, with its own /dev and /proc: what every sandboxed run starts from. */
const READ_ONLY_ROOT = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"];
/** New namespaces (user, ipc, pid, net, uts, cgroup: network is loopback only), no capabilities;
 *  the check below probes exactly these, so a sandbox that passes it is the one grading uses. */
const ISOLATION = ["--unshare-all", "--cap-drop", "ALL", "--die-with-parent"];

/** bwrap's flags for one submission; `hide` folders that do not exist are skipped. */
export function bwrapArgs(spec: SandboxSpec): string[] {
  const scratch = resolve(spec.scratch);
  // A folder inside another hidden one is hidden already (and a read-only tmpfs has no room for its mount point).
  const all = [...new Set(spec.hide.map((h) => resolve(h)))].filter((h) => existsSync(h) && h !== scratch);
  const outermost = all.filter((h) => !all.some((g) => g !== h && h.startsWith(`${g}/`)));
  // Order matters: later mounts cover earlier ones, so the scratch folder is bound last; a hidden
  // folder that contains the scratch folder is covered first, then the scratch folder reappears.
  const hide = outermost.filter((h) => !scratch.startsWith(`${h}/`));
  const covering = outermost.filter((h) => scratch.startsWith(`${h}/`));
  // Hidden folders are empty and read-only (a write there would vanish anyway, but fails instead);
  // /tmp is the scratch folder's tmp/, so every write lands in the scratch folder.
  return [
    ...READ_ONLY_ROOT,
    "--bind",
    `${scratch}/tmp`,
    "/tmp",
    ...(spec.keep ?? [])
      .map((k) => resolve(k))
      .filter((k) => k.startsWith("/tmp/"))
      .flatMap((k) => ["--ro-bind", k, k]),
    ...hide.flatMap((h) => ["--tmpfs", h, "--remount-ro", h]),
    ...covering.flatMap((h) => ["--tmpfs", h]),
    "--bind",
    scratch,
    scratch,
    ...covering.flatMap((h) => ["--remount-ro", h]), // not recursive: the scratch folder stays writable
    ...ISOLATION,
    "--new-session", // no TIOCSTI into the grader's terminal
    "--chdir",
    scratch,
  ];
}

let cached: SandboxCheck | undefined;

/** Whether bwrap is installed and can create the namespaces here (it cannot in some containers). */
export function checkSandbox(bwrap = "bwrap"): SandboxCheck {
  if (cached) return cached;
  const r = spawnSync(bwrap, [...READ_ONLY_ROOT, ...ISOLATION, "true"], { encoding: "utf8", timeout: 20_000 });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === "ENOENT";
    cached = {
      ok: false,
      reason: missing
        ? "bubblewrap (bwrap) is not installed (Debian: apt-get install bubblewrap)"
        : `bwrap could not run: ${r.error.message}`,
    };
  } else if (r.status !== 0) {
    cached = {
      ok: false,
      reason: `bwrap cannot create its namespaces here (${(r.stderr || `exit ${r.status}`).trim()}); in a container, allow user namespaces or run it privileged`,
    };
  } else cached = { ok: true, tool: bwrap };
  return cached;
}
