// Placeholder until the backend chooser lands (issue 4): the 'cpu' backend only.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";

export interface BackendChoice {
  name: string;
  reason: string;
}

export async function initBackend(): Promise<BackendChoice> {
  await tf.setBackend("cpu");
  await tf.ready();
  return { name: "cpu", reason: "placeholder chooser" };
}
