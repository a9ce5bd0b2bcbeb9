// The backend chain: try candidates in order, keep the first that loads and passes its
// self-check, and remember why each one before it was skipped.

export interface Loaded {
  /** The tfjs backend name now active (tf.getBackend()). */
  tfBackend: string;
  /** The device and kernels, in words (e.g. "wasm SIMD + native avx2 GEMM, 1 thread"). */
  detail: string;
}

export interface Candidate {
  name: string;
  /** In the automatic chain; others (e.g. 'wasm-stock') are only used when asked for. */
  auto: boolean;
  /** Makes this backend the active one, or throws an Error whose message says why not. */
  load(opts: { forced: boolean }): Promise<Loaded>;
}

export interface Skipped {
  name: string;
  reason: string;
}

export interface BackendChoice extends Loaded {
  /** Our name for the choice: 'node-gpu', 'node', 'webgpu', 'wasm', 'cpu', ... */
  name: string;
  reason: string;
  skipped: Skipped[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0];

/**
 * Loads the first candidate that works. With `prefer`, only that candidate is tried and
 * its failure is an error (a forced choice must not silently become another backend).
 */
export async function choose(candidates: Candidate[], prefer?: string): Promise<BackendChoice> {
  if (prefer) {
    const c = candidates.find((x) => x.name === prefer);
    if (!c) {
      throw new Error(`backend '${prefer}' is unknown; expected one of: ${candidates.map((x) => x.name).join(", ")}`);
    }
    try {
      const loaded = await c.load({ forced: true });
      return { name: c.name, ...loaded, reason: `forced ('${prefer}')`, skipped: [] };
    } catch (e) {
      throw new Error(`backend '${prefer}' was asked for but could not be used: ${message(e)}`);
    }
  }
  const skipped: Skipped[] = [];
  for (const c of candidates.filter((x) => x.auto)) {
    try {
      const loaded = await c.load({ forced: false });
      const reason = skipped.length
        ? `first that loaded; skipped ${skipped.map((s) => s.name).join(", ")}`
        : "first choice";
      return { name: c.name, ...loaded, reason, skipped };
    } catch (e) {
      skipped.push({ name: c.name, reason: message(e) });
    }
  }
  throw new Error(`no backend could be loaded: ${skipped.map((s) => `${s.name}: ${s.reason}`).join("; ")}`);
}
