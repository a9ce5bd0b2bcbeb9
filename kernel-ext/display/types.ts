// The shapes of rich display shared by the kernel, the formatters and the headless runner.

/** A MIME bundle as Jupyter sends it: mime type -> data (string or JSON). */
export type MimeBundle = Record<string, unknown>;

export interface DisplayBundle {
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

/** Returns a bundle for values it knows, undefined for the rest. */
export type Formatter = (value: unknown) => DisplayBundle | undefined;

export interface DisplayOptions {
  /** Jupyter display_id: a later display with update: true replaces this output in place. */
  displayId?: string;
  /** Send update_display_data for displayId instead of a new display_data. */
  update?: boolean;
}

/** Sends a bundle to the front end (display_data, or update_display_data with update: true). */
export type SendDisplay = (bundle: DisplayBundle, opts?: DisplayOptions) => void;

/** Objects that know how to show themselves: `[Symbol.for("Jupyter.display")]()` returns a bundle. */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** MIME type of metrics a notebook publishes for tests and reports. */
export const METRICS_MIME = "application/vnd.llmlab.metrics+json";
