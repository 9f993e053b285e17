/**
 * Loads and validates `vars/<env>.json`. Every problem becomes one line naming the file, the JSON path,
 * what was expected and what was found; nothing is built from a file with problems.
 */
import * as fs from "fs";
import * as path from "path";
import type { z } from "zod";
import { varsSchema, type Vars } from "./schema";

/** Thrown when one or more vars files are invalid; `problems` holds one line per problem. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

export interface Environment {
  /** The file's base name: `dev` for `vars/dev.json`; stack ids end with it. */
  readonly name: string;
  readonly file: string;
  readonly vars: Vars;
}

/** Environment names become stack ids and file names. */
const ENV_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/**
 * Field names that hold secrets. A string under such a key does not belong in a vars file: secrets
 * enter as sensitive Terraform variables (`TF_VAR_*`) at deploy time.
 */
const SECRET_KEY = /(password|passwd|secret|token|private_?key|access_?key|api_?key|credential)s?$/i;

function describe(value: unknown): string {
  if (value === undefined) return "nothing (field missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(data: unknown, at: readonly PropertyKey[]): unknown {
  return at.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined), data);
}

function jsonPath(at: readonly PropertyKey[]): string {
  return at.length === 0 ? "(top level)" : at.map((k) => String(k)).join(".");
}

function expectation(issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith("expected")) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "array" ? `expected at least ${issue.minimum} item(s)` : `expected a value >= ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array" ? `expected at most ${issue.maximum} item(s)` : `expected a value <= ${issue.maximum}`;
    case "invalid_union":
      return "expected one of the documented shapes";
    default:
      return `expected ${issue.message}`;
  }
}

/** Secret-looking fields, found anywhere in the raw document, before schema validation. */
function secretProblems(file: string, data: unknown, at: PropertyKey[] = []): string[] {
  if (Array.isArray(data)) return data.flatMap((v, i) => secretProblems(file, v, [...at, i]));
  if (data === null || typeof data !== "object") return [];
  return Object.entries(data).flatMap(([key, value]) => {
    const here = [...at, key];
    if (SECRET_KEY.test(key) && typeof value === "string") {
      return [`${file}: ${jsonPath(here)}: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a value for a secret-looking field`];
    }
    return secretProblems(file, value, here);
  });
}

/** Validates an already-read document; `file` is used in messages only. */
export function parseVars(file: string, text: string): Vars {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([`${file}: (top level): expected valid JSON, found a syntax error: ${(e as Error).message}`]);
  }
  const secrets = secretProblems(file, data);
  if (secrets.length > 0) throw new ConfigError(secrets);

  const result = varsSchema.safeParse(data);
  if (result.success) return result.data;
  let issues = result.error.issues;
  const unknown = issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : []));
  if (unknown.length > 0) {
    // Unknown fields stop zod before the cross-field rules; validate again without them so that one run
    // reports every problem of the file.
    const rest = varsSchema.safeParse(withoutPaths(data, unknown));
    issues = [...issues.filter((i) => i.code !== "unrecognized_keys"), ...(rest.success ? [] : rest.error.issues)];
  }
  const seen = new Set<string>();
  const problems = [
    ...unknown.map((at) => `${file}: ${jsonPath(at)}: expected no such field (unknown field), found ${describe(valueAt(data, at))}`),
    ...issues.map((issue) => `${file}: ${jsonPath(issue.path)}: ${expectation(issue)}, found ${describe(valueAt(data, issue.path))}`),
  ].filter((p) => !seen.has(p) && seen.add(p));
  throw new ConfigError(problems);
}

/** A deep copy of `data` without the fields at `paths`. */
function withoutPaths(data: unknown, paths: readonly PropertyKey[][]): unknown {
  const copy = structuredClone(data);
  for (const at of paths) {
    const parent = valueAt(copy, at.slice(0, -1));
    if (parent !== null && typeof parent === "object") delete (parent as Record<PropertyKey, unknown>)[at[at.length - 1]];
  }
  return copy;
}

/** Names of the environments in `varsDir`, sorted. */
export function listEnvironments(varsDir: string): string[] {
  if (!fs.existsSync(varsDir)) throw new ConfigError([`${varsDir}: expected a directory of <env>.json files, found nothing`]);
  return fs
    .readdirSync(varsDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/**
 * Loads the named environments (all of `varsDir` when `names` is empty), collecting the problems of
 * every file before throwing one ConfigError.
 */
export function loadEnvironments(varsDir: string, names: readonly string[] = []): Environment[] {
  const available = listEnvironments(varsDir);
  const wanted = names.length > 0 ? names : available;
  const problems: string[] = [];
  const envs: Environment[] = [];
  for (const name of wanted) {
    const file = path.join(path.relative(process.cwd(), varsDir) || ".", `${name}.json`);
    if (!ENV_NAME.test(name)) {
      problems.push(`${file}: environment name: expected lowercase letters, digits or hyphens, found ${JSON.stringify(name)}`);
      continue;
    }
    if (!available.includes(name)) {
      problems.push(`${file}: expected a vars file for environment "${name}", found no such file (available: ${available.join(", ") || "none"})`);
      continue;
    }
    try {
      envs.push({ name, file, vars: parseVars(file, fs.readFileSync(path.join(varsDir, `${name}.json`), "utf8")) });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (envs.length === 0) throw new ConfigError([`${varsDir}: expected at least one <env>.json, found none`]);
  return envs;
}
