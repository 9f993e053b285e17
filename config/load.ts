/**
 * Loads and validates `vars/<env>.json`. Every problem becomes one line naming the file, the JSON path,
 * what was expected and what was found; nothing is built from a file with problems. No line ever shows
 * the value of a secret-looking field, of a connection option or of a property, nor a value shaped like a
 * credential: it says what is wrong with it instead.
 *
 * Order of the checks, each stopping the file when it fails: the file can be read; it is UTF-8 text
 * without a byte-order mark; it is JSON; it is at most {@link MAX_DEPTH} levels deep and holds no secret;
 * it matches the schema (config/schema.ts). Then the environments are checked against each other
 * ({@link crossEnvironmentProblems}).
 */
import * as fs from "fs";
import * as path from "path";
import type { z } from "zod";
import { parse as parseJsonc, printParseErrorCode, visit, type ParseError } from "jsonc-parser";
import { isSecretLikeKey, SECRET_FIELD_NAME, secretShapeOf } from "../constructs/security/secret-patterns";
import { connectionTypeSpec, unknownConnectionFieldExpectation } from "../constructs/connections/rules";
import { CONNECTION_ENTRY_FIELDS, connectionVariableName } from "./connections";
import { varsSchema, type Vars } from "./schema";

/** Thrown when one or more vars files are invalid; `problems` holds one line per problem. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** The exit code of the entry point and the scripts for an invalid configuration. */
export const EXIT_INVALID_CONFIG = 1;

/** What the entry point prints for a {@link ConfigError}: a heading and one indented line per problem. */
export function formatConfigError(e: ConfigError): string {
  return `Invalid configuration:\n${e.problems.map((p) => `  ${p}`).join("\n")}\n`;
}

export interface Environment {
  /** The file's base name: `dev` for `vars/dev.json`; stack ids end with it. */
  readonly name: string;
  readonly file: string;
  readonly vars: Vars;
}

/** Environment names become stack ids and file names. */
export const ENV_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** The JSON Schema of the vars files lives beside them under this name; it is not an environment. */
export const SCHEMA_FILE = "schema.json";

/** Deepest nesting a vars file may have; the schema needs 7 (connections.0.foreignCatalog.grants.0.privileges.0). */
export const MAX_DEPTH = 16;

/** Largest vars file read; real ones are a few kilobytes. */
export const MAX_FILE_BYTES = 1024 * 1024;

type Key = PropertyKey;

/** At most 80 characters of `text`. */
function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A key as shown in a path: `""` for the empty key, at most 80 characters. */
function shortKey(k: Key): string {
  return k === "" ? '""' : truncate(String(k));
}

function jsonPath(at: readonly Key[]): string {
  return at.length === 0 ? "(top level)" : at.map(shortKey).join(".");
}

function valueAt(data: unknown, at: readonly Key[]): unknown {
  return at.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<Key, unknown>)[key] : undefined), data);
}

/** Free-form maps whose keys are the user's: AWS tags and connection or catalog properties. */
function isFreeFormMap(at: readonly Key[]): boolean {
  const last = at[at.length - 1];
  return (at.length === 1 && last === "tags") || last === "properties";
}

/**
 * Whether the value at `at` must not be shown: under a connection's `options` (sensitive as a whole in
 * the provider) or `properties`, under a field named like a secret (for an unknown field or a key of a
 * free-form map, any secret-like word counts), or shaped like a credential.
 */
function isSensitive(at: readonly Key[], value: unknown, unknownField = false): boolean {
  if (at[0] === "connections" && (at.includes("options") || at.includes("properties"))) return true;
  const last = at[at.length - 1];
  if (typeof last === "string" && (SECRET_FIELD_NAME.test(last) || ((unknownField || isFreeFormMap(at.slice(0, -1))) && isSecretLikeKey(last)))) return true;
  return typeof value === "string" && secretShapeOf(value) !== undefined;
}

