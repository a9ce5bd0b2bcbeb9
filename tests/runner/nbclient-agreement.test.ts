// A second, independent client agrees: the same notebook executed by our runner and by
// Jupyter's nbclient (Debian's `jupyter nbconvert --execute`) is written identically,
// except for the execution timestamps. Python cells on ipykernel, so that only the clients differ.
import { readFileSync } from "fs";
import { join } from "path";
import { runNotebook } from "../../kernel-ext/runner";
import { codeCell, executeWithNbclient, installTestKernels, notebook, writeTestNotebook } from "./kernels";
import { IPYKERNEL, NBCLIENT, NBCONVERT, systemPackages } from "../helpers/system";

const kernels = installTestKernels();
afterAll(() => kernels.cleanup());

const CELLS = [
  'import sys\nfrom IPython.display import display, clear_output, HTML\nprint("a")\nprint("b", file=sys.stderr)\nprint("c")\n1 + 1',
  'h = display({"text/plain": "step 0", "text/html": "<b>0</b>"}, raw=True, display_id="bar")\ndisplay(HTML("<i>x</i>"))',
  'h.update({"text/plain": "step 9", "text/html": "<b>9</b>"}, raw=True)\ndisplay({"application/vnd.llmlab.metrics+json": {"loss": 1.5}}, raw=True)',
  'print("gone")\nclear_output(wait=True)\nprint("kept\\nlines")',
  'print("stays: wait clears only when more output comes")\nclear_output(wait=True)',
  'print("cleared")\nclear_output()',
  'print("before")\nraise KeyError("missing")',
  "x = [1, 2]\nx",
];

/**
 * The notebook without what legitimately differs between two runs: timestamps, and the size our
 * runner records (metadata.llmlab.size, as papermill records metadata.papermill), checked here too.
 */
function comparable(path: string): unknown {
  const nb = JSON.parse(readFileSync(path, "utf8"));
  for (const c of nb.cells) delete c.metadata.execution;
  if (nb.metadata.llmlab) {
    expect(nb.metadata.llmlab).toEqual({ size: { kind: "ci", parameters: {} } });
    delete nb.metadata.llmlab;
  }
  return nb;
}

(systemPackages(__filename, IPYKERNEL, NBCLIENT, NBCONVERT) ? test : test.skip)(
  "our runner writes what nbclient writes",
  async () => {
    const path = writeTestNotebook(
      kernels.dir,
      "agree.ipynb",
      notebook(
        CELLS.map((c) => codeCell(c)),
        "python3",
      ),
    );
    const ours = join(kernels.dir, "ours.ipynb");
    const r = await runNotebook(path, { env: kernels.env, allowErrors: true, outPath: ours });
    expect(r.metrics).toEqual({ loss: 1.5 });
    const theirs = executeWithNbclient(kernels, path, { allowErrors: true });
    expect(comparable(ours)).toEqual(comparable(theirs));
  },
);
