// The recurrent baseline for notebook 04: embedding -> LSTM (Hochreiter & Schmidhuber 1997)
// -> linear, a character language model from @tensorflow/tfjs-layers. It reads a sequence
// one step after another, which is what the transformer's parallel training is compared to.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { crossEntropy } from "./layers";

export interface CharLSTMConfig {
  vocabSize: number;
  nEmbd: number;
  units: number;
  seed?: number;
}

export class CharLSTM {
  readonly config: CharLSTMConfig;
  readonly net: tfl.Sequential;

  constructor(config: CharLSTMConfig) {
    for (const k of ["vocabSize", "nEmbd", "units"] as const) {
      if (!Number.isInteger(config[k]) || config[k] < 1)
        throw new Error(`CharLSTM: ${k} must be a positive integer, got ${config[k]}`);
    }
    this.config = config;
    const seed = config.seed ?? 0;
    this.net = tfl.sequential({
      layers: [
        tfl.layers.embedding({
          inputDim: config.vocabSize,
          outputDim: config.nEmbd,
          inputShape: [null],
          embeddingsInitializer: tfl.initializers.randomNormal({ stddev: 0.02, seed }),
        }),
        tfl.layers.lstm({
          units: config.units,
          returnSequences: true,
          kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
          recurrentInitializer: tfl.initializers.glorotUniform({
            seed: seed + 2,
          }) /* orthogonal needs tfjs chained ops, absent from the CommonJS core bundle */,
        }),
        tfl.layers.dense({
          units: config.vocabSize,
          kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 3 }),
        }),
      ],
    });
  }

  /** idx [B, T] -> logits [B, T, vocabSize]. */
  forward(idx: tf.Tensor2D, training = false): tf.Tensor3D {
    return this.net.apply(tf.cast(idx, "float32"), { training }) as tf.Tensor3D;
  }

  loss(idx: tf.Tensor2D, targets: tf.Tensor2D, training = false): tf.Scalar {
    return tf.tidy(() => {
      const logits = this.forward(idx, training);
      const [B, T, V] = logits.shape;
      return crossEntropy(tf.reshape(logits, [B * T, V]), tf.reshape(targets, [B * T]));
    });
  }

  /** The underlying tf.Variables (tfjs-layers wraps each in a LayerVariable). */
  get variables(): tf.Variable[] {
    // LayerVariable.read() is typed as Tensor but returns the tf.Variable it holds.
    return this.net.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  paramCount(): number {
    return this.net.countParams();
  }

  dispose(): void {
    this.net.dispose();
  }
}