/** What was found at `at`: the value, or only its kind where {@link isSensitive}. */
function describe(value: unknown, at: readonly Key[], unknownField = false): string {
  if (value === undefined) return "nothing (field missing)";
  if (typeof value === "number" && !Number.isFinite(value)) return `${value} (a number too large for a JSON number, such as 1e999)`;
  if (isSensitive(at, value, unknownField)) {
    if (typeof value === "string") return value === "" ? "an empty string" : `a string of ${value.length} characters (not shown)`;
    return value === null ? "null" : Array.isArray(value) ? "a list (not shown)" : `a ${typeof value} (not shown)`;
  }
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const TYPE_NAMES: Record<string, string> = { string: "a string", number: "a number", int: "a whole number", boolean: "true or false", object: "an object", array: "a list", never: "nothing here" };

function expectation(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.message.startsWith("expected")) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "number" && typeof value === "number") return "expected a finite number";
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "invalid_key":
      return `${issue.issues.map((i) => i.message).find((m) => m.startsWith("expected")) ?? "expected a valid key"}, found the key ${JSON.stringify(truncate(String(issue.path[issue.path.length - 1])))}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "array" ? `expected at least ${issue.minimum} item(s)` : `expected a value >= ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array" ? `expected at most ${issue.maximum} item(s)` : `expected a value <= ${issue.maximum}`;
    case "invalid_format":
      return `expected a ${issue.format}`;
    case "invalid_union":
      return "expected one of the documented shapes";
    default:
      return `expected ${issue.message}`;
  }
}

/** The expectation for an unknown field `key` of the object at `at`. */
function unknownFieldExpectation(data: unknown, at: readonly Key[], key: string): string {
  if (at[0] === "connections" && typeof at[1] === "number") {
    const entry = valueAt(data, at.slice(0, 2)) as Record<string, unknown> | undefined;
    const where = at.length === 2 ? "" : String(at[2]);
    if (at.length <= 3 && (where === "" || where === "options" || where === "foreignCatalog")) {
      return unknownConnectionFieldExpectation(connectionTypeSpec(entry?.connectionType), where, key, CONNECTION_ENTRY_FIELDS);
    }
  }
  return "expected no such field (unknown field)";
}

/** Byte-level checks: the file must be UTF-8 text without a byte-order mark (JSON, RFC 8259 section 8.1). */
function decode(file: string, bytes: Buffer): string {
  const problem = (found: string) => new ConfigError([`${file}: (top level): expected UTF-8 text without a byte-order mark, found ${found}; save the file as UTF-8`]);
  const starts = (...b: number[]) => b.every((x, i) => bytes[i] === x);
  if (starts(0x00, 0x00, 0xfe, 0xff)) throw problem("UTF-32 big-endian text (byte-order mark 00 00 FE FF)");
  if (starts(0xff, 0xfe, 0x00, 0x00)) throw problem("UTF-32 little-endian text (byte-order mark FF FE 00 00)");
  if (starts(0xef, 0xbb, 0xbf)) throw problem("a UTF-8 byte-order mark (EF BB BF) at the start");
  if (starts(0xfe, 0xff)) throw problem("UTF-16 big-endian text (byte-order mark FE FF)");
  if (starts(0xff, 0xfe)) throw problem("UTF-16 little-endian text (byte-order mark FF FE)");
  if (bytes.length >= 2 && bytes[0] === 0x00 && bytes[1] !== 0x00) throw problem("UTF-16 big-endian text without a byte-order mark (zero bytes between the characters)");
  if (bytes.length >= 2 && bytes[0] !== 0x00 && bytes[1] === 0x00) throw problem("UTF-16 little-endian text without a byte-order mark (zero bytes between the characters)");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw problem("bytes that are not UTF-8 (for example Latin-1 or Windows-1252 text)");
  }
}

/** `JSON.parse`, with a syntax error reported by line and column, never by quoting the text (it may hold a secret). */
function parseJson(file: string, text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) throw new ConfigError([`${file}: (top level): expected JSON text without a byte-order mark, found a byte-order mark (U+FEFF) at the start; save the file as UTF-8 without BOM`]);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const errors: ParseError[] = [];
    try {
      parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    } catch {
      // jsonc-parser recurses: a syntax error inside very deep nesting cannot be located.
      throw new ConfigError([`${file}: (top level): expected valid JSON, found a syntax error in nesting too deep to locate (more than ${MAX_DEPTH} levels)`]);
    }
    const first = errors[0];
    if (!first) throw new ConfigError([`${file}: (top level): expected valid JSON, found a syntax error`]);
    const before = text.slice(0, first.offset);
    const line = before.split("\n").length;
    const column = first.offset - before.lastIndexOf("\n");
    const what = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    throw new ConfigError([`${file}: (top level): expected valid JSON, found a syntax error at line ${line}, column ${column} (${what})`]);
  }
  const duplicates = duplicateKeyProblems(file, text);
  if (duplicates.length > 0) throw new ConfigError(duplicates);
  return data;
}

/** The deepest bracket nesting of a JSON text, counted without recursion (strings skipped). */
function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") max = Math.max(max, ++depth);
    else if (c === "}" || c === "]") depth--;
  }
  return max;
}

