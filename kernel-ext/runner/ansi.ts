// Terminal escape sequences in outputs and tracebacks: the runner's failure messages and the
// book's HTML both show them as plain text.

// ECMA-48 CSI and OSC sequences (colours, cursor moves, hyperlinks) as terminals and tracebacks use them.
// eslint-disable-next-line no-control-regex -- ESC and BEL are what these sequences are made of
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export const stripAnsi = (s: string): string => s.replace(ANSI, "");
