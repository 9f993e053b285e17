/**
 * `npm run migration-check`: proves the CDK Terrain migration of docs/migration-cdktn.md on a copy.
 *
 *  1. synthesizes this repository as it is (the "before");
 *  2. copies the repository's files (git ls-files: tracked and untracked-not-ignored) to a temporary
 *     directory and applies the migration there (scripts/lib/migration.ts): package.json, imports, the
 *     CLI name in scripts and tests, and the hashicorp/time bindings in .gen/providers/time;
 *  3. installs there (npm install: the provider packages are large, about a minute with a warm npm cache);
 *  4. runs the type-check (tsc --noEmit), the unit tests (vitest) and synth there;
 *  5. compares every synthesized stack with the "before" structurally and prints every difference with
 *     its kind. Passes when the only differences are provider versions (and the spelling of a provider
 *     source, and the tool version in the metadata); anything else fails.
 *
 * The time bindings: CDK Terrain publishes no provider-time package.
 *   --time-bindings vendor    (default) vendors the prebuilt `@cdktf/provider-time` of our node_modules into
 *                             the copy, made to load `cdktn`: offline, no Node 22, no provider mirror;
 *   --time-bindings generate  generates them as `cdktn get` does, with its library @cdktn/provider-generator
 *                             (runs on Node 20), from the hashicorp/time 0.13.1 schema read through
 *                             $TERRAFORM_BINARY_NAME: needs the registry or a provider mirror
 *                             (eval "$(scripts/toolchain.sh --print-env)").
 * Nothing is ever written to this repository.
 *
 * Usage: npm run migration-check [-- --keep] [-- --skip-tests] [-- --time-bindings vendor|generate]
 *   --keep        keep the temporary copy (its path is printed)
 *   --skip-tests  skip the unit tests in the copy (faster iteration; CI never uses it)
 * Exit codes: 0 provider versions only; 1 a step failed or a real difference; 2 usage.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import {
  CDKTN_CLI, CDKTN_CLI_MIN_NODE, CDKTN_GENERATOR, CDKTN_PACKAGES, GENERATE_TIME_BINDINGS_SCRIPT, TIME_PROVIDER_CONSTRAINT, MIGRATION_OWN_FILES, TIME_BINDINGS_DIR, compareStacks, formatDifference, migratePackageJson, migrateSource,
  retargetBinding, versionAtLeast, type Difference,
} from "./lib/migration";

const ROOT = path.resolve(__dirname, "..");
const started = Date.now();
const progress = (message: string) => console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${message}`);

class StepFailed extends Error {}

/** Runs a command with its output in a log file; on failure prints the log's tail and throws. */
function run(step: string, cwd: string, command: string, args: string[], logDir: string, env: NodeJS.ProcessEnv = {}, shown = `${command} ${args.join(" ")}`): void {
  const t0 = Date.now();
  progress(`${step}: ${shown}`);
  const log = path.join(logDir, `${step.replace(/[^a-z0-9]+/gi, "-")}.log`);
  const fd = fs.openSync(log, "w");
  const r = spawnSync(command, args, { cwd, stdio: ["ignore", fd, fd], env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env } });
  fs.closeSync(fd);
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  if (r.status !== 0) {
    const tail = fs.readFileSync(log, "utf8").split("\n").slice(-40).join("\n");
    throw new StepFailed(`${step} failed (exit ${r.status ?? r.signal}, ${seconds} s); last lines of ${log}:\n${tail}`);
  }
  progress(`${step}: done in ${seconds} s`);
}

/** Files of the repository as git sees them: tracked and untracked-not-ignored, existing. */
function repositoryFiles(): string[] {
  const r = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new StepFailed(`git ls-files failed: ${r.stderr.trim()}`);
  return r.stdout.split("\0").filter((f) => f && fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).isFile());
}

/** Copies the repository and applies the migration; returns the number of files changed. */
function copyAndMigrate(copy: string, extraDevDependencies: Readonly<Record<string, string>>): number {
  let changed = 0;
  for (const file of repositoryFiles()) {
    const target = path.join(copy, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), target);
    if (file === "package-lock.json" || MIGRATION_OWN_FILES.includes(file)) continue; // npm install rewrites the lock file
    if (file === "package.json") {
      fs.writeFileSync(target, `${JSON.stringify(migratePackageJson(JSON.parse(fs.readFileSync(target, "utf8")), extraDevDependencies), null, 2)}\n`);
      changed++;
    } else if (/\.(ts|js|sh)$/.test(file) || path.dirname(file) === ".ci") {
      const out = migrateSource(file, fs.readFileSync(target, "utf8"));
      if (out !== undefined) {
        fs.writeFileSync(target, out);
        changed++;
      }
    }
  }
  return changed;
}

/** Vendors the installed @cdktf/provider-time (lib/) into the copy's .gen/providers/time, loading cdktn. */
function vendorTimeBindings(copy: string): string {
  const pkgDir = path.join(ROOT, "node_modules", "@cdktf", "provider-time");
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { version: string; cdktf?: { provider?: { version?: string } } };
  const walk = (from: string, to: string) => {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      const src = path.join(from, entry.name);
      if (entry.isDirectory()) walk(src, path.join(to, entry.name));
      else if (/\.(js|d\.ts)$/.test(entry.name)) fs.writeFileSync(path.join(to, entry.name), retargetBinding(fs.readFileSync(src, "utf8")));
    }
  };
  walk(path.join(pkgDir, "lib"), path.join(copy, TIME_BINDINGS_DIR));
  return `@cdktf/provider-time ${pkg.version} (hashicorp/time ${pkg.cdktf?.provider?.version ?? "?"})`;
}