/** A field given twice in one object: JSON.parse keeps the last silently, so which one counts is not what the reader sees. */
function duplicateKeyProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const objects: Set<string>[] = [];
  // jsonc-parser recurses: on very deep nesting it overflows; the depth check reports that file instead.
  if (maxNesting(text) > MAX_DEPTH) return [];
  visit(text, {
    onObjectBegin: () => void objects.push(new Set()),
    onObjectEnd: () => void objects.pop(),
    onObjectProperty: (property, _offset, _length, startLine, _startCharacter, pathSupplier) => {
      const keys = objects[objects.length - 1];
      if (keys.has(property)) problems.push(`${file}: ${jsonPath([...pathSupplier(), property])}: expected each field once, found it again at line ${startLine + 1}`);
      keys.add(property);
    },
  });
  return problems;
}

/**
 * The document's nesting depth and secrets, walked iteratively (a deeply nested file cannot overflow the
 * stack): secret-looking fields, keys of free-form maps that name a secret, connection options that are
 * secrets, and values shaped like credentials. No message shows a value.
 */
function secretProblems(file: string, data: unknown): string[] {
  const connectionSecrets = connectionSecretProblems(file, data);
  const reported = new Set(connectionSecrets.map((p) => p.slice(file.length + 2, p.indexOf(": ", file.length + 2))));
  const problems: string[] = [];
  const stack: { value: unknown; at: Key[] }[] = [{ value: data, at: [] }];
  const noSecret = "expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time)";
  while (stack.length > 0) {
    const { value, at } = stack.pop()!;
    if (typeof value === "string") {
      const shape = reported.has(jsonPath(at)) ? undefined : secretShapeOf(value);
      if (shape) problems.push(`${file}: ${jsonPath(at)}: ${noSecret}, found ${shape} (not shown)`);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (at.length >= MAX_DEPTH) {
      return [`${file}: ${jsonPath(at)}: expected at most ${MAX_DEPTH} levels of nesting (the schema needs 7), found deeper nesting`];
    }
    const entries: [Key, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, child] of entries.reverse()) {
      const here = [...at, key];
      // A connection's secret options get their own message, naming the TF_VAR_ variable (connectionSecretProblems).
      const connectionOptions = at.length === 3 && at[0] === "connections" && at[2] === "options";
      if (!connectionOptions && typeof key === "string" && typeof child === "string" && (SECRET_FIELD_NAME.test(key) || (isFreeFormMap(at) && isSecretLikeKey(key)))) {
        problems.push(`${file}: ${jsonPath(here)}: ${noSecret}, found a value for a secret-looking field`);
        continue;
      }
      stack.push({ value: child, at: here });
    }
  }
  return [...problems, ...connectionSecrets];
}

/** Secret options of a connection given in the file: say which TF_VAR_ variable to set instead. */
function connectionSecretProblems(file: string, data: unknown): string[] {
  const connections = valueAt(data, ["connections"]);
  if (!Array.isArray(connections)) return [];
  return connections.flatMap((entry: unknown, i) => {
    if (entry === null || typeof entry !== "object") return [];
    const e = entry as Record<string, unknown>;
    const spec = connectionTypeSpec(e.connectionType);
    const options = e.options;
    if (!spec || options === null || typeof options !== "object") return [];
    const name = typeof e.name === "string" && /^[a-z][a-z0-9_]{0,62}$/.test(e.name) ? e.name : "<name>";
    return spec.options
      .filter((o) => o.secret && (options as Record<string, unknown>)[o.field] !== undefined)
      .map((o) => `${file}: connections.${i}.options.${o.field}: expected no secret in a vars file: set TF_VAR_${connectionVariableName(name, o.field)} at deploy time instead, found a value (not shown)`);
  });
}

/** Validates an already-read document; `file` is used in messages only. */
export function parseVars(file: string, text: string): Vars {
  const data = parseJson(file, text);
  const secrets = secretProblems(file, data);
  if (secrets.length > 0) throw new ConfigError(secrets);

  const result = varsSchema.safeParse(data);
  if (result.success) return result.data;
  let issues = result.error.issues;
  const unknown = issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys.map((key) => ({ at: [...issue.path], key })) : []));
  if (unknown.length > 0) {
    // Unknown fields stop zod before the cross-field rules; validate again without them so that one run
    // reports every problem of the file.
    const rest = varsSchema.safeParse(withoutPaths(data, unknown.map((u) => [...u.at, u.key])));
    issues = [...issues.filter((i) => i.code !== "unrecognized_keys"), ...(rest.success ? [] : rest.error.issues)];
  }
  const seen = new Set<string>();
  const problems = [
    ...unknown.map(({ at, key }) => `${file}: ${jsonPath([...at, key])}: ${unknownFieldExpectation(data, at, key)}, found ${describe(valueAt(data, [...at, key]), [...at, key], true)}`),
    ...issues
      .filter((i) => i.code !== "unrecognized_keys")
      .map((issue) => {
        const value = valueAt(data, issue.path);
        const message = expectation(issue, value);
        return `${file}: ${jsonPath(issue.path)}: ${message}${/, found /.test(message) ? "" : `, found ${describe(value, issue.path)}`}`;
      }),
  ].filter((p) => !seen.has(p) && seen.add(p));
  throw new ConfigError(problems);
}

