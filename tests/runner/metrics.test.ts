// Metrics a notebook publishes (application/vnd.llmlab.metrics+json) come back merged.
import { runNotebook } from "../../kernel-ext/runner";
import { METRICS_MIME } from "../../kernel-ext/display/types";
import { code, codeCell, installTestKernels, notebook, writeTestNotebook } from "./kernels";

const kernels = installTestKernels();
afterAll(() => kernels.cleanup());

test("published metrics are read back, later values winning", async () => {
  const path = writeTestNotebook(
    kernels.dir,
    "metrics.ipynb",
    notebook([codeCell(code("publishA")), codeCell(code("hello")), codeCell(code("publishB"))]),
  );
  const r = await runNotebook(path, { env: kernels.env });
  expect(r.status).toBe("ok");
  expect(r.metrics).toEqual({ loss: 1.5, steps: 10, backend: "cpu" });
  const bundles = r.outputs.filter((o) => o.output_type === "display_data" && METRICS_MIME in o.data);
  expect(bundles).toHaveLength(2);
});
