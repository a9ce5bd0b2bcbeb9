// tf.Tensor at a glance: shape, dtype, summary statistics and the head of its values (as
// tfjs's own toString prints them, which already elides the middle of large tensors).
// Recognised by shape so tensors from another tfjs copy (danfojs bundles its own) work too.
import type { DisplayBundle, Formatter } from "../types";
import { escapeHtml, formatNumber } from "../html";

interface TensorLike {
  shape: number[];
  dtype: string;
  size: number;
  isDisposed?: boolean;
  dataSync(): ArrayLike<number> | string[];
  toString(verbose?: boolean): string;
}

export function isTensor(v: unknown): v is TensorLike {
  if (typeof v !== "object" || v === null) return false;
  const t = v as Partial<TensorLike>;
  return (
    Array.isArray(t.shape) &&
    typeof t.dtype === "string" &&
    typeof t.size === "number" &&
    typeof t.dataSync === "function"
  );
}

export interface TensorStats {
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (divides by n), as numpy's std. */
  std: number;
}

/** Two-pass mean and variance in float64, so float32 data of any size stays accurate. */
export function tensorStats(values: ArrayLike<number>): TensorStats | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(ss / n) };
}

const NUMERIC = new Set(["float32", "int32", "bool"]);

export function formatTensor(t: TensorLike): DisplayBundle {
  const shape = `[${t.shape.join(", ")}]`;
  if (t.isDisposed) {
    const s = `Tensor ${t.dtype} ${shape} (disposed)`;
    return {
      data: { "text/plain": s, "text/html": `<div class="llmlab-tensor"><code>${escapeHtml(s)}</code></div>` },
      metadata: {},
    };
  }
  const stats = NUMERIC.has(t.dtype) ? tensorStats(t.dataSync() as ArrayLike<number>) : undefined;
  const values = t
    .toString()
    .replace(/^Tensor\n?/, "")
    .replace(/^ {4}/gm, "")
    .trim();
  const head = `Tensor ${t.dtype} ${shape}, ${t.size} value${t.size === 1 ? "" : "s"}`;
  const statLine = stats
    ? Object.entries(stats)
        .map(([k, v]) => `${k} ${formatNumber(v)}`)
        .join("  ")
    : "";
  const plain = [head, ...(statLine ? [statLine] : []), values].join("\n");
  const statTable = stats
    ? `<table><tr>${Object.keys(stats)
        .map((k) => `<th>${k}</th>`)
        .join("")}</tr><tr>${Object.values(stats)
        .map((v) => `<td>${escapeHtml(formatNumber(v))}</td>`)
        .join("")}</tr></table>`
    : "";
  const html = [
    `<div class="llmlab-tensor">`,
    `<div><b>Tensor</b> <code>${escapeHtml(t.dtype)}</code> shape <code>${escapeHtml(shape)}</code>, ${t.size} values</div>`,
    statTable,
    `<pre>${escapeHtml(values)}</pre>`,
    `</div>`,
  ]
    .filter(Boolean)
    .join("\n");
  return { data: { "text/plain": plain, "text/html": html }, metadata: {} };
}

export const tensorFormatter: Formatter = (v) => (isTensor(v) ? formatTensor(v) : undefined);
