// The Jupyter wire protocol (messaging spec 5.3): framing, HMAC signing and verification.
// Shared by the kernel (kernel-ext/kernel) and the headless client (kernel-ext/runner).
// Written by hand because no maintained Node package speaks the 5.x protocol over zeromq 6.
import { createHmac, randomUUID, timingSafeEqual } from "crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = "<IDS|MSG>";

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface Message<C = Record<string, unknown>> {
  /** zeromq routing identities (ROUTER sockets) or the topic (IOPub). */
  idents: Buffer[];
  header: Header;
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export interface ConnectionInfo {
  transport: string;
  ip: string;
  key: string;
  signature_scheme: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  kernel_name?: string;
}

export class SignatureError extends Error {}

/** Signs and verifies frames with the connection file's key; an empty key disables signing. */
export class Signer {
  private readonly algorithm: string;
  constructor(
    private readonly key: string,
    scheme = "hmac-sha256",
  ) {
    if (!scheme.startsWith("hmac-")) throw new Error(`signature_scheme: expected hmac-<digest>, got "${scheme}"`);
    this.algorithm = scheme.slice("hmac-".length);
  }

  sign(frames: Buffer[]): string {
    if (!this.key) return "";
    const hmac = createHmac(this.algorithm, this.key);
    for (const f of frames) hmac.update(f);
    return hmac.digest("hex");
  }

  verify(signature: string, frames: Buffer[]): boolean {
    if (!this.key) return true;
    const expected = Buffer.from(this.sign(frames), "utf8");
    const got = Buffer.from(signature, "utf8");
    return expected.length === got.length && timingSafeEqual(expected, got);
  }
}

export function newHeader(msgType: string, session: string, username = "llmlab"): Header {
  return {
    msg_id: randomUUID(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** A message replying to (or caused by) `parent`, in the same session. */
export function reply<C>(
  parent: Message<unknown> | undefined,
  msgType: string,
  content: C,
  session: string,
  metadata: Record<string, unknown> = {},
): Message<C> {
  return {
    idents: parent ? parent.idents : [],
    header: newHeader(msgType, session),
    parent_header: parent ? parent.header : {},
    metadata,
    content,
    buffers: [],
  };
}

export function serialize(msg: Message<unknown>, signer: Signer): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) =>
    Buffer.from(JSON.stringify(p ?? {}), "utf8"),
  );
  return [...msg.idents, Buffer.from(DELIMITER), Buffer.from(signer.sign(parts)), ...parts, ...msg.buffers];
}

/** Parses frames as received; throws SignatureError when the HMAC does not match. */
export function deserialize(frames: Buffer[], signer: Signer): Message {
  const at = frames.findIndex((f) => f.toString() === DELIMITER);
  if (at < 0) throw new Error("malformed message: no <IDS|MSG> delimiter");
  if (frames.length < at + 6)
    throw new Error(`malformed message: ${frames.length - at - 1} frames after the delimiter, expected at least 5`);
  const signature = frames[at + 1].toString();
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, parts)) throw new SignatureError("invalid HMAC signature");
  const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")) as unknown);
  return {
    idents: frames.slice(0, at),
    header: header as Header,
    parent_header: (parent ?? {}) as Header,
    metadata: (metadata ?? {}) as Record<string, unknown>,
    content: (content ?? {}) as Record<string, unknown>,
    buffers: frames.slice(at + 6),
  };
}

export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `${info.transport}://${info.ip}:${port}`;
}
