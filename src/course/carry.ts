// Carrying answers out of the learner's process as data. Plain values (numbers, strings, arrays,
// plain objects, typed arrays, Maps, Sets) travel by value; a few course classes travel through a
// codec (a GPT as its config and weights); anything else (a function, a tokenizer) travels as a
// *handle*: a numbered stand-in whose behaviour is recorded (transcript.ts) while the checker runs
// against the real value, and answered from that record when the checker runs again elsewhere.

/** An encoded value. Tagged arrays keep NaN, -0, undefined and bigints, which JSON loses. */
export type Enc =
  | ["u"]
  | ["null"]
  | ["b", boolean]
  | ["n", number | "NaN" | "Infinity" | "-Infinity" | "-0"]
  | ["s", string]
  | ["big", string]
  | ["a", Enc[]]
  | ["o", [string, Enc][]]
  | ["map", [Enc, Enc][]]
  | ["set", Enc[]]
  | ["ta", string, (number | string)[]]
  | ["date", number]
  | ["c", string, unknown]
  | ["h", number, "function" | "object", string[]]
  | ["x", string];

/** A class that travels by value: its data out of the learner's process, a real instance back in. */
export interface Codec {
  name: string;
  test(v: unknown): boolean;
  encode(v: unknown): unknown;
  decode(data: unknown): unknown;
}

const codecs = new Map<string, Codec>();
export function registerCodec(c: Codec): void {
  codecs.set(c.name, c);
}
export const findCodec = (name: string): Codec | undefined => codecs.get(name);
export const codecFor = (v: unknown): Codec | undefined => [...codecs.values()].find((c) => c.test(v));

const TYPED = [
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float32Array",
  "Float64Array",
] as const;
type TypedName = (typeof TYPED)[number];

export function encodeNumber(n: number): Enc {
  if (Number.isNaN(n)) return ["n", "NaN"];
  if (n === Infinity) return ["n", "Infinity"];
  if (n === -Infinity) return ["n", "-Infinity"];
  if (Object.is(n, -0)) return ["n", "-0"];
  return ["n", n];
}

export function decodeNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (v === "-0") return -0;
  throw new Error(`not an encoded number: ${JSON.stringify(v)}`);
}

const isPlain = (v: object): boolean => {
  const p = Object.getPrototypeOf(v);
  return p === null || p === Object.prototype || Object.getPrototypeOf(p) === null; // the last: another realm's Object.prototype
};

/** Names of the constructors on v's prototype chain ("Trainer", "Object"): instanceof on the trusted side. */
export function protoNames(v: object): string[] {
  const names: string[] = [];
  for (let p = Object.getPrototypeOf(v); p && names.length < 8; p = Object.getPrototypeOf(p)) {
    const c = Object.getOwnPropertyDescriptor(p, "constructor")?.value;
    names.push(typeof c === "function" && typeof c.name === "string" ? c.name : "?");
  }
  return names;
}

const MAX_DEPTH = 64;

/**
 * Encodes a value, calling `handle` for what cannot travel by value; returns the encoding and the
 * view the checker gets (the same value, with handles in place of functions and instances).
 * Without `codecs`, codec classes are only named (arguments compared between runs: a model the
 * checker built is the checker's, and its weights need not travel).
 */