/** Reads and validates one vars file. */
export function parseVarsFile(file: string, fullPath: string): Vars {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(fullPath);
    if (stat.isDirectory()) throw new ConfigError([`${file}: expected a vars file, found a directory`]);
    if (stat.size > MAX_FILE_BYTES) throw new ConfigError([`${file}: expected a vars file of at most ${MAX_FILE_BYTES} bytes, found ${stat.size} bytes`]);
    bytes = fs.readFileSync(fullPath);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([`${file}: expected a readable vars file, found ${fsProblem(e)}`]);
  }
  return parseVars(file, decode(file, bytes));
}

/** A file-system error as a phrase, without a stack trace. */
function fsProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "nothing";
    case "ENOTDIR":
      return "a path through a file that is not a directory (ENOTDIR)";
    case "EACCES":
    case "EPERM":
      return `no permission to read it (${code})`;
    case "EISDIR":
      return "a directory";
    default:
      return `an error reading it (${code ?? (e as Error).message})`;
  }
}

/** A deep copy of `data` without the fields at `paths`. */
function withoutPaths(data: unknown, paths: readonly Key[][]): unknown {
  const copy = structuredClone(data);
  for (const at of paths) {
    const parent = valueAt(copy, at.slice(0, -1));
    if (parent !== null && typeof parent === "object") delete (parent as Record<Key, unknown>)[at[at.length - 1]];
  }
  return copy;
}

