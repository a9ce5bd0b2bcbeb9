// Kernel start to first result: spawn the kernel, connect, run `1 + 1`, wait for its
// execute_result. Baseline measured in the same run: a bare `node -e 0` start.
// Also the kernel without the llm preload, to show what preloading src costs.
// Usage: npm run bench:kernel-start [-- --json] [--runs N]
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import { KernelClient, LaunchSpec } from "../kernel-ext/protocol/client";
import { ownKernelSpec } from "../cli/own-kernel";

/**
 * CPU time (user + system, all threads) the process has used, from /proc (Linux). On a
 * machine shared with other jobs, wall time mostly measures the queue for a core; CPU
 * time is what the start costs on an idle one.
 */
function cpuMs(statFile: string): number {
  try {
    const fields = fs.readFileSync(statFile, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** Total CPU, and the busiest thread's: on an idle machine, wall time is at least the latter. */
function processCpu(pid: number | undefined): { cpu: number; busiestThread: number } {
  let busiestThread = NaN;
  try {
    const threads = fs.readdirSync(`/proc/${pid}/task`).map((t) => cpuMs(`/proc/${pid}/task/${t}/stat`));
    busiestThread = Math.max(...threads);
  } catch {
    // not Linux
  }
  return { cpu: cpuMs(`/proc/${pid}/stat`), busiestThread };
}

type Sample = { wall: number; cpu: number; busiestThread: number };

async function firstResult(spec: LaunchSpec): Promise<Sample> {
  const t0 = performance.now();
  const k = await KernelClient.start(spec);
  const { outputs } = await k.execute("1 + 1");
  const wall = performance.now() - t0;
  const cpu = processCpu(k.child.pid);
  await k.shutdown(5000);
  if (!outputs.some((m) => m.header.msg_type === "execute_result")) throw new Error("no execute_result for 1 + 1");
  return { wall, ...cpu };
}

function nodeStartMs(): number {
  const t0 = performance.now();
  spawnSync(process.execPath, ["-e", "0"]);
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const runsAt = process.argv.indexOf("--runs");
  const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
  if (!(runs >= 1)) throw new Error(`--runs: expected a positive integer, got ${process.argv[runsAt + 1]}`);
  const node: number[] = [];
  const bare: Sample[] = [];
  const llm: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(nodeStartMs());
    bare.push(await firstResult(ownKernelSpec({ preload: false })));
    llm.push(await firstResult(ownKernelSpec()));
  }
  const wall = (xs: { wall: number }[]) => median(xs.map((x) => x.wall));
  const cpu = (xs: Sample[]) => median(xs.map((x) => x.cpu));
  const busiest = (xs: Sample[]) => median(xs.map((x) => x.busiestThread));
  const result = {
    runs,
    node_start_ms: Math.round(median(node)),
    kernel_first_result_ms: Math.round(wall(bare)),
    kernel_first_result_cpu_ms: Math.round(cpu(bare)),
    kernel_llm_first_result_ms: Math.round(wall(llm)),
    kernel_llm_first_result_cpu_ms: Math.round(cpu(llm)),
    kernel_llm_busiest_thread_cpu_ms: Math.round(busiest(llm)),
    ratio_kernel_vs_node: +(wall(bare) / median(node)).toFixed(1),
    ratio_kernel_llm_vs_node: +(wall(llm) / median(node)).toFixed(1),
    load_average_1m: +os.loadavg()[0].toFixed(1),
    target_ms: 2000,
  };
  if (json) console.log(JSON.stringify(result));
  else {
    console.log(`node start (baseline)          ${result.node_start_ms} ms`);
    console.log(
      `kernel start -> first result   ${result.kernel_first_result_ms} ms wall, ${result.kernel_first_result_cpu_ms} ms CPU  (${result.ratio_kernel_vs_node}x node)`,
    );
    console.log(
      `  with the llm preload         ${result.kernel_llm_first_result_ms} ms wall, ${result.kernel_llm_first_result_cpu_ms} ms CPU  (${result.ratio_kernel_llm_vs_node}x node, target < ${result.target_ms} ms)`,
    );
    console.log(
      `  its busiest thread           ${result.kernel_llm_busiest_thread_cpu_ms} ms CPU  (a lower bound on the wall time on an idle machine)`,
    );
    console.log(`load average (1 min)           ${result.load_average_1m} on ${os.cpus().length} cores`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
