// What each course notebook must publish at CI size: notebook file -> assertions on the
// merged metrics (publish({...}) in the notebook). Add one entry per notebook; a notebook
// without an entry is only checked to run and to publish something.
type MetricsCheck = (metrics: Record<string, unknown>) => void;

export const NOTEBOOK_METRICS: Record<string, MetricsCheck> = {
  "00-welcome.ipynb": (m) => {
    expect(typeof m.backend).toBe("string");
    expect(m.backend).not.toBe("");
    // sum of 0..n-1 is n(n-1)/2
    const n = m.n as number;
    expect(m.sum).toBe((n * (n - 1)) / 2);
    expect(m.steps).toBeGreaterThan(0);
  },
};
