// Exercises of notebooks/07-fine-tuning.ipynb. Both ask for a count the fine-tuning report also
// gives (trainable parameters), predicted from the model's shapes before paying for a run.
import { frozenFilter, LoRA, LoRATarget } from "../../finetune";
import { GPT } from "../../model";
import { registerExercise } from "../check";
import { asFunction, fail, isVerdict, pass, show } from "../judge";

// Two small bases: untied and tied output weights, different widths, vocabularies and depths.
const BASES = [
  { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8, tieWeights: false },
  { vocabSize: 29, blockSize: 8, nLayer: 3, nHead: 2, nEmbd: 16, tieWeights: true },
];

function withBases<T>(f: (models: GPT[]) => T): T {
  const models = BASES.map((c, i) => new GPT(c, { seed: i }));
  try {
    return f(models);
  } finally {
    models.forEach((m) => m.dispose());
  }
}

const LORA_CASES: { targets: LoRATarget[]; rank: number }[] = [
  { targets: ["q", "v"], rank: 4 },
  { targets: ["v", "wte"], rank: 2 },
  { targets: ["q", "k", "v", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"], rank: 3 },
];

const loraReference = (model: GPT, targets: LoRATarget[], rank: number): number => {
  const lora = new LoRA(model, { rank, alpha: 2 * rank, targets });
  try {
    return lora.paramCount();
  } finally {
    lora.dispose();
  }
};

registerExercise({
  id: "07.1",
  title: "where to put the adapters: LoRA's trainable parameters",
  hint: "an adapter on a d_in × d_out matrix is A [d_in, r] plus B [r, d_out]: r·(d_in + d_out). q, k, v and attn.c_proj are C × C, mlp.c_fc is C × 4C, mlp.c_proj 4C × C (once per layer); wte is vocabSize × C, once.",
  check(answer) {
    const fn = asFunction(answer, "loraParams(model, targets, rank)");
    if (isVerdict(fn)) return fn;
    return withBases((models) => {
      for (const model of models) {
        const { nLayer, nEmbd: C, vocabSize } = model.config;
        for (const { targets, rank } of LORA_CASES) {
          const want = loraReference(model, targets, rank);
          const got = fn(model as never, targets as never, rank as never);
          const call = `loraParams(a GPT with nLayer ${nLayer}, nEmbd ${C}, vocabSize ${vocabSize}; ${show(targets)}, rank ${rank})`;
          if (typeof got !== "number" || !Number.isFinite(got))
            return fail(`${call} returned ${show(got)}, expected a number of parameters.`);
          if (got === want) continue;
          const wte = targets.includes("wte") ? rank * (vocabSize + C) : 0;
          const blocks = want - wte; // what the per-layer adapters add, in all layers
          if (got === blocks / nLayer + wte)
            return fail(
              `${call} gave ${got}, expected ${want}: the adapters are added in every one of the ${nLayer} layers.`,
            );
          const allSquare = targets.filter((t) => t !== "wte").length * nLayer * 2 * rank * C + wte;
          if (got === allSquare)
            return fail(
              `${call} gave ${got}, expected ${want}: not every matrix is C × C; the MLP's are C × 4C and 4C × C.`,
            );
          return fail(`${call} gave ${got}, expected ${want}.`);
        }
      }
      return pass(
        "your count matches the adapters LoRA builds: r·(d_in + d_out) per adapted matrix and layer, tiny next to d_in·d_out.",
      );
    });
  },
});

const FREEZES = [
  { embeddings: true, layers: 1 },
  { embeddings: false, layers: 2 },
  { embeddings: true, layers: 0 },
];

registerExercise({
  id: "07.2",
  title: "full fine-tuning with frozen layers: what is left to train",
  hint: "sum `v.size` over `model.params`, skipping wte and wpe when freeze.embeddings, and every `h.<l>.…` with l < freeze.layers; the final layer norm and lm_head stay trainable.",
  check(answer) {
    const fn = asFunction(answer, "trainableWhenFrozen(model, freeze)");
    if (isVerdict(fn)) return fn;
    return withBases((models) => {
      for (const model of models) {
        const all = model.paramCount();
        for (const freeze of FREEZES) {
          const want = Object.values(frozenFilter(model, freeze)).reduce((n, v) => n + v.size, 0);
          const got = fn(model as never, freeze as never);
          const call = `trainableWhenFrozen(a GPT of ${model.config.nLayer} layers and ${all} parameters, ${show(freeze)})`;
          if (typeof got !== "number" || !Number.isFinite(got))
            return fail(`${call} returned ${show(got)}, expected a number of parameters.`);
          if (got === want) continue;
          if (got === all - want)
            return fail(
              `${call} gave ${got}: that is the frozen count; the answer is the parameters still trained (${want}).`,
            );
          const wpe = model.params["wpe"]?.size ?? 0;
          if (freeze.embeddings && wpe && got === want + wpe)
            return fail(`${call} gave ${got}, expected ${want}: the position table wpe is an embedding too.`);
          return fail(`${call} gave ${got}, expected ${want} (of ${all}).`);
        }
      }
      return pass(
        "your count matches what the fine-tuner trains: freezing the embeddings and the first blocks leaves the upper blocks and the output.",
      );
    });
  },
});
