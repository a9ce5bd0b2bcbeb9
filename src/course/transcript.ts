// Grades that the learner's code cannot forge. A checker runs twice:
// 1. in the learner's kernel, against the real answer wrapped by a Recorder, which writes down
//    every question the checker asks of what cannot travel by value (a property of a tokenizer,
//    a call of the learner's function, with its result and what it did to its arguments);
// 2. in a fresh trusted process (the grader's), against a Replayer that answers the same
//    questions from that record. Only the second verdict counts.
// The record is untrusted data: a learner can write any record they like, but a record passes
// only if its answers satisfy the pristine checker, which is what a correct function's answers
// do. A patched checker, registry or display path in the kernel asks different questions (or
// none) and the replay, asking the real ones, finds no answers: it fails.
import { Enc, decodeValue, encodeValue, protoNames } from "./carry";

export type OpKind = "get" | "has" | "keys" | "desc" | "call" | "new";

export interface Op {
  /** The handle asked. */
  h: number;
  op: OpKind;
  /** Property key (get, has, desc). */
  key?: string;
  /** Arguments as the checker passed them (call, new), in a form only for comparing. */
  args?: Enc[];
  /** Arguments the learner's function changed: index -> value after the call. */
  after?: [number, Enc][];
  result?: Enc;
  threw?: { name: string; message: string };
}

export interface Transcript {
  id: string;
  /** The answer passed to check(); absent when the notebook never checked this exercise. */
  answer?: Enc;
  ops: Op[];
}

const WELL_KNOWN = new Map<symbol, string>(
  Object.getOwnPropertyNames(Symbol)
    .filter((k) => typeof (Symbol as unknown as Record<string, unknown>)[k] === "symbol")
    .map((k) => [(Symbol as unknown as Record<string, symbol>)[k], `@@${k}`]),
);

export const keyName = (k: string | symbol): string =>
  typeof k === "string"
    ? k
    : (WELL_KNOWN.get(k) ??
      (Symbol.keyFor(k) !== undefined ? `@for:${Symbol.keyFor(k)}` : `@sym:${k.description ?? ""}`));

function keyFromName(n: string): string | symbol {
  if (!n.startsWith("@")) return n;
  for (const [s, name] of WELL_KNOWN) if (name === n) return s;
  if (n.startsWith("@for:")) return Symbol.for(n.slice(5));
  return Symbol(n.slice(5));
}

/** Arguments as compared between the two runs: by value, with functions and instances named only. */
const probe = (v: unknown): Enc =>
  encodeValue(
    v,
    (o) => ({ enc: ["x", typeof o === "function" ? "a function" : `an instance of ${protoNames(o)[0]}`], view: o }),
    0,
    new Set(),
    false,
  ).enc;

const MAX_OPS = 200_000;

export class Recorder {
  readonly ops: Op[] = [];
  private readonly handles = new Map<object, { enc: Enc; view: unknown }>();
  private readonly targets = new WeakMap<object, object>();
  private next = 0;

  /** The encoding of v and the view the checker gets (handles are recording proxies). */
  encode(v: unknown): { enc: Enc; view: unknown } {
    return encodeValue(this.unwrap(v), (o) => this.handle(o));
  }

  private unwrap<T>(v: T): T {
    return (
      ((v !== null && (typeof v === "object" || typeof v === "function") && this.targets.get(v as object)) as T) || v
    );
  }

  private push(op: Op): void {
    if (this.ops.length >= MAX_OPS) throw new Error(`the checker asked more than ${MAX_OPS} questions of the answer`);
    this.ops.push(op);
  }

  private handle(o: object): { enc: Enc; view: unknown } {
    const known = this.handles.get(o);
    if (known) return known;
    const h = this.next++;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the stand-in's Proxy traps run with the target as `this`
    const rec = this;
    const call = (kind: "call" | "new", run: (args: unknown[]) => unknown, args: unknown[]): unknown => {
      const real = args.map((a) => rec.unwrap(a));
      const before = real.map(probe);
      const op: Op = { h, op: kind, args: before };
      rec.push(op);
      let result: unknown;
      try {
        result = run(real);
      } catch (err) {
        op.threw = {
          name: err instanceof Error ? err.name : "Error",
          message: err instanceof Error ? err.message : String(err),
        };
        throw err;
      } finally {
        const after = real.map(probe);
        const changed = after.flatMap((e, i) =>
          JSON.stringify(e) !== JSON.stringify(before[i]) ? [[i, e] as [number, Enc]] : [],
        );
        if (changed.length) op.after = changed;
      }
      const r = rec.encode(result);
      op.result = r.enc;
      return r.view;
    };
    const proxy = new Proxy(o, {
      get(t, key) {
        const v = Reflect.get(t, key, t);
        const d = Reflect.getOwnPropertyDescriptor(t, key);
        const r = rec.encode(v);
        rec.push({ h, op: "get", key: keyName(key), result: r.enc });
        // A proxy must return a frozen own property itself (an invariant of Proxy).
        return d && !d.configurable && !d.writable && "value" in d ? v : r.view;
      },
      has(t, key) {
        const r = Reflect.has(t, key);
        rec.push({ h, op: "has", key: keyName(key), result: ["b", r] });
        return r;
      },
      ownKeys(t) {
        const keys = Reflect.ownKeys(t);
        rec.push({ h, op: "keys", result: ["a", keys.map((k) => ["s", keyName(k)] as Enc)] });
        return keys;
      },
      getOwnPropertyDescriptor(t, key) {
        const d = Reflect.getOwnPropertyDescriptor(t, key);
        rec.push({ h, op: "desc", key: keyName(key), result: d ? ["b", !!d.enumerable] : ["u"] });
        return d;
      },
      apply(t, self, args) {
        return call("call", (real) => Reflect.apply(t as (...a: unknown[]) => unknown, rec.unwrap(self), real), args);
      },
      construct(t, args) {
        return call("new", (real) => Reflect.construct(t as new (...a: unknown[]) => object, real), args) as object;
      },
    });
    this.targets.set(proxy, o);
    const entry = { enc: ["h", h, typeof o === "function" ? "function" : "object", protoNames(o)] as Enc, view: proxy };
    this.handles.set(o, entry);
    return entry;
  }
}

