// A fresh connection file per kernel: loopback, five free ports, a random HMAC key.
import { randomBytes, randomUUID } from "crypto";
import { writeFileSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import type { ConnectionInfo } from "./wire";

/** Asks the OS for a free loopback port (as jupyter_client does; the kernel binds it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("could not get a free port"))));
    });
  });
}

export async function newConnectionInfo(kernelName: string): Promise<ConnectionInfo> {
  const ports = new Set<number>();
  // Hold nothing open between calls, so retry on the rare duplicate.
  while (ports.size < 5) ports.add(await freePort());
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = [...ports];
  return {
    transport: "tcp",
    ip: "127.0.0.1",
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    shell_port,
    iopub_port,
    stdin_port,
    control_port,
    hb_port,
    kernel_name: kernelName,
  };
}

/** Writes the connection file readable by us only (it holds the key). */
export function writeConnectionFile(info: ConnectionInfo, dir = tmpdir()): string {
  const path = join(dir, `llmlab-kernel-${randomUUID()}.json`);
  writeFileSync(path, JSON.stringify(info, null, 1), { mode: 0o600 });
  return path;
}
