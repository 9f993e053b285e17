/** Runs one bad-input case in process, exactly as the entry point handles the configuration step. */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, EXIT_INVALID_CONFIG, formatConfigError, loadEnvironments } from "../config/load";
import { readVars } from "./helpers";
import { writeFiles, type BadInputCase } from "./bad-input-cases";
import { tempDir } from "./run-dir";

/** Every file under `dir` with its bytes, to prove that a run wrote nothing. */
export function contentsOf(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p).toString("base64");
    }
  };
  walk(dir);
  return out;
}

/** The shipped environments, each complete (common.json merged in): a case's temp directory has no common.json unless it writes one. */
const SHIPPED = { dev: readVars("dev"), prod: readVars("prod") };

export interface Outcome {
  readonly status: number;
  readonly stderr: string;
  readonly dir: string;
  readonly varsDir: string;
  readonly unchanged: boolean;
}

/** Builds the case's vars directory in a new temp folder and loads it like main.ts does (ENVS, exit code, message). */
export function runCase(c: BadInputCase): Outcome {
  const dir = tempDir("bad-vars-");
  const dev = structuredClone(SHIPPED.dev);
  const prod = structuredClone(SHIPPED.prod);
  c.dev?.(dev);
  c.prod?.(prod);
  // prod.json only where the case is about more than one environment: a lone dev.json is parsed once.
  const withProd = c.prod !== undefined || (c.envs ?? []).some((e) => e !== "dev") || c.envs?.length === 0;
  writeFiles(dir, { "dev.json": dev, ...(withProd ? { "prod.json": prod } : {}), ...(c.files?.(dev, prod) ?? {}) });
  const before = contentsOf(dir);
  const varsDir = c.varsDir ? c.varsDir(dir) : dir;
  let status = 0;
  let stderr = "";
  try {
    loadEnvironments(varsDir, c.envs ?? ["dev"], "ENVS");
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    status = EXIT_INVALID_CONFIG;
    stderr = formatConfigError(e);
  }
  return { status, stderr, dir, varsDir, unchanged: JSON.stringify(contentsOf(dir)) === JSON.stringify(before) };
}

/** `{dev}`, `{prod}`, `{common}`, `{vars}` in an expected line, for this outcome's paths. */
export function placeholders(o: Outcome): Record<string, string> {
  const rel = path.relative(process.cwd(), o.varsDir) || ".";
  return { "{dev}": path.join(rel, "dev.json"), "{prod}": path.join(rel, "prod.json"), "{common}": path.join(rel, "common.json"), "{vars}": o.varsDir, "{rel}": rel };
}
