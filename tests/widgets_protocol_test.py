"""The widget protocol (2.1.0) against the llmlab kernel, with jupyter_client as the frontend.

Run with the kernelspec on JUPYTER_PATH, e.g.
    node dist/cli/llmlab.js kernel install --prefix /tmp/k
    JUPYTER_PATH=/tmp/k/share/jupyter /usr/bin/python3 -m unittest tests/widgets_protocol_test.py
(tests/kernel/widgets.test.ts does exactly this.) States are checked against the published
model specification in @jupyter-widgets/schema (jupyterwidgetmodels.latest.json).
"""
import json
import os
import queue
import time
import unittest

from jupyter_client.manager import start_new_kernel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(ROOT, "node_modules/@jupyter-widgets/schema/jupyterwidgetmodels.latest.json")) as f:
    SPEC = {m["model"]["name"]: m for m in json.load(f)}
VIEW_MIME = "application/vnd.jupyter.widget-view+json"


class WidgetProtocolTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=os.environ.get("LLMLAB_KERNEL_NAME", "llmlab"), startup_timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    # ---- a frontend's side of the conversation

    def iopub_until_idle(self, msg_id, timeout=30):
        """Every IOPub message caused by msg_id, up to its idle status."""
        got, deadline = [], time.time() + timeout
        while time.time() < deadline:
            try:
                m = self.kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return got
            got.append(m)
        self.fail(f"no idle status for {msg_id} within {timeout} s")

    def reply_to(self, msg_id, timeout=60):
        while True:
            reply = self.kc.get_shell_msg(timeout=timeout)
            # start_new_kernel leaves kernel_info replies behind; skip to ours.
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def run_cell(self, code):
        msg_id = self.kc.execute(code)
        reply = self.reply_to(msg_id)
        msgs = self.iopub_until_idle(msg_id)
        self.assertEqual(reply["content"]["status"], "ok", msg=str(reply["content"]) + str([m["content"] for m in msgs if m["msg_type"] == "stream"]))
        return msgs

    def value_of(self, expr):
        msgs = self.run_cell(f'display.raw("application/json", {expr});')
        return [m for m in msgs if m["msg_type"] == "display_data"][0]["content"]["data"]["application/json"]

    def send_comm(self, msg_type, content, buffers=None):
        msg = self.kc.session.msg(msg_type, content)
        self.kc.session.send(self.kc.shell_channel.socket, msg, buffers=buffers or [])
        return msg["header"]["msg_id"]

    @staticmethod
    def opened(msgs):
        """model name -> (comm_open message), for the widget comms the messages open."""
        return {m["content"]["data"]["state"]["_model_name"]: m for m in msgs if m["msg_type"] == "comm_open"}

    def assert_complete(self, state, model):
        """Every attribute of the model's specification, with the spec's default unless given."""
        spec = SPEC[model]
        names = {a["name"] for a in spec["attributes"]}
        self.assertEqual(set(state), names, msg=model)
        self.assertEqual(state["_model_module_version"], spec["model"]["version"])
        self.assertEqual(state["_view_name"], spec["view"]["name"])

    # ---- the tests

    def test_open_display_update_echo_request_state(self):
        msgs = self.run_cell(
            'const s = widgets.floatSlider({ min: 0, max: 2, step: 0.05, value: 0.8, description: "temperature" });\n'
            "const seen: number[] = [];\n"
            "s.observe(({ new: v }) => { seen.push(v); });\n"
            "display(s);"
        )
        opened = self.opened(msgs)
        self.assertEqual(set(opened), {"LayoutModel", "SliderStyleModel", "FloatSliderModel"})
        slider = opened["FloatSliderModel"]
        self.assertEqual(slider["content"]["target_name"], "jupyter.widget")
        self.assertEqual(slider["metadata"], {"version": "2.1.0"})
        state = slider["content"]["data"]["state"]
        for name, m in opened.items():
            self.assert_complete(m["content"]["data"]["state"], name)
        self.assertEqual(state["layout"], "IPY_MODEL_" + opened["LayoutModel"]["content"]["comm_id"])
        self.assertEqual(state["style"], "IPY_MODEL_" + opened["SliderStyleModel"]["content"]["comm_id"])
        self.assertEqual((state["value"], state["min"], state["max"], state["step"], state["description"]), (0.8, 0, 2, 0.05, "temperature"))
        self.assertEqual(state["readout_format"], ".2f")  # a spec default
        comm_id = slider["content"]["comm_id"]
        # Children are opened before the model that refers to them.
        order = [m["content"]["comm_id"] for m in msgs if m["msg_type"] == "comm_open"]
        self.assertEqual(order[-1], comm_id)
        shown = [m for m in msgs if m["msg_type"] == "display_data"][0]["content"]["data"]
        self.assertEqual(shown[VIEW_MIME], {"version_major": 2, "version_minor": 0, "model_id": comm_id})

        # The frontend moves the slider: the kernel echoes it to every frontend, observers run.
        update = self.send_comm("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": {"value": 1.25}, "buffer_paths": []}})
        echoed = [m for m in self.iopub_until_idle(update) if m["msg_type"] == "comm_msg"]
        self.assertEqual([m["content"]["data"] for m in echoed], [{"method": "echo_update", "state": {"value": 1.25}, "buffer_paths": []}])
        self.assertEqual(self.value_of("[s.value, seen]"), [1.25, [1.25]])

        # The kernel sets the value: an update with that key only.
        msgs = self.run_cell("s.value = 0.5;")
        updates = [m["content"]["data"] for m in msgs if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id]
        self.assertEqual(updates, [{"method": "update", "state": {"value": 0.5}, "buffer_paths": []}])

        # request_state: the whole state back as an update.
        req = self.send_comm("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
        full = [m["content"]["data"] for m in self.iopub_until_idle(req) if m["msg_type"] == "comm_msg"]
        self.assertEqual(len(full), 1)
        self.assertEqual(full[0]["method"], "update")
        self.assert_complete(full[0]["state"], "FloatSliderModel")
        self.assertEqual(full[0]["state"]["value"], 0.5)

        # comm_info lists the widget comms (the fallback when a frontend has no control comm).
        asked = self.kc.comm_info(target_name="jupyter.widget")
        reply = self.reply_to(asked)
        info = reply["content"]["comms"]
        self.assertIn(comm_id, info)
        self.assertEqual(info[comm_id], {"target_name": "jupyter.widget"})

    def test_binary_buffers_both_ways_and_control_comm_restore(self):
        msgs = self.run_cell("const img = widgets.image({ value: new Uint8Array([1, 2, 3, 255]), format: \"png\" });")
        opened = self.opened(msgs)["ImageModel"]
        self.assertEqual(opened["content"]["data"]["buffer_paths"], [["value"]])
        self.assertNotIn("value", opened["content"]["data"]["state"])
        self.assertEqual([bytes(b) for b in opened["buffers"]], [b"\x01\x02\x03\xff"])
        img_id = opened["content"]["comm_id"]

        # A buffer from the frontend lands in the state as bytes.
        up = self.send_comm("comm_msg", {"comm_id": img_id, "data": {"method": "update", "state": {}, "buffer_paths": [["value"]]}}, buffers=[b"\x09\x08"])
        echo = [m for m in self.iopub_until_idle(up) if m["msg_type"] == "comm_msg"][0]
        self.assertEqual(echo["content"]["data"]["buffer_paths"], [["value"]])
        self.assertEqual([bytes(b) for b in echo["buffers"]], [b"\x09\x08"])
        self.assertEqual(self.value_of("Array.from(img.value)"), [9, 8])

        # A page reload: the frontend opens the control comm and asks for every state at once.
        self.run_cell('const level = widgets.intSlider({ min: 0, max: 10, value: 7, description: "level" });')
        ctl = "ctl-" + str(time.time())
        self.iopub_until_idle(self.send_comm("comm_open", {"comm_id": ctl, "target_name": "jupyter.widget.control", "data": {}}))
        req = self.send_comm("comm_msg", {"comm_id": ctl, "data": {"method": "request_states"}})
        reply = [m for m in self.iopub_until_idle(req) if m["msg_type"] == "comm_msg"][0]
        data = reply["content"]["data"]
        self.assertEqual(data["method"], "update_states")
        states = data["states"]
        sliders = [s for s in states.values() if s["model_name"] == "IntSliderModel" and s["state"]["description"] == "level"]
        self.assertEqual(len(sliders), 1)
        self.assertEqual(sliders[0]["model_module"], "@jupyter-widgets/controls")
        self.assertEqual(sliders[0]["model_module_version"], "2.0.0")
        self.assertEqual(sliders[0]["state"]["value"], 7)
        self.assert_complete(sliders[0]["state"], "IntSliderModel")
        # The image's bytes travel as a buffer at [model id, "state", "value"].
        at = data["buffer_paths"].index([img_id, "state", "value"])
        self.assertEqual(bytes(reply["buffers"][at]), b"\x09\x08")
        self.assertNotIn("value", states[img_id]["state"])

    def test_interact_reruns_into_an_output(self):
        msgs = self.run_cell(
            "const ui = interact(({ temperature, topK }) => { console.log(`t=${temperature}`); return `k=${topK}`; },"
            " { temperature: [0, 2, 0.05], topK: [1, 65] });"
        )
        opened = self.opened(msgs)
        self.assertEqual(opened["FloatSliderModel"]["content"]["data"]["state"]["value"], 1)  # the middle, as ipywidgets
        self.assertEqual(opened["IntSliderModel"]["content"]["data"]["state"]["value"], 33)
        self.assertEqual(opened["IntSliderModel"]["content"]["data"]["state"]["description"], "topK")
        box = opened["VBoxModel"]["content"]["data"]["state"]
        out_id = opened["OutputModel"]["content"]["comm_id"]
        self.assertEqual(box["children"][-1], "IPY_MODEL_" + out_id)
        shown = [m for m in msgs if m["msg_type"] == "display_data"]
        self.assertEqual(shown[0]["content"]["data"][VIEW_MIME]["model_id"], opened["VBoxModel"]["content"]["comm_id"])
        self.assertEqual(self.value_of("ui.output.outputs"), [
            {"output_type": "stream", "name": "stdout", "text": "t=1\n"},
            {"output_type": "display_data", "data": {"text/plain": "'k=33'"}, "metadata": {}},
        ])

        temp = opened["FloatSliderModel"]["content"]["comm_id"]
        up = self.send_comm("comm_msg", {"comm_id": temp, "data": {"method": "update", "state": {"value": 0.35}, "buffer_paths": []}})
        after = self.iopub_until_idle(up)
        outs = [m["content"]["data"]["state"]["outputs"] for m in after if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == out_id]
        self.assertEqual(outs[-1], [
            {"output_type": "stream", "name": "stdout", "text": "t=0.35\n"},
            {"output_type": "display_data", "data": {"text/plain": "'k=33'"}, "metadata": {}},
        ])
        # Nothing leaked into the frontend's own output area.
        self.assertEqual([m for m in after if m["msg_type"] in ("stream", "display_data")], [])

    def test_button_click_and_dropdown_index(self):
        msgs = self.run_cell(
            "let clicks = 0;\n"
            'const b = widgets.button({ description: "sample" });\n'
            "b.onClick(() => { clicks++; });\n"
            'const d = widgets.dropdown({ options: [["small", 16], ["large", 64]], value: 64, description: "size" });'
        )
        opened = self.opened(msgs)
        self.assert_complete(opened["ButtonModel"]["content"]["data"]["state"], "ButtonModel")
        self.assert_complete(opened["ButtonStyleModel"]["content"]["data"]["state"], "ButtonStyleModel")
        dd = opened["DropdownModel"]["content"]["data"]["state"]
        self.assertEqual((dd["_options_labels"], dd["index"]), (["small", "large"], 1))
        click = self.send_comm("comm_msg", {"comm_id": opened["ButtonModel"]["content"]["comm_id"], "data": {"method": "custom", "content": {"event": "click"}}})
        self.iopub_until_idle(click)
        pick = self.send_comm("comm_msg", {"comm_id": opened["DropdownModel"]["content"]["comm_id"], "data": {"method": "update", "state": {"index": 0}, "buffer_paths": []}})
        self.iopub_until_idle(pick)
        self.assertEqual(self.value_of("[clicks, d.value, d.label]"), [1, 16, "small"])


if __name__ == "__main__":
    unittest.main()
