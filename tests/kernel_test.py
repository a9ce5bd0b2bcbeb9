"""jupyter_kernel_test (Debian's python3-jupyter-kernel-test) against the llmlab kernel.

Run with the kernelspec on JUPYTER_PATH, e.g.
    node dist/cli/llmlab.js kernel install --prefix /tmp/k
    JUPYTER_PATH=/tmp/k/share/jupyter /usr/bin/python3 -m unittest tests/kernel_test.py
(tests/kernel/kernel-test-py.test.ts does exactly this.)
"""
import os
import unittest

import jupyter_kernel_test


class LlmlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("LLMLAB_KERNEL_NAME", "llmlab")

    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("an error line")'

    completion_samples = [
        {"text": "Math.ab", "matches": {"abs"}},
        {"text": "const someLongName = 1; someLong", "matches": {"someLongName"}},
    ]

    complete_code_samples = ["1 + 1", "let x = 1;", "function f() { return 1; }", "const a = [1,\n 2];"]
    incomplete_code_samples = ["function f() {", "let xs = [1,", "if (true) {\n  console.log(1);"]
    invalid_code_samples = ["1 +* 2", "let x = ;", "function (x) { }"]

    code_page_something = "Math.max?"

    code_generate_error = 'throw new Error("deliberate")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'hi' + '!'", "result": "'hi!'"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
        {"code": "({ a: 1, b: 'two' })", "result": "{ a: 1, b: 'two' }"},
    ]

    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.markdown("*md*")', "mime": "text/markdown"},
        {"code": 'display.raw({"text/html": "<i>x</i>", "application/json": {"a": 1}})', "mime": "application/json"},
        {"code": 'display({ [Symbol.for("Jupyter.display")]: () => ({ "image/svg+xml": "<svg/>" }) })', "mime": "image/svg+xml"},
    ]

    code_history_pattern = "6 * 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "display.clearOutput({ wait: false })"


if __name__ == "__main__":
    unittest.main()
