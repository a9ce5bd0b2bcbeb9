// The control and heartbeat sockets, served on a worker thread so that they answer while
// a cell keeps the main thread busy (as ipykernel's control thread does).
// - heartbeat: echoes every ping, even during a synchronous loop;
// - interrupt_request: sends SIGINT to this process at once (a synchronous cell breaks,
//   an awaiting cell is rejected), then the main thread replies;
// - shutdown_request: if the main thread has not answered within SHUTDOWN_GRACE_MS (4 s)
//   (a cell that does not yield), replies itself and ends the process.
// Every other control message is verified here and handed to the main thread as frames.
import { parentPort, workerData } from "worker_threads";
import * as zmq from "zeromq";
import { Outbox } from "../protocol/outbox";
import { ConnectionInfo, Signer, SignatureError, deserialize, endpoint, reply, serialize } from "../protocol/wire";

export type ToMain = { kind: "ready" } | { kind: "control"; frames: Uint8Array[] } | { kind: "log"; line: string };
export type FromMain = { kind: "send"; frames: Uint8Array[] } | { kind: "close" };

// Under jupyter_client's shutdown_wait_time (5 s), after which it kills the kernel anyway.
const SHUTDOWN_GRACE_MS = 4000;
// How long a closing control socket may still try to deliver the shutdown_reply.
const LINGER_MS = 500;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("control-thread must run as a worker thread");
  const { info, session } = workerData as { info: ConnectionInfo; session: string };
  const signer = new Signer(info.key, info.signature_scheme);
  const control = new zmq.Router();
  const heartbeat = new zmq.Reply();
  await control.bind(endpoint(info, info.control_port));
  await heartbeat.bind(endpoint(info, info.hb_port));
  const post = (m: ToMain) => port.postMessage(m);
  const out = new Outbox(control, (err) => post({ kind: "log", line: `control: send failed: ${String(err)}` }));
  let answeredShutdown = false;

  port.on("message", (m: FromMain) => {
    if (m.kind === "close") {
      // Send the replies already handed over (shutdown_reply) before closing.
      void out.drain().then(() => {
        // Bounded: a client that went away must not keep the kernel from exiting.
        control.linger = LINGER_MS;
        heartbeat.linger = 0;
        control.close();
        heartbeat.close();
        // zeromq sends a frame over 128 bytes straight from our Buffer and, once it is done with
        // it (delivered, or dropped at the end of the linger), hands it back to this thread from
        // its I/O thread. Ending the thread first frees what that hand-back writes to: heap
        // corruption and SIGABRT in about 1 shutdown in 30. So the thread outlives the linger.
        setTimeout(() => port.close(), LINGER_MS + 100);
      });
      return;
    }
    answeredShutdown = true;
    void out.send(m.frames.map((f) => Buffer.from(f)));
  });

  void (async () => {
    for await (const frames of heartbeat) await heartbeat.send(frames);
  })().catch(() => undefined);

  post({ kind: "ready" });
  for await (const frames of control) {
    let msg;
    try {
      msg = deserialize(frames, signer);
    } catch (err) {
      const why = err instanceof SignatureError ? "bad signature" : String(err);
      post({ kind: "log", line: `control: rejected a message (${why})` });
      continue;
    }
    const type = msg.header.msg_type;
    if (type === "interrupt_request") process.kill(process.pid, "SIGINT");
    if (type === "shutdown_request") {
      answeredShutdown = false;
      setTimeout(() => {
        if (answeredShutdown) return;
        const restart = Boolean((msg.content as { restart?: boolean }).restart);
        void out
          .send(serialize(reply(msg, "shutdown_reply", { status: "ok", restart }, session), signer))
          .then(() => setTimeout(() => process.kill(process.pid, "SIGTERM"), 100));
      }, SHUTDOWN_GRACE_MS).unref();
    }
    post({ kind: "control", frames });
  }
}

main().catch((err: unknown) => {
  parentPort?.postMessage({ kind: "log", line: `control thread failed: ${String(err)}` } satisfies ToMain);
});
