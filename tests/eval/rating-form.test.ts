// Notebook 09's rating form (src/eval/ratingForm.ts) on the kernel's own widgets, with a fake
// frontend: picking buttons is what a frontend's update messages do, Submit is its click. The
// reference is collectRatings (the input() path) given the same answers one question at a time.
import { collectRatings } from "../../src/eval/collect";
import { FormWidgets, ratingForm } from "../../src/eval/ratingForm";
import type { RatingsFile } from "../../src/eval/ratings";
import { ButtonWidget, SelectionWidget, WidgetManager } from "../../kernel-ext/widgets";
import type { WidgetKernel } from "../../kernel-ext/widgets";
import { createWidgetsApi } from "../../kernel-ext/widgets/api";
import type { Comm } from "../../kernel-ext/kernel/comms";

/** The kernel's widget API over a kernel that sends nothing anywhere. */
function kernelWidgets() {
  let n = 0;
  const kernel: WidgetKernel = {
    openComm: () =>
      ({ id: `c${++n}`, target: "jupyter.widget", send: () => undefined, close: () => undefined }) as Comm,
    registerTarget: () => undefined,
    redirectOutputs: () => () => undefined,
    reportError: (err) => {
      throw err;
    },
  };
  const manager = new WidgetManager(kernel);
  // The form is typed against FormWidgets; the kernel's `widgets` must satisfy it as it is.
  const widgets: FormWidgets = createWidgetsApi(manager);
  return { manager, widgets };
}

const items = [
  { id: "item1", prompt: "The President ", outputs: { "t=0.7": "The President said", "t=1.3": "The Presidentxq z" } },
  { id: "item2", prompt: "Dear friend, ", outputs: { "t=0.7": "Dear friend, I am", "t=1.3": "Dear friend, qq" } },
];
const opts = { rater: "me", collectedBy: "me, in notebook 09", description: "test", date: "2026-12-03", seed: 0 };
// 2 items x (2 outputs x 3 criteria + 1 preference), in collectRatings' order
const answers = ["4", "3", "5", "2", "2", "3", "1", "5", "4", "4", "3", "3", "4", "t"];

/** What a frontend sends when the rater clicks option `label` of a ToggleButtons. */
async function pick(c: SelectionWidget<string>, label: string): Promise<void> {
  const index = c.options.findIndex(([, v]) => v === label);
  expect(index).toBeGreaterThanOrEqual(0);
  await c.receive({ method: "update", state: { index }, buffer_paths: [] });
}

test("the form's answers give the same ratings file as the input() path given the same answers", async () => {
  const { manager, widgets } = kernelWidgets();
  const submitted: RatingsFile[] = [];
  const form = ratingForm(items, widgets, { ...opts, onSubmit: (f) => void submitted.push(f) });
  expect(form.choices).toHaveLength(answers.length);
  expect(form.choices.every((c) => c.value === null)).toBe(true); // nothing pre-chosen
  for (const [i, c] of form.choices.entries()) await pick(c as SelectionWidget<string>, answers[i]);
  const submit = Object.keys(manager.allStates())
    .map((id) => manager.get(id))
    .find((m): m is ButtonWidget => m instanceof ButtonWidget);
  expect(submit?.get("description")).toBe("Submit ratings");
  await submit!.click();

  const script = [...answers];
  const reference = await collectRatings(items, () => script.shift()!, opts);
  expect(script).toEqual([]);
  expect(submitted).toEqual([reference]);
  expect(reference.likert).toHaveLength(12);
  expect(reference.preferences.map((p) => p.winner)).toEqual(["a", "tie"]); // "1" and "t"
  // the status says what was recorded, and no system's name (a changed answer stays blind)
  const status = Object.values(manager.allStates()).find((s) => /^Recorded/.test(String(s.state.value)));
  expect(status?.state.value).toBe(
    "Recorded 12 scores and 2 A/B choices; change any and Submit again to replace them.",
  );
});

test("Submit with answers missing records nothing and says which; blinding: no system name is shown", async () => {
  const { manager, widgets } = kernelWidgets();
  const submitted: RatingsFile[] = [];
  const form = ratingForm(items, widgets, { ...opts, onSubmit: (f) => void submitted.push(f) });
  for (const [i, c] of form.choices.entries()) if (i !== 7) await pick(c as SelectionWidget<string>, answers[i]);
  await expect(form.submit()).resolves.toBeUndefined();
  expect(submitted).toEqual([]);
  const shown = Object.values(manager.allStates()).map((s) => s.state);
  const status = shown.find((s) => typeof s.value === "string" && /Not recorded/.test(s.value as string));
  expect(status?.value).toBe("Not recorded: 1 of 14 answers missing (item2: Output 1 coherence).");
  const text = JSON.stringify(shown.map((s) => [s.value, s.description, s._options_labels]));
  expect(text).toContain("Output 1:\\nDear friend,");
  expect(text).not.toMatch(/t=0\.7|t=1\.3/);
  // the one answer given later completes it
  await pick(form.choices[7] as SelectionWidget<string>, answers[7]);
  expect(await form.submit()).toEqual(submitted[0]);
  expect(submitted).toHaveLength(1);
});
