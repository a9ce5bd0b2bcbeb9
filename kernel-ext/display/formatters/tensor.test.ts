// The tensor formatter against statistics worked out by hand.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { builtinFormatters } from ".";
import { formatTensor, tensorStats } from "./tensor";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("tensor", () => {
  test("stats are min, max, mean and population std", () => {
    // mean 9/6 = 1.5; squared deviations sum to 17.5, so std = sqrt(17.5 / 6)
    const s = tensorStats([1, 2, 3, -1, 0, 4]);
    expect(s).toEqual({ min: -1, max: 4, mean: 1.5, std: Math.sqrt(17.5 / 6) });
    expect(tensorStats([])).toBeUndefined();
  });

  test("a tensor shows shape, dtype, stats and its values", () => {
    const t = tf.tensor2d([
      [1, 2, 3],
      [-1, 0, 4],
    ]);
    expect(formatTensor(t).data["text/plain"]).toBe(
      ["Tensor float32 [2, 3], 6 values", "min -1  max 4  mean 1.5  std 1.70783", "[[1 , 2, 3],", " [-1, 0, 4]]"].join(
        "\n",
      ),
    );
    const html = formatTensor(t).data["text/html"] as string;
    expect(html).toContain("<code>float32</code> shape <code>[2, 3]</code>");
    expect(html).toContain("<td>1.70783</td>");
  });

  test("large tensors show only the head and tail of their values; strings get no stats", () => {
    const plain = formatTensor(tf.range(0, 1000)).data["text/plain"] as string;
    expect(plain).toBe(
      [
        "Tensor float32 [1000], 1000 values",
        "min 0  max 999  mean 499.5  std 288.675",
        "[0, 1, 2, ..., 997, 998, 999]",
      ].join("\n"),
    );
    expect(formatTensor(tf.tensor(["a", "<b>"])).data["text/plain"]).toBe("Tensor string [2], 2 values\n['a', '<b>']");
    const gone = tf.scalar(1);
    gone.dispose();
    expect(formatTensor(gone).data["text/plain"]).toBe("Tensor float32 [] (disposed)");
  });

  test("the built-in list leaves other values alone", () => {
    for (const v of [1, "s", { a: 1 }, [1, 2], null])
      expect(builtinFormatters.map((f) => f(v)).find(Boolean)).toBeUndefined();
  });
});
