// One handler per request type of the messaging protocol (5.3).
import { formatValue } from "../display/format";
import { Message, PROTOCOL_VERSION } from "../protocol/wire";
import type { Kernel } from "./kernel";
import { HistoryRequest } from "./history";
import { checkComplete, inspectMarkdown, toCodeUnits, toCodePoints } from "./language";

type Via = "shell" | "control";
type Handler = (k: Kernel, msg: Message, via: Via) => Promise<void>;

interface ExecuteRequest {
  code?: string;
  user_expressions?: Record<string, string>;
  silent?: boolean;
  store_history?: boolean;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}

const pkgVersion = (): string => (require("../../../package.json") as { version: string }).version;

const kernelInfo: Handler = async (k, msg, via) => {
  await k.replyTo(
    msg,
    "kernel_info_reply",
    {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "llmlab",
      implementation_version: pkgVersion(),
      language_info: {
        name: "typescript",
        version: require("./tsconverter").typescriptVersion() as string,
        mimetype: "text/typescript",
        file_extension: ".ts",
        pygments_lexer: "typescript",
        codemirror_mode: { name: "javascript", typescript: true },
        nbconvert_exporter: "script",
      },
      banner: k.banner,
      help_links: [{ text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/" }],
    },
    via,
  );
};

const execute: Handler = async (k, msg, via) => {
  const c = msg.content as ExecuteRequest;
  const code = typeof c.code === "string" ? c.code : "";
  const silent = Boolean(c.silent);
  const store = !silent && c.store_history !== false;
  if (store) k.executionCount++;
  const count = k.executionCount;
  if (!silent) k.publish("execute_input", { code, execution_count: count }, msg);
  if (store) k.history.add(count, code);
  const help = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\?\s*$/.exec(code);
  if (help) {
    // IPython's `name?`: the documentation goes to the pager (a payload), not the output.
    const info = await k.executor.inspect(help[1], help[1].length);
    const data = info ? inspectMarkdown(info) : { "text/plain": `${help[1]} not found.` };
    await k.replyTo(
      msg,
      "execute_reply",
      { status: "ok", execution_count: count, payload: [{ source: "page", data, start: 0 }], user_expressions: {} },
      via,
    );
    return;
  }
  const outcome = await k.runCell(msg, code, c.allow_stdin !== false, store ? `In[${count}]` : undefined);
  if (outcome.status === "ok") {
    if (outcome.hasValue && !silent) {
      let bundle;
      try {
        bundle = formatValue(outcome.value);
      } catch (err) {
        k.streams.write(
          "stderr",
          `display of the result failed: ${err instanceof Error ? err.message : String(err)}\n`,
        );
        bundle = { data: { "text/plain": String(outcome.value) }, metadata: {} };
      }
      k.publish("execute_result", { execution_count: count, data: bundle.data, metadata: bundle.metadata }, msg);
      if (store && typeof bundle.data["text/plain"] === "string") k.history.setOutput(count, bundle.data["text/plain"]);
    }
    const userExpressions = await evaluateUserExpressions(k, msg, c.user_expressions ?? {});
    await k.replyTo(
      msg,
      "execute_reply",
      { status: "ok", execution_count: count, payload: [], user_expressions: userExpressions },
      via,
    );
    return;
  }
  const { ename, evalue, traceback } = outcome;
  k.publish("error", { ename, evalue, traceback }, msg);
  await k.replyTo(msg, "execute_reply", { status: "error", execution_count: count, ename, evalue, traceback }, via);
  if (c.stop_on_error !== false) k.abortQueued();
};

/** Each expression is compiled and run like a silent cell; its value comes back as a MIME bundle. */
async function evaluateUserExpressions(
  k: Kernel,
  msg: Message,
  exprs: Record<string, string>,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, expr] of Object.entries(exprs)) {
    const r = await k.runCell(msg, String(expr), false);
    if (r.status === "ok") out[name] = { status: "ok", ...formatValue(r.hasValue ? r.value : undefined) };
    else out[name] = { status: "error", ename: r.ename, evalue: r.evalue, traceback: r.traceback };
  }
  return out;
}

const complete: Handler = async (k, msg, via) => {
  const { code = "", cursor_pos } = msg.content as { code?: string; cursor_pos?: number };
  const pos = toCodeUnits(code, cursor_pos ?? code.length);
  const info = await k.executor.complete(code, pos);
  await k.replyTo(
    msg,
    "complete_reply",
    {
      status: "ok",
      matches: info.candidates,
      cursor_start: toCodePoints(code, info.start),
      cursor_end: toCodePoints(code, info.end),
      metadata: {},
    },
    via,
  );
};

const inspect: Handler = async (k, msg, via) => {
  const { code = "", cursor_pos } = msg.content as { code?: string; cursor_pos?: number };
  const pos = toCodeUnits(code, cursor_pos ?? code.length);
  // The cursor usually sits just after the name; try there, then on its last character.
  const info = (await k.executor.inspect(code, pos)) ?? (pos > 0 ? await k.executor.inspect(code, pos - 1) : undefined);
  const data = info ? inspectMarkdown(info) : {};
  await k.replyTo(msg, "inspect_reply", { status: "ok", found: Boolean(info), data, metadata: {} }, via);
};

const isComplete: Handler = async (k, msg, via) => {
  const { code = "" } = msg.content as { code?: string };
  await k.replyTo(msg, "is_complete_reply", checkComplete(code), via);
};

const history: Handler = async (k, msg, via) => {
  await k.replyTo(msg, "history_reply", { status: "ok", history: k.history.query(msg.content as HistoryRequest) }, via);
};

const commInfo: Handler = async (k, msg, via) => {
  const { target_name } = msg.content as { target_name?: string };
  await k.replyTo(msg, "comm_info_reply", { status: "ok", comms: k.comms.info(target_name) }, via);
};

/** comm messages get no reply; problems go to the kernel log. */
const comm =
  (
    f: (
      k: Kernel,
      content: Record<string, unknown>,
      buffers: Buffer[],
    ) => string | undefined | Promise<string | undefined>,
  ): Handler =>
  async (k, msg) => {
    const problem = await f(k, msg.content, msg.buffers);
    if (problem) k.streams.log(problem);
  };

const interrupt: Handler = async (k, msg, via) => {
  // The control thread has already sent SIGINT; on the shell channel we interrupt here.
  if (via === "shell") k.interrupt();
  await k.replyTo(msg, "interrupt_reply", { status: "ok" }, via);
};

const shutdown: Handler = async (k, msg, via) => {
  const restart = Boolean((msg.content as { restart?: boolean }).restart);
  k.interrupt();
  await k.replyTo(msg, "shutdown_reply", { status: "ok", restart }, via);
  k.publish("shutdown_reply", { status: "ok", restart }, msg);
  await k.shutdown();
};

export const requestHandlers: Record<string, Handler> = {
  kernel_info_request: kernelInfo,
  execute_request: execute,
  complete_request: complete,
  inspect_request: inspect,
  is_complete_request: isComplete,
  history_request: history,
  comm_info_request: commInfo,
  comm_open: comm((k, c, b) => k.comms.handleOpen(c, b)),
  comm_msg: comm((k, c, b) => k.comms.handleMsg(c, b)),
  comm_close: comm((k, c) => k.comms.handleClose(c)),
  interrupt_request: interrupt,
  shutdown_request: shutdown,
};
