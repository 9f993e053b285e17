import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT } from "./helpers";
import { runDir } from "./run-dir";

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

test("no test file mocks a module: the runner shares modules between files and has no module mocks (vitest.config.mts)", () => {
  // vi.mock fails there ("Vitest mocker was not initialized"), and jest's API is not there at all: a changed
  // build goes through loadWithReplacedModule (helpers.ts), and the CLI's synth is handed in as its
  // context's synthesizer (synth-memo.ts).
  const moduleMock = /\bvi\.(?:mock|doMock|unmock|doUnmock|hoisted|importMock|resetModules)\(|\bjest\./;
  const offenders = files.filter((f) => f !== __filename && moduleMock.test(fs.readFileSync(f, "utf8").replace(/^\s*(?:\/\/|\*).*$/gm, "")));
  expect(offenders.map((f) => path.relative(REPO_ROOT, f))).toEqual([]);
  expect(moduleMock.test('vi.mock("../ops/synth", () => ({}));')).toBe(true);
});

test("tests make their temporary directories in the run's scratch directory, removed when the run ends (run-dir.ts)", () => {
  // A directory made in the system's temp directory outlives the run: a few hundred per run, most from
  // cdktf's Testing.app() and Testing.synthScope (helpers.ts has testApp and synthScope for those).
  expect(runDir()).toBeDefined();
  const tempOutsideRun = /\bos\.tmpdir\(\)\s*,|\bTesting\.(?:app\(\s*\)|synthScope\(|fullSynth\()/;
  const own = [path.join(__dirname, "run-dir.ts"), __filename];
  const testFiles = files.filter((f) => f.startsWith(__dirname + path.sep) && !own.includes(f));
  const offenders = testFiles.filter((f) => tempOutsideRun.test(fs.readFileSync(f, "utf8").replace(/^\s*(?:\/\/|\*).*$/gm, "")));
  expect(offenders.map((f) => path.relative(REPO_ROOT, f))).toEqual([]);
  expect(tempOutsideRun.test('fs.mkdtempSync(path.join(os.tmpdir(), "x-"))')).toBe(true);
  expect(tempOutsideRun.test("new TerraformStack(Testing.app(), \"s\")")).toBe(true);
  expect(tempOutsideRun.test("Testing.app({ outdir: tempDir(\"x-\") })")).toBe(false);
});

/**
 * The modules a TypeScript file loads when it runs: its imports and re-exports that are not type-only
 * (`import type`, `export type`, or every named binding marked `type`: the compiler erases those), and its
 * `require("...")` and `import("...")` calls. `typeof import("...")` is a type and is not counted.
 */
function runtimeImports(fileName: string, text: string): string[] {
  const specifiers: string[] = [];
  const allTypes = (elements: readonly { readonly isTypeOnly: boolean }[]) => elements.length > 0 && elements.every((e) => e.isTypeOnly);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (!clause.name && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && allTypes(clause.namedBindings.elements)));
      if (!typeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && allTypes(node.exportClause.elements));
      if (!typeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false));
  return specifiers;
}

/** The .ts file a relative specifier names (`x.ts` or `x/index.ts`); undefined for other files (JSON). */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const found = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (found) return found;
  if (fs.existsSync(base) && fs.statSync(base).isFile()) return undefined;
  throw new Error(`${path.relative(REPO_ROOT, from)}: cannot resolve import ${JSON.stringify(specifier)}`);
}

test("the import walker counts value imports and re-exports, not type-only ones", () => {
  const text = [
    'import type { App } from "heavy-lib";',
    'import { type Fn, type Token } from "heavy-lib";',
    'export type { Construct } from "constructs";',
    'import { Token as T, type ITerraformDependable } from "heavy-lib";',
    'import {\n  Job,\n  type JobTask,\n} from "@cdktf/provider-databricks/lib/job";',
    'export * from "./grants";',
    'export { UC_NAME } from "./defaults";',
    'import "./side-effect";',
    'type Cli = typeof import("./cli");',
    'const lazy = () => require("./lazy");',
  ].join("\n");
  // "heavy-lib", not cdktf: the CDK Terrain migration (scripts/migration-check.ts) rewrites cdktf imports in source text.
  expect(runtimeImports("sample.ts", text)).toEqual(["heavy-lib", "@cdktf/provider-databricks/lib/job", "./grants", "./defaults", "./side-effect", "./lazy"]);
});

test("the config loader and the ops CLI's vars and API modules load neither cdktf, constructs nor provider bindings", () => {
  // Reading vars (main.ts, the ops CLI, most tests) and calling the Databricks API must stay fast: constants
  // and rules they need live in constructs/<folder>/defaults.ts (or other binding-free modules), never in a file
  // that defines constructs. Checked transitively.
  // cdktn: the same packages after the CDK Terrain migration (docs/migration-cdktn.md).
  const heavy = /^(cdktf|cdktn|constructs)(\/|$)|^@(cdktf|cdktn)\/provider-/;
  const configDir = path.join(REPO_ROOT, "config");
  const roots = [
    ...fs.readdirSync(configDir).filter((f) => f.endsWith(".ts")).map((f) => path.join(configDir, f)),
    path.join(REPO_ROOT, "ops", "environment.ts"),
    path.join(REPO_ROOT, "ops", "databricks-api.ts"),
  ];
  const via = new Map<string, string>(roots.map((f) => [f, path.relative(REPO_ROOT, f)]));
  const queue = [...roots];
  const offenders: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of runtimeImports(file, fs.readFileSync(file, "utf8"))) {
      if (heavy.test(specifier)) offenders.push(`${via.get(file)} imports ${specifier}`);
      if (!specifier.startsWith(".")) continue;
      const target = resolveRelative(file, specifier);
      if (target && !via.has(target)) {
        via.set(target, `${via.get(file)} -> ${path.relative(REPO_ROOT, target)}`);
        queue.push(target);
      }
    }
  }
  // The walk follows imports out of config/ (load.ts reads the secret patterns of constructs/security).
  expect([...via.keys()]).toContain(path.join(REPO_ROOT, "constructs", "security", "secret-patterns.ts"));
  expect(offenders).toEqual([]);
});
