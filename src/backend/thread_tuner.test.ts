// ThreadTuner against timings made up for the cases it is for: a quiet machine (all cores
// faster), one with other load (one thread faster), and the load going away again.
import { loadGemmAddon } from "./addon";
import { ThreadTuner } from "./thread_tuner";

/** Runs `calls` timed calls whose time on `threads` is cost(threads); returns the threads each used. */
function drive(tuner: ThreadTuner, calls: number, cost: (threads: number) => number): number[] {
  const used: number[] = [];
  for (let i = 0; i < calls; i++) {
    const n = tuner.next();
    used.push(n);
    tuner.record(n, cost(n));
  }
  return used;
}

const quiet = (n: number) => (n === 1 ? 15 : 10); // two threads 1.5x faster
const loaded = (n: number) => (n === 1 ? 10 : 12); // one thread 1.2x faster

test("a quiet machine keeps all cores and looks at one thread less and less often", () => {
  const t = new ThreadTuner(2);
  const used = drive(t, 3000, quiet);
  expect(t.choice).toBe(2);
  const looks = (from: number, to: number) => used.slice(from, to).filter((n) => n === 1).length;
  expect(looks(0, 155)).toBe(10); // a look (two calls) in 31 until it has five timings of each
  expect(looks(1000, 3000)).toBeLessThanOrEqual(10); // then one in 466
});

test("under load it moves to one thread, and back when the load goes", () => {
  const t = new ThreadTuner(2);
  drive(t, 100, quiet);
  const used = drive(t, 400, loaded);
  expect(t.choice).toBe(1);
  // Decided within a few looks, after which it runs on one thread.
  expect(used.slice(200).filter((n) => n === 1).length).toBeGreaterThan(180);
  drive(t, 400, quiet);
  expect(t.choice).toBe(2);
});

test("noise within the margin does not make it switch", () => {
  const t = new ThreadTuner(2);
  let i = 0;
  // One thread 2% faster, with +-1.5% jitter (at worst 4.9% apart): not worth leaving all cores for.
  drive(t, 2000, (n) => (n === 1 ? 9.8 : 10) * (1 + 0.015 * Math.sin(i++)));
  expect(t.choice).toBe(2);
});

test("one core: always one thread", () => {
  const t = new ThreadTuner(1);
  expect(drive(t, 100, loaded).every((n) => n === 1)).toBe(true);
  expect(() => new ThreadTuner(0)).toThrow(/positive integer/);
});

const { addon } = loadGemmAddon();
(addon ? test : test.skip)("setThreads pins the pool's size, which the tuner's way then leaves alone", () => {
  const a = addon!;
  const before = a.info().threads;
  expect(a.info().pinned).toBe(false);
  a.tuneThreads(1);
  expect(a.info().threads).toBe(1);
  a.tuneThreads(before);
  a.setThreads(before);
  expect(a.info().pinned).toBe(true);
  a.tuneThreads(before === 1 ? 2 : 1);
  expect(a.info().threads).toBe(before);
});
