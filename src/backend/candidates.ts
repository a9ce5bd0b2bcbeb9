// The backends llmlab knows, fastest first. Each load() makes its backend active or
// throws with the reason; the optional ones are loaded only if installed.
import * as tf from "@tensorflow/tfjs-core";
import type { Candidate, Loaded } from "./chooser";
import { selfCheck } from "./self_check";
import { useWasm, type WasmMode } from "./wasm";

interface PackageJson {
  name: string;
  version: string;
}

function installed(pkg: string, why: string): PackageJson {
  try {
    return require(`${pkg}/package.json`) as PackageJson;
  } catch {
    throw new Error(`${pkg} is not installed (${why})`);
  }
}

async function activate(tfBackend: string): Promise<void> {
  if (!(await tf.setBackend(tfBackend))) throw new Error(`tf.setBackend('${tfBackend}') failed`);
  await tf.ready();
}

/** tfjs-node / tfjs-node-gpu: TensorFlow's C library through N-API. */
function tensorflow(name: string, pkg: string, gpu: boolean): Candidate {
  return {
    name,
    auto: true,
    async load(): Promise<Loaded> {
      if (!tf.findBackendFactory("tensorflow")) {
        const pj = installed(pkg, "an optional dependency: its install downloads libtensorflow and is dropped offline");
        if (pj.name !== pkg)
          throw new Error(`${pkg} resolves to ${pj.name}@${pj.version} (an npm alias), not the TensorFlow binding`);
        if (pj.version !== tf.version_core) {
          throw new Error(`${pkg}@${pj.version} is installed, but tfjs-core is ${tf.version_core}; they must match`);
        }
        require(pkg); // throws when libtensorflow is missing or does not load
        if (!tf.findBackendFactory("tensorflow")) {
          throw new Error(`${pkg} loaded, but registered its backend with another copy of @tensorflow/tfjs-core`);
        }
      }
      await activate("tensorflow");
      const usingGpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
      if (gpu && !usingGpu) throw new Error("libtensorflow loaded but sees no CUDA GPU");
      await selfCheck();
      return { tfBackend: "tensorflow", detail: usingGpu ? "libtensorflow on a CUDA GPU" : "libtensorflow on CPU" };
    },
  };
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; adapterType?: string };
}

/** WebGPU through Dawn (npm 'webgpu'): Vulkan, Metal or D3D12 underneath. */
const webgpu: Candidate = {
  name: "webgpu",
  auto: true,
  async load({ forced }): Promise<Loaded> {
    installed("webgpu", "optional: npm install webgpu@0.6.2 to try WebGPU");
    installed("@tensorflow/tfjs-backend-webgpu", "optional: npm install @tensorflow/tfjs-backend-webgpu@4.22.0");
    // The package has no typings we install; create() returns a GPU (navigator.gpu).
    const dawn = require("webgpu") as {
      create(flags: string[]): { requestAdapter(): Promise<GpuAdapterLike | null> };
      globals: object;
    };
    Object.assign(globalThis, dawn.globals);
    const g = globalThis as { navigator?: { gpu?: unknown } };
    if (!g.navigator?.gpu) {
      Object.defineProperty(globalThis, "navigator", {
        value: { ...(g.navigator ?? {}), gpu: dawn.create([]) },
        configurable: true,
      });
    }
    const gpu = (globalThis as unknown as { navigator: { gpu: { requestAdapter(): Promise<GpuAdapterLike | null> } } })
      .navigator.gpu;
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error("no WebGPU adapter (no GPU or no Vulkan/Metal/D3D12 driver)");
    const info = adapter.info ?? {};
    const desc =
      [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") || "unnamed adapter";
    if (!forced && (adapter.isFallbackAdapter || info.adapterType === "cpu")) {
      throw new Error(`only a software adapter (${desc}); the wasm backend is faster on CPU`);
    }
    require("@tensorflow/tfjs-backend-webgpu");
    await activate("webgpu");
    await selfCheck();
    return { tfBackend: "webgpu", detail: `WebGPU (Dawn) on ${desc}` };
  },
};

function wasm(name: string, mode: WasmMode, auto: boolean, threads?: number): Candidate {
  return {
    name,
    auto,
    async load(): Promise<Loaded> {
      const info = await useWasm(mode, { threads });
      await selfCheck();
      const matmul = `matmul: ${info.matmul}${info.addon && info.mode !== "fast+addon" ? ` (${info.addon})` : ""}`;
      const fused =
        info.fused === undefined
          ? ""
          : info.fused.startsWith("fused SIMD")
            ? "; fused layer norm, GELU, softmax"
            : `; no fused kernels (${info.fused})`;
      return { tfBackend: "wasm", detail: `wasm SIMD, ${matmul}${fused}` };
    },
  };
}

const cpu: Candidate = {
  name: "cpu",
  auto: true,
  async load(): Promise<Loaded> {
    require("@tensorflow/tfjs-backend-cpu");
    await activate("cpu");
    return { tfBackend: "cpu", detail: "plain JavaScript (tfjs-backend-cpu)" };
  },
};

/** The chain in order, then the variants that are only used when asked for. */
export function defaultCandidates(opts: { threads?: number } = {}): Candidate[] {
  return [
    tensorflow("node-gpu", "@tensorflow/tfjs-node-gpu", true),
    tensorflow("node", "@tensorflow/tfjs-node", false),
    webgpu,
    wasm("wasm", "fast+addon", true, opts.threads),
    cpu,
    wasm("wasm-noaddon", "fast", false),
    wasm("wasm-stock", "stock", false),
  ];
}
