// The widget module's pure parts against their references: buffer paths as the protocol
// document's example lays them out, PNG against the CRC-32 check value and its own decoding,
// interact's sliders against ipywidgets' rule, and the models against the published spec.
import { inflateSync } from "zlib";
import { putBuffers, removeBuffers } from "./buffers";
import { crc32, encodePng, heatmapPng, viridis } from "./png";
import { sliderFromTuple } from "./api";
import { defaultState } from "./spec";
import { WidgetManager, WidgetKernel } from "./manager";
import { ValueWidget } from "./controls";
import type { Comm } from "../kernel/comms";

describe("buffers (protocol 2: buffer_paths)", () => {
  test("the spec's example: [['x'], ['y', 'z', 0]] removes x and nulls y.z[0]", () => {
    const x = new Uint8Array([1, 2]);
    const z0 = new Float32Array([0.5]);
    const state = { x, y: { z: [z0, 7], w: "keep" }, n: 3 };
    const split = removeBuffers(state);
    expect(split.state).toEqual({ y: { z: [null, 7], w: "keep" }, n: 3 });
    expect(split.buffer_paths).toEqual([["x"], ["y", "z", 0]]);
    expect(split.buffers.map((b) => Array.from(b))).toEqual([[1, 2], Array.from(new Uint8Array(z0.buffer))]);
    expect(state.x).toBe(x); // the original is left alone
    expect(state.y.z[0]).toBe(z0);
    const back = JSON.parse(JSON.stringify(split.state));
    putBuffers(back, split.buffer_paths, split.buffers);
    expect(back.x).toEqual(new Uint8Array([1, 2]));
    expect(back.y.z).toEqual([new Uint8Array(z0.buffer), 7]);
  });

  test("a path that leads nowhere, or a count mismatch, is an error naming it", () => {
    expect(() => putBuffers({}, [["a", "b"]], [new Uint8Array(1)])).toThrow(
      /buffer_paths\[0\] \["a","b"\] does not lead/,
    );
    expect(() => putBuffers({}, [["a"]], [])).toThrow(/1 buffer_paths but 0 buffers/);
  });
});

