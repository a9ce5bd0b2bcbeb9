// Where the repository's datasets/ folder is, from src/ (ts-jest) or dist/src/ (compiled):
// walk up to the package.json named llmlab rather than counting "../".
import * as fs from "fs";
import * as path from "path";

export function datasetPath(...parts: string[]): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "llmlab") {
      return path.join(dir, "datasets", ...parts);
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`datasetPath: no llmlab package.json above ${__dirname}`);
    dir = up;
  }
}
