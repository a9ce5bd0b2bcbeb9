// Saved widget state: our runner records what the kernel's widget comms left, as
// metadata.widgets["application/vnd.jupyter.widget-state+json"]; it validates against
// @jupyter-widgets/schema's v2 state schema and agrees with what nbclient (Debian's
// `jupyter nbconvert --execute`, store_widget_state) saves for the same notebook.
import Ajv from "ajv";
import { readFileSync } from "fs";
import { join } from "path";
import { runNotebook } from "../../kernel-ext/runner";
import { WIDGET_STATE_MIME } from "../../kernel-ext/runner/widget-state";
import { codeCell, executeWithNbclient, installTestKernels, notebook, writeTestNotebook } from "./kernels";

const kernels = installTestKernels();
afterAll(() => kernels.cleanup());

export const WIDGET_CELLS = [
  'const s = widgets.floatSlider({ min: 0, max: 2, step: 0.05, value: 0.8, description: "temperature" });\ndisplay(s);',
  "const ui = interact(({ k }) => `k=${k}`, { k: [1, 9] });",
  "const h = widgets.heatmap([[0, 1], [1, 0]], { scale: 2 });\ndisplay(h);",
  "s.value = 1.5;\nui.controls.k.value = 2;",
];

type Saved = {
  version_major: number;
  state: Record<
    string,
    { model_name: string; state: Record<string, unknown>; buffers?: { path: unknown[]; data: string }[] }
  >;
};

function savedState(path: string): Saved {
  return JSON.parse(readFileSync(path, "utf8")).metadata.widgets[WIDGET_STATE_MIME];
}

/** Models in a stable order with ids replaced by their model's position, so two runs compare. */
function canonical(saved: Saved): unknown[] {
  const ids = Object.keys(saved.state);
  const order = ids.slice().sort((a, b) =>
    JSON.stringify(saved.state[a])
      .replace(/IPY_MODEL_[\w-]+/g, "")
      .localeCompare(JSON.stringify(saved.state[b]).replace(/IPY_MODEL_[\w-]+/g, "")),
  );
  return order.map((id) =>
    JSON.parse(
      JSON.stringify(saved.state[id]).replace(
        /IPY_MODEL_([\w-]+)/g,
        (_, ref: string) => `IPY_MODEL_${saved.state[ref]?.model_name ?? "?"}`,
      ),
    ),
  );
}

test("the run saves every model's last state (buffers base64), valid by the v2 schema and as nbclient saves it", async () => {
  const path = writeTestNotebook(kernels.dir, "widgets.ipynb", notebook(WIDGET_CELLS.map((c) => codeCell(c))));
  const ours = join(kernels.dir, "ours.ipynb");
  const r = await runNotebook(path, { env: kernels.env, outPath: ours });
  expect(r.status).toBe("ok");
  const saved = savedState(ours);

  const schema = require("@jupyter-widgets/schema/v2/state.schema.json");
  const validate = new Ajv({ strict: false }).compile(schema);
  expect(validate(saved) ? [] : validate.errors).toEqual([]);

  const models = Object.values(saved.state);
  const slider = models.find((m) => m.model_name === "FloatSliderModel" && m.state.description === "temperature")!;
  expect(slider.state.value).toBe(1.5);
  const output = models.find((m) => m.model_name === "OutputModel")!;
  expect(output.state.outputs).toEqual([
    { output_type: "display_data", data: { "text/plain": "'k=2'" }, metadata: {} },
  ]);
  const image = models.find((m) => m.model_name === "ImageModel")!;
  expect(image.buffers?.map((b) => b.path)).toEqual([["value"]]);
  expect(Buffer.from(image.buffers![0].data, "base64").subarray(1, 4).toString()).toBe("PNG");
  expect(image.state.value).toBeUndefined();
  // The display_data points at a saved model.
  const shown = (r.notebook.cells[0] as { outputs: { data?: Record<string, { model_id: string }> }[] }).outputs[0]
    .data!["application/vnd.jupyter.widget-view+json"];
  expect(saved.state[shown.model_id].model_name).toBe("FloatSliderModel");

  expect(canonical(saved)).toEqual(canonical(savedState(executeWithNbclient(kernels, path))));
}, 120000);