/** Raised (and remembered) when the checker asks something the record does not answer. */
export class Divergence extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Divergence";
  }
}

/** Puts `src` into `dst` in place (arrays, typed arrays, plain objects): what a learner's call did to an argument. */
function syncInto(dst: unknown, src: unknown): void {
  if (Array.isArray(dst) && Array.isArray(src)) {
    dst.length = src.length;
    src.forEach((x, i) => (dst[i] = x));
  } else if (ArrayBuffer.isView(dst) && ArrayBuffer.isView(src) && !(dst instanceof DataView)) {
    (dst as unknown as Float64Array).set(src as unknown as Float64Array);
  } else if (dst && src && typeof dst === "object" && typeof src === "object") {
    for (const k of Object.keys(dst)) if (!(k in src)) delete (dst as Record<string, unknown>)[k];
    Object.assign(dst, src);
  }
}

export class Replayer {
  /** The first question the record could not answer, if any (sticky: a checker may catch the throw). */
  diverged?: string;
  private readonly queues = new Map<number, Op[]>();
  private readonly stands = new Map<number, unknown>();

  constructor(
    private readonly t: Transcript,
    /** Trusted prototypes by constructor name, so that `instanceof Trainer` sees a recorded Trainer. */
    private readonly prototypeFor: (names: string[]) => object | undefined = () => undefined,
  ) {
    if (!Array.isArray(t.ops)) throw new Error(`transcript ${t.id}: "ops" must be an array`);
    for (const op of t.ops) {
      const q = this.queues.get(op.h) ?? [];
      q.push(op);
      this.queues.set(op.h, q);
    }
  }

  /** The answer as the checker will see it. */
  answer(): unknown {
    if (this.t.answer === undefined) return undefined;
    return this.decode(this.t.answer);
  }

  private decode(e: Enc | undefined): unknown {
    if (e === undefined) return this.diverge("a recorded question has no answer");
    return decodeValue(e, (id, kind, protos) => this.stand(id, kind, protos));
  }

  private diverge(why: string): never {
    this.diverged ??= why;
    throw new Divergence(why);
  }

  private take(h: number, op: OpKind, key?: string): Op {
    const got = this.queues.get(h)?.shift();
    const asked = `${op}${key !== undefined ? ` ${JSON.stringify(key)}` : ""}`;
    if (!got) return this.diverge(`the checker asked ${asked} of handle ${h}, which the record never answered`);
    if (got.op !== op || got.key !== key)
      return this.diverge(
        `the checker asked ${asked} of handle ${h}, but the record answers ${got.op} ${JSON.stringify(got.key ?? "")}`,
      );
    return got;
  }

  private stand(h: number, kind: "function" | "object", protos: string[]): unknown {
    const known = this.stands.get(h);
    if (known) return known;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the stand-in's Proxy traps run with the target as `this`
    const rp = this;
    const call = (op: "call" | "new", args: unknown[]): unknown => {
      const rec = rp.take(h, op);
      const asked = JSON.stringify(args.map(probe));
      if (JSON.stringify(rec.args ?? []) !== asked)
        return rp.diverge(`the checker called handle ${h} with arguments the record does not have`);
      for (const [i, e] of rec.after ?? []) if (i >= 0 && i < args.length) syncInto(args[i], rp.decode(e));
      if (rec.threw) {
        const err = new Error(String(rec.threw.message));
        err.name = String(rec.threw.name);
        throw err;
      }
      return rp.decode(rec.result);
    };
    // An arrow function has no own non-configurable keys, so any recorded key list is a valid answer.
    const target = kind === "function" ? () => undefined : {};
    const proxy = new Proxy(target, {
      get: (_, key) => rp.decode(rp.take(h, "get", keyName(key)).result),
      has: (_, key) => rp.decode(rp.take(h, "has", keyName(key)).result) === true,
      ownKeys: () => {
        const keys = rp.decode(rp.take(h, "keys").result);
        if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string"))
          return rp.diverge(`handle ${h}: recorded keys are not a list of names`);
        return [...new Set(keys.map(keyFromName))];
      },
      getOwnPropertyDescriptor: (_, key) => {
        const enumerable = rp.decode(rp.take(h, "desc", keyName(key)).result);
        return enumerable === undefined
          ? undefined
          : { value: undefined, writable: true, enumerable: enumerable === true, configurable: true };
      },
      getPrototypeOf: () => rp.prototypeFor(protos) ?? (kind === "function" ? Function.prototype : Object.prototype),
      apply: (_, __, args) => call("call", args),
      construct: (_, args) => call("new", args) as object,
      set: () => true,
      defineProperty: () => true,
      deleteProperty: () => true,
    });
    this.stands.set(h, proxy);
    return proxy;
  }
}