export function encodeValue(
  v: unknown,
  handle: (v: object) => { enc: Enc; view: unknown },
  depth = 0,
  seen = new Set<object>(),
  codecs = true,
): { enc: Enc; view: unknown } {
  switch (typeof v) {
    case "undefined":
      return { enc: ["u"], view: v };
    case "boolean":
      return { enc: ["b", v], view: v };
    case "number":
      return { enc: encodeNumber(v), view: v };
    case "string":
      return { enc: ["s", v], view: v };
    case "bigint":
      return { enc: ["big", v.toString()], view: v };
    case "symbol":
      return { enc: ["x", `a symbol (${v.description ?? ""})`], view: undefined };
    case "function":
      return handle(v);
  }
  if (v === null) return { enc: ["null"], view: null };
  const o = v as object;
  if (depth > MAX_DEPTH || seen.has(o)) return handle(o); // deep or cyclic: let the checker walk it
  seen.add(o);
  try {
    if (Array.isArray(o)) {
      const parts = o.map((x) => encodeValue(x, handle, depth + 1, seen, codecs));
      return { enc: ["a", parts.map((p) => p.enc)], view: parts.map((p) => p.view) };
    }
    if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
      const name = TYPED.find((t) => Object.prototype.toString.call(o) === `[object ${t}]`);
      if (name) {
        const values = Array.from(o as unknown as ArrayLike<number>, (x) => encodeNumber(x)[1] as number | string);
        return { enc: ["ta", name, values], view: o };
      }
    }
    if (o instanceof Date) return { enc: ["date", o.getTime()], view: new Date(o.getTime()) };
    if (o instanceof Map) {
      const parts = [...o.entries()].map(
        ([k, x]) =>
          [encodeValue(k, handle, depth + 1, seen, codecs), encodeValue(x, handle, depth + 1, seen, codecs)] as const,
      );
      return {
        enc: ["map", parts.map(([k, x]) => [k.enc, x.enc])],
        view: new Map(parts.map(([k, x]) => [k.view, x.view])),
      };
    }
    if (o instanceof Set) {
      const parts = [...o].map((x) => encodeValue(x, handle, depth + 1, seen, codecs));
      return { enc: ["set", parts.map((p) => p.enc)], view: new Set(parts.map((p) => p.view)) };
    }
    const codec = codecFor(o);
    if (codec)
      return codecs ? { enc: ["c", codec.name, codec.encode(o)], view: o } : { enc: ["x", `a ${codec.name}`], view: o };
    if (isPlain(o)) {
      const entries = Object.keys(o).map(
        (k) => [k, encodeValue((o as Record<string, unknown>)[k], handle, depth + 1, seen, codecs)] as const,
      );
      return {
        enc: ["o", entries.map(([k, p]) => [k, p.enc])],
        view: Object.fromEntries(entries.map(([k, p]) => [k, p.view])),
      };
    }
    return handle(o);
  } finally {
    seen.delete(o);
  }
}

/** The inverse of encodeValue on the trusted side; handles become the replayer's stand-ins. */
export function decodeValue(
  e: Enc,
  handle: (id: number, kind: "function" | "object", protos: string[]) => unknown,
): unknown {
  if (!Array.isArray(e)) throw new Error(`not an encoded value: ${JSON.stringify(e)?.slice(0, 80)}`);
  const d = (x: Enc) => decodeValue(x, handle);
  switch (e[0]) {
    case "u":
      return undefined;
    case "null":
      return null;
    case "b":
      return !!e[1];
    case "n":
      return decodeNumber(e[1]);
    case "s":
      return String(e[1]);
    case "big":
      return BigInt(e[1]);
    case "a":
      return e[1].map(d);
    case "o": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of e[1]) if (k !== "__proto__") out[k] = d(x);
      return out;
    }
    case "map":
      return new Map(e[1].map(([k, x]) => [d(k), d(x)]));
    case "set":
      return new Set(e[1].map(d));
    case "ta": {
      const name = e[1] as TypedName;
      if (!TYPED.includes(name)) throw new Error(`unknown typed array ${JSON.stringify(name)}`);
      return (globalThis[name] as unknown as { from(a: number[]): unknown }).from(e[2].map(decodeNumber));
    }
    case "date":
      return new Date(e[1]);
    case "c": {
      const codec = findCodec(e[1]);
      if (!codec) throw new Error(`no codec ${JSON.stringify(e[1])}`);
      return codec.decode(e[2]);
    }
    case "h":
      return handle(e[1], e[2] === "function" ? "function" : "object", Array.isArray(e[3]) ? e[3].map(String) : []);
    case "x":
      return { unsupported: e[1] };
    default:
      throw new Error(`unknown tag ${JSON.stringify((e as unknown[])[0])}`);
  }
}