describe("png", () => {
  test("CRC-32 of '123456789' is the standard check value 0xCBF43926", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  test("a 2x1 PNG: signature, IHDR fields, chunk CRCs, and the pixels back from IDAT", () => {
    const png = encodePng(2, 1, new Uint8Array([255, 0, 0, 0, 0, 255]));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks: { type: string; data: Buffer }[] = [];
    for (let at = 8; at < png.length;) {
      const len = png.readUInt32BE(at);
      const type = png.toString("ascii", at + 4, at + 8);
      const data = png.subarray(at + 8, at + 8 + len);
      expect(png.readUInt32BE(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
      chunks.push({ type, data });
      at += 12 + len;
    }
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    expect([
      chunks[0].data.readUInt32BE(0),
      chunks[0].data.readUInt32BE(4),
      chunks[0].data[8],
      chunks[0].data[9],
    ]).toEqual([2, 1, 8, 2]);
    expect([...inflateSync(chunks[1].data)]).toEqual([0, 255, 0, 0, 0, 0, 255]);
  });

  test("viridis ends at matplotlib's #440154 and #fde725; a heatmap scales cells to pixels", () => {
    expect(viridis(0)).toEqual([0x44, 0x01, 0x54]);
    expect(viridis(1)).toEqual([0xfd, 0xe7, 0x25]);
    const png = heatmapPng(
      [
        [0, 1],
        [1, 0],
      ],
      { scale: 3 },
    );
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([6, 6]);
    expect(() => heatmapPng([[0, 1], [1]])).toThrow(/row 1 has 1 values, row 0 has 2/);
  });
});

describe("interact's sliders follow ipywidgets' _get_min_max_value", () => {
  // Worked by hand from ipywidgets' rule: value = min + diff/2 (diff//2 for ints), then
  // min + int((value - min) / step) * step when a step is given.
  test.each([
    [[0, 2, 0.05], "FloatSliderModel", 1, 0.05],
    [[1, 65], "IntSliderModel", 33, 1],
    [[0, 5], "IntSliderModel", 2, 1],
    [[1, 65, 4], "IntSliderModel", 33, 4],
    [[0, 0.7, 0.1], "FloatSliderModel", 0.3, 0.1],
    [[-1, 2], "IntSliderModel", 0, 1],
    [[0.5, 1.5], "FloatSliderModel", 1, 0.1],
  ])("%j -> %s value %d step %d", (t, model, value, step) => {
    const r = sliderFromTuple("x", t as number[]);
    expect(r.model).toBe(model);
    expect(r.state.value).toBe(value);
    expect(r.state.step).toBe(step);
  });

  test("bad tuples are refused with the name", () => {
    expect(() => sliderFromTuple("topK", [5, 1])).toThrow(/topK: min 5 is above max 1/);
    expect(() => sliderFromTuple("t", [0, 1, 0])).toThrow(/step must be positive/);
    expect(() => sliderFromTuple("t", [0])).toThrow(/\[min, max\] or \[min, max, step\]/);
  });
});

/** A manager over a fake kernel: records what would go to the frontend. */
function fakeKernel() {
  const sent: { comm: string; data: unknown; buffers: readonly Uint8Array[] }[] = [];
  let n = 0;
  const kernel: WidgetKernel = {
    openComm: (_t, data, _m, buffers) => {
      const id = `c${++n}`;
      sent.push({ comm: id, data, buffers });
      const comm: Comm = {
        id,
        target: "jupyter.widget",
        send: (d, _md, b = []) => void sent.push({ comm: id, data: d, buffers: b }),
        close: () => undefined,
      };
      return comm;
    },
    registerTarget: () => undefined,
    redirectOutputs: () => () => undefined,
    reportError: (err) => {
      throw err;
    },
  };
  return { manager: new WidgetManager(kernel), sent };
}

describe("models", () => {
  test("a slider's state is its spec's defaults, options on top, layout and style as new child models", () => {
    const { manager, sent } = fakeKernel();
    const s = manager.create(ValueWidget, "IntSliderModel", { value: 3, max: 10 }, { layout: { width: "300px" } });
    const spec = defaultState("IntSliderModel");
    expect(Object.keys(s.getState()).sort()).toEqual(
      [...Object.keys(spec.state), ...Object.keys(spec.references)].sort(),
    );
    expect(s.getState()).toMatchObject({
      value: 3,
      max: 10,
      min: 0,
      step: 1,
      readout_format: "d",
      layout: "IPY_MODEL_c1",
      style: "IPY_MODEL_c2",
    });
    expect((sent[0].data as { state: Record<string, unknown> }).state).toMatchObject({
      _model_name: "LayoutModel",
      width: "300px",
    });
    expect((sent[1].data as { state: Record<string, unknown> }).state).toMatchObject({
      _model_name: "SliderStyleModel",
      handle_color: null,
    });
    expect(() => manager.create(ValueWidget, "IntSliderModel", { mx: 3 })).toThrow(
      /IntSlider has no option "mx" \(expected one of .*max/,
    );
  });

  test("a frontend update is echoed, observers see it, and an observer's own change goes out as an update", async () => {
    const { manager, sent } = fakeKernel();
    const s = manager.create(ValueWidget, "IntSliderModel", { max: 10 }) as ValueWidget<number>;
    s.observe(({ new: v }) => {
      if (v > 8) s.value = 8; // clamp
    });
    sent.length = 0;
    await s.receive({ method: "update", state: { value: 9 }, buffer_paths: [] });
    expect(sent.map((m) => m.data)).toEqual([
      { method: "echo_update", state: { value: 9 }, buffer_paths: [] },
      { method: "update", state: { value: 8 }, buffer_paths: [] },
    ]);
    expect(s.value).toBe(8);
    await expect(s.receive({ method: "nope" })).rejects.toThrow(/unknown method "nope"/);
  });
});
