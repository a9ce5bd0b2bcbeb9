// A notebook outside the checkout: packages its own folder does not have resolve from the
// kernel's installation, for the type-checker and at run time; its own folder still wins. Its
// own .ts modules are type-checked and run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { launchedKernel } from "./launched";

// The notebook's folder has its own "seedrandom" (which the kernel's installation has too).
const dir = mkdtempSync(join(tmpdir(), "llmlab-elsewhere-"));
const local = join(dir, "node_modules", "seedrandom");
mkdirSync(local, { recursive: true });
writeFileSync(
  join(local, "package.json"),
  JSON.stringify({ name: "seedrandom", version: "0.0.0-local", main: "index.js", types: "index.d.ts" }),
);
writeFileSync(join(local, "index.js"), 'module.exports = { where: "the notebook\'s folder" };');
writeFileSync(join(local, "index.d.ts"), "export declare const where: string;");

const kernel = launchedKernel({ cwd: dir });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(code: string): Promise<{ status: string; evalue?: string; text?: string }> {
  const { reply, outputs } = await kernel.k.execute(code, {}, 60000);
  const c = reply.content as { status: string; evalue?: string };
  const result = outputs.find((m) => m.header.msg_type === "execute_result");
  return {
    status: c.status,
    evalue: c.evalue,
    text: (result?.content as { data?: Record<string, string> } | undefined)?.data?.["text/plain"],
  };
}

test("a package with its own types (tfjs-core) type-checks and runs", async () => {
  expect(
    await run('import * as tf from "@tensorflow/tfjs-core";\nconst v: string = tf.version_core;\nv'),
  ).toMatchObject({ status: "ok", text: "'4.22.0'" });
});

test("a package typed by @types (papaparse) type-checks against its types", async () => {
  expect(await run('import Papa from "papaparse";\nPapa.parse<string[]>("a,b\\n1,2").data[1][1]')).toMatchObject({
    status: "ok",
    text: "'2'",
  });
  // The types are really there: a wrong use is a type error, not `any`.
  expect((await run('import Papa2 from "papaparse";\nconst n: number = Papa2.parse("a").data;')).evalue).toMatch(
    /TS2322|not assignable/,
  );
});

test("the notebook's own folder wins where it has the package", async () => {
  expect(await run('import { where } from "seedrandom";\nwhere')).toMatchObject({
    status: "ok",
    text: '"the notebook\'s folder"',
  });
});

test("a package neither has is still a clear TS2307", async () => {
  expect((await run('import * as nope from "no-such-package-anywhere";')).evalue).toMatch(
    /Cannot find module 'no-such-package-anywhere'/,
  );
});

test("the notebook's own .ts modules import each other and packages, and run", async () => {
  writeFileSync(join(dir, "constants.ts"), "export const base: number = 40;");
  writeFileSync(
    join(dir, "helpers.ts"),
    'import { base } from "./constants";\nimport { where } from "seedrandom";\nexport const answer = (n: number): string => `${base + n} from ${where}`;',
  );
  expect(await run('import { answer } from "./helpers";\nanswer(2)')).toMatchObject({
    status: "ok",
    text: '"42 from the notebook\'s folder"',
  });
  // Type-checked as the cell's own code is.
  expect((await run('import { answer as a2 } from "./helpers";\nconst s: number = a2(1);')).evalue).toMatch(
    /'string' is not assignable to type 'number'/,
  );
});

test("a module of the notebook's own created after a failed import is found by the next cell", async () => {
  expect((await run('import { later } from "./later";')).evalue).toMatch(/Cannot find module '.\/later'/);
  writeFileSync(join(dir, "later.ts"), 'export const later = "written after the first try";');
  expect(await run('import { later } from "./later";\nlater')).toMatchObject({
    status: "ok",
    text: "'written after the first try'",
  });
});