/** Names of the environments in `varsDir` (its `*.json` files but {@link SCHEMA_FILE}), sorted. */
export function listEnvironments(varsDir: string): string[] {
  let entries: string[];
  try {
    if (!fs.statSync(varsDir).isDirectory()) throw new ConfigError([`${varsDir}: expected a directory of <env>.json files, found a file`]);
    entries = fs.readdirSync(varsDir);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([`${varsDir}: expected a directory of <env>.json files, found ${fsProblem(e)}`]);
  }
  return entries
    .filter((f) => f.endsWith(".json") && f !== SCHEMA_FILE)
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** Problems of the requested names themselves (before any file is read). */
function nameProblems(names: readonly string[], source: string): string[] {
  return names.flatMap((name, i) => {
    const problem = (message: string) => [`${source}: environment ${JSON.stringify(name)}: ${message}`];
    if (names.indexOf(name) !== i) return problem("expected each environment once, found it again");
    if (/[/\\]/.test(name) || name.includes("..")) return problem('expected an environment name (the base name of a vars file, e.g. "dev"), found a path');
    if (name.endsWith(".json")) return problem(`expected an environment name without ".json", e.g. ${JSON.stringify(name.slice(0, -5))}`);
    if (`${name}.json` === SCHEMA_FILE) return problem(`expected an environment name, found "schema": vars/${SCHEMA_FILE} is the JSON Schema of the vars files`);
    if (!ENV_NAME.test(name)) return problem("expected lowercase letters, digits or hyphens, starting with a letter (at most 31)");
    return [];
  });
}

/**
 * Loads the named environments (all of `varsDir` when `names` is empty), collecting the problems of
 * every file before throwing one ConfigError. The requested environments are also checked against every
 * other valid environment of `varsDir` ({@link crossEnvironmentProblems}).
 * @param source what `names` came from, for messages (the entry point passes "ENVS")
 */
export function loadEnvironments(varsDir: string, names: readonly string[] = [], source = "environments requested"): Environment[] {
  const available = listEnvironments(varsDir);
  const badNames = nameProblems(names, source);
  if (badNames.length > 0) throw new ConfigError(badNames);
  const wanted = names.length > 0 ? names : available;
  const dir = path.relative(process.cwd(), varsDir) || ".";
  const fileOf = (name: string) => path.join(dir, `${name}.json`);
  const problems: string[] = [];
  const envs: Environment[] = [];
  for (const name of wanted) {
    const file = fileOf(name);
    if (!available.includes(name)) {
      problems.push(`${file}: expected a vars file for environment "${name}", found no such file (available: ${available.join(", ") || "none"})`);
      continue;
    }
    if (!ENV_NAME.test(name)) {
      problems.push(`${file}: expected a file name of lowercase letters, digits or hyphens, starting with a letter (it becomes a stack id), found ${JSON.stringify(name)}`);
      continue;
    }
    try {
      envs.push({ name, file, vars: parseVarsFile(file, path.join(varsDir, `${name}.json`)) });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (envs.length === 0) throw new ConfigError([`${varsDir}: expected at least one <env>.json, found none`]);
  // The others, for the cross-environment rules: only those that are valid on their own.
  const others = available
    .filter((name) => !wanted.includes(name) && ENV_NAME.test(name))
    .flatMap((name) => {
      try {
        return [{ name, file: fileOf(name), vars: parseVarsFile(fileOf(name), path.join(varsDir, `${name}.json`)) }];
      } catch {
        return [];
      }
    });
  const cross = crossEnvironmentProblems(envs, others);
  if (cross.length > 0) throw new ConfigError(cross);
  return envs;
}

interface Claim {
  readonly path: string;
  readonly value: string;
}

/**
 * Names that must differ between environments, each with the scope it must be unique in:
 * - `namePrefix`: every IAM role, KMS alias, security group and Databricks account object (credentials,
 *   storage and network configurations, service principals) derives its name from it;
 * - bucket names: S3 bucket names are global; and no environment's state bucket may be a bucket any
 *   environment's stacks create;
 * - `databricks.workspaceName`: unique in its Databricks account;
 * - connection and foreign catalog names: Unity Catalog keeps them in the metastore, one per region and
 *   Databricks account, so environments sharing both share the namespace.
 */
function claims(vars: Vars): { scope: string; what: string; items: Claim[] }[] {
  const metastore = `${vars.databricks.accountId}/${vars.region}`;
  return [
    { scope: "", what: "a name prefix no other environment uses (IAM roles, KMS aliases and Databricks objects are named from it)", items: [{ path: "namePrefix", value: vars.namePrefix }] },
    {
      scope: "",
      what: "a bucket name no other environment uses (S3 bucket names are global)",
      items: [
        { path: "storage.rootBucketName", value: vars.storage.rootBucketName },
        ...vars.storage.dataLakeBucketNames.map((b, i) => ({ path: `storage.dataLakeBucketNames.${i}`, value: b })),
        { path: "storage.loggingBucketName", value: vars.storage.loggingBucketName },
      ],
    },
    { scope: vars.databricks.accountId, what: "a workspace name no other environment of this Databricks account uses", items: [{ path: "databricks.workspaceName", value: vars.databricks.workspaceName }] },
    {
      scope: metastore,
      what: "a connection name no other environment of this Databricks account and region uses (they share the region's metastore)",
      items: vars.connections.map((c, i) => ({ path: `connections.${i}.name`, value: c.name.toLowerCase() })),
    },
    {
      scope: metastore,
      what: "a catalog name no other environment of this Databricks account and region uses (they share the region's metastore)",
      items: vars.connections.flatMap((c, i) => (c.foreignCatalog ? [{ path: `connections.${i}.foreignCatalog.name`, value: c.foreignCatalog.name.toLowerCase() }] : [])),
    },
  ];
}

/**
 * Collisions between environments. A collision between two requested environments is reported once, on
 * the later one; one with an environment that was not requested, on the requested one.
 */
export function crossEnvironmentProblems(envs: readonly Environment[], others: readonly Environment[] = []): string[] {
  const problems: string[] = [];
  const all = [...envs, ...others];
  envs.forEach((env, index) => {
    const earlier = [...envs.slice(0, index), ...others];
    const mine = claims(env.vars);
    mine.forEach((claim, k) => {
      for (const item of claim.items) {
        for (const other of earlier) {
          const theirs = claims(other.vars)[k];
          if (theirs.scope !== claim.scope) continue;
          const clash = theirs.items.find((o) => o.value === item.value);
          if (clash) problems.push(`${env.file}: ${item.path}: expected ${claim.what}, found ${JSON.stringify(item.value)}, also at ${other.file}: ${clash.path}`);
        }
      }
    });
    // The state bucket must not be a bucket that any environment's stacks create.
    const backend = env.vars.backend;
    if (backend.type === "s3") {
      for (const other of all.filter((o) => o !== env)) {
        const clash = claims(other.vars)[1].items.find((o) => o.value === backend.bucket);
        if (clash) problems.push(`${env.file}: backend.bucket: expected a state bucket no stack creates (its stacks could destroy it with the state inside), found ${JSON.stringify(backend.bucket)}, created by ${other.file}: ${clash.path}`);
      }
    }
  });
  return problems;
}
