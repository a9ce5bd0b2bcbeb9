// Binary values in widget state (protocol 2): any ArrayBuffer, typed array or DataView nested in
// the state travels as a binary frame; `buffer_paths` says where each one goes. A buffer in an
// object is removed from it, one in an array is left as null (so indices stay put).
// The same rules as ipywidgets' _remove_buffers / _put_buffers and the frontends' put_buffers.

export type BufferPath = (string | number)[];

export interface SplitState {
  state: Record<string, unknown>;
  buffer_paths: BufferPath[];
  buffers: Uint8Array[];
}

function asBytes(v: unknown): Uint8Array | undefined {
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return undefined;
}

/** Splits `state` into JSON and buffers without changing it (containers on a buffer's path are copied). */
export function removeBuffers(state: Record<string, unknown>): SplitState {
  const buffer_paths: BufferPath[] = [];
  const buffers: Uint8Array[] = [];
  const walk = (value: unknown, path: BufferPath): unknown => {
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        const bytes = asBytes(item);
        if (bytes) {
          copy ??= value.slice();
          copy[i] = null;
          buffer_paths.push([...path, i]);
          buffers.push(bytes);
          return;
        }
        const inner = walk(item, [...path, i]);
        if (inner !== item) (copy ??= value.slice())[i] = inner;
      });
      return copy ?? value;
    }
    if (value !== null && typeof value === "object" && !asBytes(value)) {
      let copy: Record<string, unknown> | undefined;
      for (const [k, item] of Object.entries(value as Record<string, unknown>)) {
        const bytes = asBytes(item);
        if (bytes) {
          copy ??= { ...(value as Record<string, unknown>) };
          delete copy[k];
          buffer_paths.push([...path, k]);
          buffers.push(bytes);
          continue;
        }
        const inner = walk(item, [...path, k]);
        if (inner !== item) (copy ??= { ...(value as Record<string, unknown>) })[k] = inner;
      }
      return copy ?? value;
    }
    return value;
  };
  return { state: walk(state, []) as Record<string, unknown>, buffer_paths, buffers };
}

/** Puts `buffers` back into `state` (in place) at `paths`; a path that does not lead anywhere is an error. */
export function putBuffers(
  state: Record<string, unknown>,
  paths: readonly BufferPath[],
  buffers: readonly Uint8Array[],
): void {
  if (paths.length !== buffers.length) {
    throw new Error(
      `widget message: ${paths.length} buffer_paths but ${buffers.length} buffers (expected one buffer per path)`,
    );
  }
  paths.forEach((path, i) => {
    if (!Array.isArray(path) || path.length === 0)
      throw new Error(`widget message: buffer_paths[${i}] must be a non-empty array of keys and indices`);
    let obj: unknown = state;
    for (const key of path.slice(0, -1)) {
      obj = (obj as Record<string | number, unknown> | undefined)?.[key];
      if (obj === null || typeof obj !== "object")
        throw new Error(
          `widget message: buffer_paths[${i}] ${JSON.stringify(path)} does not lead to an object in the state`,
        );
    }
    (obj as Record<string | number, unknown>)[path[path.length - 1]] = buffers[i];
  });
}