/** Synthesizes with the repository's own entry point into `outdir`; returns stack name -> parsed JSON. */
function synth(step: string, cwd: string, outdir: string, logDir: string): Record<string, unknown> {
  run(step, cwd, path.join(cwd, "node_modules", ".bin", "tsx"), ["main.ts", "--quiet"], logDir, { CDKTF_OUTDIR: outdir });
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.fromEntries(
    Object.entries(manifest.stacks).map(([name, s]) => [name, JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8"))]),
  );
}

function main(): number {
  const usage = "Usage: npm run migration-check [-- --keep] [-- --skip-tests] [-- --time-bindings vendor|generate]";
  let options: { keep: boolean; skipTests: boolean; generate: boolean };
  try {
    const { values } = parseArgs({ options: { keep: { type: "boolean" }, "skip-tests": { type: "boolean" }, "time-bindings": { type: "string" } }, strict: true });
    const mode = values["time-bindings"] ?? "vendor";
    if (mode !== "vendor" && mode !== "generate") throw new Error(`--time-bindings: expected "vendor" or "generate", found ${JSON.stringify(mode)}`);
    options = { keep: values.keep ?? false, skipTests: values["skip-tests"] ?? false, generate: mode === "generate" };
  } catch (e) {
    console.error(`migration-check: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "migration-check-"));
  const copy = path.join(work, "repo");
  const logs = path.join(work, "logs");
  fs.mkdirSync(logs);
  let failed = true;
  try {
    progress(`CDK Terrain migration check: ${Object.entries({ ...CDKTN_PACKAGES, ...CDKTN_CLI }).map(([n, v]) => `${n} ${v}`).join(", ")}; Node ${process.versions.node}`);
    const before = synth("synth (cdktf, this repository)", ROOT, path.join(work, "before"), logs);

    progress(`copy (git ls-files) and migrate: ${copy}`);
    const changed = copyAndMigrate(copy, options.generate ? CDKTN_GENERATOR : {});
    if (options.generate) progress(`  ${changed} files changed; time bindings: generated after the install`);
    else progress(`  ${changed} files changed; time bindings: vendored ${vendorTimeBindings(copy)} into ${TIME_BINDINGS_DIR}`);

    run("npm install (cdktn and the provider packages: large)", copy, "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], logs);
    if (options.generate) {
      const binary = process.env.TERRAFORM_BINARY_NAME || "terraform";
      progress(`time bindings: generating with @cdktn/provider-generator through ${binary} (TF_CLI_CONFIG_FILE=${process.env.TF_CLI_CONFIG_FILE ?? "(unset: the registry)"})`);
      const outdir = path.dirname(path.dirname(TIME_BINDINGS_DIR));
      run("generate time bindings", copy, process.execPath, ["-e", GENERATE_TIME_BINDINGS_SCRIPT, outdir], logs, {}, `node -e <ConstructsMaker(...).generate([${TIME_PROVIDER_CONSTRAINT}])> ${outdir}`);
      if (!fs.existsSync(path.join(copy, TIME_BINDINGS_DIR, "rotating", "index.ts"))) throw new StepFailed(`the generator wrote no ${TIME_BINDINGS_DIR}/rotating/index.ts`);
    }
    run("type-check", copy, process.execPath, [path.join(copy, "node_modules", "typescript-native", "bin", "tsc"), "--noEmit"], logs);
    if (options.skipTests) progress("unit tests: SKIPPED (--skip-tests)");
    else run("unit tests (vitest)", copy, path.join(copy, "node_modules", ".bin", "vitest"), ["run", "--silent"], logs);
    const after = synth("synth (cdktn, migrated copy)", copy, path.join(work, "after"), logs);
    if (versionAtLeast(process.versions.node, CDKTN_CLI_MIN_NODE)) {
      run("cdktn synth (CLI)", copy, "npx", ["cdktn", "synth"], logs);
    } else {
      progress(`cdktn CLI: not run (Node ${process.versions.node} < ${CDKTN_CLI_MIN_NODE}, cdktn-cli's engines; it fails at start-up on Node 20). The library ran above.`);
    }

    const differences: Difference[] = [];
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const name of names) {
      if (!(name in after)) differences.push({ stack: name, path: "(stack)", before: "synthesized", after: undefined, kind: "other" });
      else if (!(name in before)) differences.push({ stack: name, path: "(stack)", before: undefined, after: "synthesized", kind: "other" });
      else differences.push(...compareStacks(name, before[name], after[name]));
    }
    progress(`compare ${names.length} stacks: ${differences.length} differences`);
    for (const d of differences) console.log(`  ${formatDifference(d)}`);
    const real = differences.filter((d) => d.kind === "other");
    const kinds = [...new Set(differences.map((d) => d.kind))].sort();
    if (real.length > 0) {
      console.log(`migration-check: FAIL: ${real.length} difference(s) beyond provider versions (listed above as "other")`);
      return 1;
    }
    failed = false;
    console.log(`migration-check: PASS: provider versions only (${differences.length} differences: ${kinds.join(", ") || "none"}) in ${Math.round((Date.now() - started) / 1000)} s`);
    return 0;
  } catch (e) {
    if (!(e instanceof StepFailed)) throw e;
    console.log(`migration-check: FAIL: ${e.message}`);
    return 1;
  } finally {
    if (options.keep || failed) {
      console.log(`migration-check: kept ${work} (copy, logs)`);
    } else {
      progress("removing the temporary copy");
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}

process.exitCode = main();
