// The progress bar: one display updated in place, throttled; plain lines where it cannot update.
import type { DisplayBundle, DisplayOptions } from "./types";
import { createProgress, formatDuration, progressLine } from "./progress";

function recorder() {
  const sent: { bundle: DisplayBundle; opts?: DisplayOptions }[] = [];
  return { sent, send: (bundle: DisplayBundle, opts?: DisplayOptions) => sent.push({ bundle, opts }) };
}

test("the line says position, percent, elapsed, remaining and info", () => {
  expect(progressLine("train", 100, { n: 25, info: { loss: 1.23456789, phase: "warmup" }, elapsed: 10 })).toBe(
    "train: 25/100 (25%) [00:10<00:30] loss=1.23457 phase=warmup",
  );
  expect(progressLine("", 4, { n: 4, info: {}, elapsed: 3725 })).toBe("4/4 (100%) [1:02:05]");
  expect(formatDuration(59.6)).toBe("01:00");
});

test("updates one display in place, at most once per interval, always showing the end", () => {
  let t = 0;
  const { sent, send } = recorder();
  const bar = createProgress(send, {
    total: 10,
    label: "steps",
    canUpdate: true,
    minIntervalMs: 100_000,
    now: () => t,
  });
  for (let i = 1; i <= 10; i++) {
    t += 30_000; // a step every 30 s, an update at most every 100 s
    bar.update(i, { loss: 10 - i });
  }
  bar.close();
  bar.update(3); // ignored once closed
  const ids = new Set(sent.map((s) => s.opts?.displayId));
  expect(ids.size).toBe(1);
  expect([...ids][0]).toMatch(/^llmlab-progress-/);
  expect(sent.map((s) => [s.opts?.update, s.bundle.data["text/plain"]])).toEqual([
    [false, "steps: 0/10 (0%) [00:00]"],
    [true, "steps: 4/10 (40%) [02:00<03:00] loss=6"],
    [true, "steps: 8/10 (80%) [04:00<01:00] loss=2"],
    [true, "steps: 10/10 (100%) [05:00] loss=0"], // the end is shown at once
    [true, "steps: 10/10 (100%) [05:00] loss=0"], // close
  ]);
  expect(sent[1].bundle.data["text/html"]).toBe(
    '<div class="llmlab-progress"><progress value="4" max="10" style="width: 40ch; vertical-align: middle;"></progress> <span>steps: 4/10 (40%) [02:00&lt;03:00] loss=6</span></div>',
  );
});

test("without display updates it prints a rate-limited plain line, plus the last one", () => {
  let t = 0;
  const lines: string[] = [];
  const { sent, send } = recorder();
  const bar = createProgress(send, {
    total: 100,
    canUpdate: false,
    minIntervalMs: 1000,
    now: () => t,
    write: (s) => lines.push(s),
  });
  for (let i = 1; i <= 50; i++) {
    t += 100;
    bar.update(i);
  }
  bar.close();
  expect(sent).toEqual([]);
  expect(lines).toEqual([
    "0/100 (0%) [00:00]\n",
    "10/100 (10%) [00:01<00:09]\n",
    "20/100 (20%) [00:02<00:08]\n",
    "30/100 (30%) [00:03<00:07]\n",
    "40/100 (40%) [00:04<00:06]\n",
    "50/100 (50%) [00:05<00:05]\n",
  ]);
});

test("a bad total or position is a clear error", () => {
  const { send } = recorder();
  expect(() => createProgress(send, { total: 0, canUpdate: true })).toThrow(
    "progress: total must be a positive number, got 0",
  );
  expect(() => createProgress(send, { total: 3, canUpdate: true }).update(NaN)).toThrow(
    "progress.update: n must be a number of steps done, got NaN",
  );
});

test("a throttled update is still shown once the interval passes, even if the loop goes quiet", () => {
  jest.useFakeTimers();
  try {
    let t = 0;
    const { sent, send } = recorder();
    const bar = createProgress(send, { total: 10, canUpdate: true, minIntervalMs: 100, now: () => t });
    t = 40;
    bar.update(3);
    expect(sent).toHaveLength(1);
    t = 100;
    jest.advanceTimersByTime(60);
    expect(sent.map((s) => s.bundle.data["text/plain"])).toEqual(["0/10 (0%) [00:00]", "3/10 (30%) [00:00<00:00]"]);
    bar.close();
  } finally {
    jest.useRealTimers();
  }
});
