import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./helpers";

const SOURCE_DIRS = ["config", "constructs", "stacks", "scripts", "ops", "examples", "__tests__"];

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "fixtures" ? [] : tsFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

const files = [path.join(REPO_ROOT, "main.ts"), ...SOURCE_DIRS.flatMap((d) => tsFiles(path.join(REPO_ROOT, d)))];

test("provider packages are imported deeply (the barrel costs seconds per synth)", () => {
  expect(files.length).toBeGreaterThan(5);
  const barrel = /from\s+["']@cdktf\/provider-(aws|databricks|time)["']/;
  expect(files.filter((f) => barrel.test(fs.readFileSync(f, "utf8"))).map((f) => path.relative(REPO_ROOT, f))).toEqual([]);
});

test("constructs never import the stacks or the config loader (they are reusable library pieces)", () => {
  const constructFiles = files.filter((f) => f.includes(`${path.sep}constructs${path.sep}`));
  expect(constructFiles.length).toBeGreaterThan(0);
  const offenders = constructFiles.filter((f) => /from\s+["'](\.\.\/)+(stacks|config)\//.test(fs.readFileSync(f, "utf8")));
  expect(offenders.map((f) => path.relative(REPO_ROOT, f))).toEqual([]);
});

test("a test file that mocks part of the build synthesizes fresh, never from the run's shared synth cache", () => {
  const testFiles = files.filter((f) => f.endsWith(".test.ts"));
  // Mocking the CLI's synth (synth-memo.ts) is a memo of the same build, not a change of it.
  const changesBuild = (text: string) =>
    [...text.matchAll(/jest\.(?:mock|doMock)\(\s*["']([^"']+)["']/g)].some((m) => m[1] !== "../ops/synth") || /jest\.(?:spyOn|replaceProperty)\(/.test(text);
  const offenders = testFiles.filter((f) => {
    const text = fs.readFileSync(f, "utf8");
    return changesBuild(text) && /\bsynthEnvs\(/.test(text);
  });
  expect(testFiles.filter((f) => changesBuild(fs.readFileSync(f, "utf8"))).length).toBeGreaterThan(0);
  expect(offenders.map((f) => path.relative(REPO_ROOT, f))).toEqual([]);
});
