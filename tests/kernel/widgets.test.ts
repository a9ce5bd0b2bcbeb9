// The widget protocol (2.1.0) with jupyter_client as the frontend: tests/widgets_protocol_test.py,
// against our kernelspec installed into a temp prefix. Needs Debian's python3-jupyter-client.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
let prefix: string;

beforeAll(() => {
  prefix = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-widgets-"));
  execFileSync(process.execPath, [path.join(ROOT, "dist/cli/llmlab.js"), "kernel", "install", "--prefix", prefix]);
});

afterAll(() => fs.rmSync(prefix, { recursive: true, force: true }));

test("open, update both ways, echo_update, request_state, control-comm restore, buffers, interact", () => {
  const env = { ...process.env, JUPYTER_PATH: path.join(prefix, "share", "jupyter") };
  const r = spawnSync("/usr/bin/python3", ["-m", "unittest", "-v", "tests/widgets_protocol_test.py"], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    timeout: 240000,
  });
  const report = r.stderr + r.stdout;
  expect(report).toMatch(/Ran 4 tests/);
  expect(report).toMatch(/\nOK\n/);
  expect(r.status).toBe(0);
}, 300000);
