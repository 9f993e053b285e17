/**
 * Loads and validates the settings of each environment: `vars/<env>.json` deep-merged over
 * `vars/common.json` when that file exists ({@link COMMON_FILE}). Every problem becomes one line naming the
 * file the offending value was written in (common.json when the environment inherits it, the environment's
 * file when it sets or overrides it), the JSON path, what was expected and what was found; nothing is
 * built from a file with problems. No line ever shows the value of a secret-looking field, of a connection
 * option or of a property, nor a value shaped like a credential: it says what is wrong with it instead.
 *
 * Order of the checks, each stopping the file when it fails: the file can be read; it is UTF-8 text
 * without a byte-order mark; it is JSON; it is at most {@link MAX_DEPTH} levels deep and holds no secret.
 * These run on common.json and on each environment's file alone. Then the environment's file is merged
 * over common.json ({@link mergeVarsLayers}) and the result must match the schema (config/schema.ts).
 * Then the environments are checked against each other ({@link crossEnvironmentProblems}).
 */
import * as fs from "fs";
import * as path from "path";
import type { z } from "zod";
import { parse as parseJsonc, printParseErrorCode, visit, type ParseError } from "jsonc-parser";
import { refusedKeyMessage } from "../constructs/security/map-keys";
import { isSecretLikeKey, SECRET_FIELD_NAME, secretShapeOf } from "../constructs/security/secret-patterns";
import { connectionTypeSpec, unknownConnectionFieldExpectation } from "../constructs/connections/rules";
import { CONNECTION_ENTRY_FIELDS, connectionVariableName } from "./connections";
import { varsObjectSchema, varsSchema, type Vars } from "./schema";

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

/** Where one setting of an environment was written. */
export interface VarsSource {
  /** The file, as named in messages: the environment's own (`vars/dev.json`) or {@link COMMON_FILE}'s. */
  readonly file: string;
  /** True when the environment's file does not set the value and it comes from {@link COMMON_FILE}. */
  readonly inherited: boolean;
}

export interface Environment {
  /** The file's base name: `dev` for `vars/dev.json`; stack ids end with it. */
  readonly name: string;
  /** The environment's own vars file, as named in messages (relative to the working directory). */
  readonly file: string;
  /** The merged, validated and defaulted settings ({@link COMMON_FILE} under {@link file}). */
  readonly vars: Vars;
  /**
   * The file the setting at `at` (a JSON path such as `["storage", "rootBucketName"]`) was written in; the
   * environment's own file for a value set nowhere (a default) or in both files (a merged object).
   */
  readonly sourceOf: (at: readonly PropertyKey[]) => VarsSource;
}

/** Environment names become stack ids and file names. */
export const ENV_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** The JSON Schema of the vars files lives beside them under this name; it is not an environment. */
export const SCHEMA_FILE = "schema.json";

/**
 * The settings every environment shares, beside the environment files under this name; optional, and not
 * an environment. Each `<env>.json` is deep-merged over it ({@link mergeVarsLayers}).
 */
export const COMMON_FILE = "common.json";

/** The files of a vars directory that are not environments, with what each one is. */
const NOT_ENVIRONMENTS: Readonly<Record<string, string>> = {
  [SCHEMA_FILE]: "is the JSON Schema of the vars files",
  [COMMON_FILE]: "holds the settings every environment shares (merged under each <env>.json)",
};

/**
 * What `<name>.json` is when it is one of the vars directory's files that are not environments
 * ({@link SCHEMA_FILE}, {@link COMMON_FILE}), e.g. `"holds the settings every environment shares ..."`;
 * undefined for a possible environment name.
 */
export function notAnEnvironment(name: string): string | undefined {
  return Object.hasOwn(NOT_ENVIRONMENTS, `${name}.json`) ? NOT_ENVIRONMENTS[`${name}.json`] : undefined;
}

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
    return value === null ? "null" : Array.isArray(value) ? "a list (not shown)" : typeof value === "object" ? "an object (not shown)" : `a ${typeof value} (not shown)`;
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
      return refusedKeyMessage(issue);
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

/** One vars file read and checked alone: its name as messages show it and its JSON document. */
export interface VarsLayer {
  readonly file: string;
  readonly data: unknown;
}

/** The checks a file passes alone: valid JSON with each field once, at most {@link MAX_DEPTH} levels, no secret. */
function documentOf(file: string, text: string): unknown {
  const data = parseJson(file, text);
  const secrets = secretProblems(file, data);
  if (secrets.length > 0) throw new ConfigError(secrets);
  return data;
}

/**
 * Reads one vars file (at most {@link MAX_FILE_BYTES}, UTF-8 without a byte-order mark) and runs the checks
 * it passes alone ({@link documentOf}); `file` is used in messages only.
 * @throws ConfigError naming `file`
 */
export function readVarsLayer(file: string, fullPath: string): VarsLayer {
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
  return { file, data: documentOf(file, decode(file, bytes)) };
}

/**
 * Reads `<varsDir>/common.json` ({@link COMMON_FILE}) when it exists, with the checks every vars file
 * passes alone. Its top level must be an object; its `$schema` (for editors) must be a string and is left
 * out of the layer, so only an environment's own `$schema` reaches validation.
 * @returns undefined when the directory has no common.json
 * @throws ConfigError naming common.json
 */
export function readCommonLayer(varsDir: string): VarsLayer | undefined {
  const fullPath = path.join(varsDir, COMMON_FILE);
  try {
    fs.lstatSync(fullPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
  }
  const file = path.join(shownDir(varsDir), COMMON_FILE);
  const { data } = readVarsLayer(file, fullPath);
  if (!isPlainObject(data)) throw new ConfigError([`${file}: (top level): expected an object, found ${describe(data, [])}`]);
  const { $schema, ...shared } = data;
  if ($schema !== undefined && typeof $schema !== "string") throw new ConfigError([`${file}: $schema: expected a string, found ${describe($schema, ["$schema"])}`]);
  return { file, data: shared };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The parts of a zod schema's internal definition (`schema._zod.def`, zod 4) the merge looks at. */
interface SchemaNode {
  readonly _zod: { readonly def: { readonly type: string; readonly innerType?: SchemaNode; readonly in?: SchemaNode; readonly shape?: Record<string, SchemaNode>; readonly valueType?: SchemaNode; readonly discriminator?: string } };
}

/** `node` without defaults, optionality and pipes around it. */
function unwrap(node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  while (n) {
    const def = n._zod.def;
    if (def.innerType && ["default", "prefault", "optional", "nullable", "nonoptional", "readonly", "catch"].includes(def.type)) n = def.innerType;
    else if (def.type === "pipe" && def.in) n = def.in;
    else return n;
  }
  return undefined;
}

/** The field that tells the shapes of a union apart at `at` (`type` of `backend`, `source` of `unityCatalog.metastore`), if the schema has such a union there. */
function discriminatorAt(at: readonly Key[]): string | undefined {
  let node: SchemaNode | undefined = varsObjectSchema as unknown as SchemaNode;
  for (const key of at) {
    const def: SchemaNode["_zod"]["def"] | undefined = unwrap(node)?._zod.def;
    if (def?.type === "object" && def.shape && typeof key === "string") node = Object.hasOwn(def.shape, key) ? def.shape[key] : undefined;
    else if (def?.type === "record") node = def.valueType;
    else return undefined;
  }
  return unwrap(node)?._zod.def.discriminator;
}

/**
 * Whether the environment's value at `at` merges into common's: both are objects, and where the schema has
 * a union there, not of two different shapes: they merge unless both files give its discriminator
 * (`backend.type`, `unityCatalog.metastore.source`) and the values differ. An object that gives no
 * discriminator has no shape of its own: it merges into the other file's, and any of its fields that the
 * other's shape does not allow is reported as an unknown field, in the file that wrote it.
 */
function mergesAt(common: unknown, env: unknown, at: readonly Key[]): boolean {
  if (!isPlainObject(common) || !isPlainObject(env)) return false;
  const discriminator = discriminatorAt(at);
  return discriminator === undefined || !Object.hasOwn(env, discriminator) || !Object.hasOwn(common, discriminator) || env[discriminator] === common[discriminator];
}

/**
 * `env` deep-merged over `common` (documents of vars files): objects merge key by key, the environment's
 * value winning; anything else the environment gives (a list, a string, a number, a boolean, `null`)
 * replaces common's value whole, lists included (never concatenated), and so does an object of another
 * shape of a union (a `backend` whose `type` differs, a `unityCatalog.metastore` whose `source` differs;
 * when either file leaves that field out, the objects merge: {@link mergesAt}).
 * `null` is a value like any other, not a deletion (the schema refuses it where it expects something else):
 * a setting that some environments must not have belongs in their own files, not in common.json. Keys keep
 * the environment's order, inherited keys after them; the output shares subtrees with the inputs.
 */
export function mergeVarsLayers(common: unknown, env: unknown, at: readonly Key[] = []): unknown {
  if (!mergesAt(common, env, at)) return env;
  const c = common as Record<string, unknown>;
  const e = env as Record<string, unknown>;
  // Object.fromEntries defines properties: a "__proto__" key stays a plain field.
  return Object.fromEntries([
    ...Object.entries(e).map(([k, v]) => [k, Object.hasOwn(c, k) ? mergeVarsLayers(c[k], v, [...at, k]) : v]),
    ...Object.entries(c).filter(([k]) => !Object.hasOwn(e, k)),
  ]);
}

/** The field `key` of `value` when `value` is an object that has it as its own field; else undefined. */
function ownChild(value: unknown, key: Key): unknown {
  return isPlainObject(value) && Object.hasOwn(value, key) ? value[key as string] : undefined;
}

/** Where the value at `at` of the merged document was written; `merged` when both files gave parts of that object. */
function sourceIn(env: VarsLayer, common: VarsLayer | undefined, at: readonly Key[]): VarsSource & { readonly merged: boolean } {
  const own = { file: env.file, inherited: false, merged: false };
  if (!common) return own;
  let c: unknown = common.data;
  let e: unknown = env.data;
  for (let i = 0; i <= at.length; i++) {
    if (!mergesAt(c, e, at.slice(0, i))) return e === undefined && c !== undefined ? { file: common.file, inherited: true, merged: false } : own;
    if (i < at.length) {
      c = ownChild(c, at[i]);
      e = ownChild(e, at[i]);
    }
  }
  return { ...own, merged: true };
}

/**
 * Where a field missing from the merged document at `at` should be written, found by walking its
 * ancestors from the top and stopping at the first one that decides:
 * - a list: in the file that gave the list (lists are replaced whole);
 * - an object the environment's file gives that does not merge into the value common.json gives there
 *   ({@link mergesAt}: another shape of a union, such as a `unityCatalog.metastore` of another `source` or a
 *   `backend` of another `type`, or common's value is no object): in the environment's file only, since
 *   common's value there is replaced whole; `replaces` names that ancestor.
 * Otherwise in the environment's file or in common.json (`either`; without common.json, only the former).
 */
function missingSourceIn(env: VarsLayer, common: VarsLayer | undefined, data: unknown, at: readonly Key[]): VarsSource & { readonly either: boolean; readonly replaces?: readonly Key[] } {
  const own = { file: env.file, inherited: false, either: false };
  let c: unknown = common?.data;
  let e: unknown = env.data;
  for (let i = 1; i < at.length; i++) {
    const ancestor = at.slice(0, i);
    if (Array.isArray(valueAt(data, ancestor))) return { ...sourceIn(env, common, ancestor), either: false };
    c = ownChild(c, at[i - 1]);
    e = ownChild(e, at[i - 1]);
    if (c !== undefined && e !== undefined && !mergesAt(c, e, ancestor)) return { ...own, replaces: ancestor };
  }
  return { ...own, either: common !== undefined };
}

/** Why the environment's object at `at` replaces common's value there: `, its source differs` for a union (common's being an object too). */
function replacedBecause(common: unknown, at: readonly Key[]): string {
  const discriminator = discriminatorAt(at);
  return discriminator !== undefined && isPlainObject(valueAt(common, at)) ? `, its ${discriminator} differs` : "";
}

/** The environment a vars file is for: its base name. */
function environmentName(file: string): string {
  return path.basename(file, ".json");
}

/**
 * Validates `env` merged over `common` (when given) against the schema. Each line names the file the
 * offending value was written in, with `(inherited by <env>)` when that is common.json; a missing field is
 * named in the environment's file (or, inside a list, in the file of the list).
 * @throws ConfigError one line per problem
 */
function validateLayers(env: VarsLayer, common?: VarsLayer): Vars {
  const data = common ? mergeVarsLayers(common.data, env.data) : env.data;
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
  const line = (at: readonly Key[], message: string, unknownField = false) => {
    const value = valueAt(data, at);
    let found: string;
    let source: VarsSource & { readonly merged?: boolean };
    if (value === undefined) {
      const missing = missingSourceIn(env, common, data, at);
      source = missing;
      found = missing.either
        ? `nothing (field missing; set it here or in ${common?.file})`
        : missing.replaces
          ? `nothing (field missing; set it here: this ${jsonPath(missing.replaces)} replaces the one in ${common?.file} whole${replacedBecause(common?.data, missing.replaces)})`
          : describe(value, at, unknownField);
    } else {
      source = sourceIn(env, common, at);
      found = describe(value, at, unknownField);
    }
    const note = source.inherited ? ` (inherited by ${environmentName(env.file)})` : source.merged ? ` (${env.file} merged over ${common?.file})` : "";
    return `${source.file}: ${jsonPath(at)}: ${message}${/, found /.test(message) ? "" : `, found ${found}`}${note}`;
  };
  const seen = new Set<string>();
  const problems = [
    ...unknown.map(({ at, key }) => line([...at, key], unknownFieldExpectation(data, at, key), true)),
    ...issues.filter((i) => i.code !== "unrecognized_keys").map((issue) => line(issue.path, expectation(issue, valueAt(data, issue.path)))),
  ].filter((p) => !seen.has(p) && seen.add(p));
  throw new ConfigError(problems);
}

/**
 * Validates an already-read document, merged over `common` when given (the loader passes the directory's
 * {@link readCommonLayer}); `file` is used in messages only.
 * @throws ConfigError one line per problem
 */
export function parseVars(file: string, text: string, common?: VarsLayer): Vars {
  return validateLayers({ file, data: documentOf(file, text) }, common);
}

/** Reads and validates one vars file, merged over `common` when given. */
export function parseVarsFile(file: string, fullPath: string, common?: VarsLayer): Vars {
  return validateLayers(readVarsLayer(file, fullPath), common);
}

/**
 * One environment's settings as written: `<varsDir>/common.json` (when present) deep-merged under
 * `<varsDir>/<name>.json` ({@link mergeVarsLayers}), before validation and defaults. For tools and tests
 * that need the input a file set produces; everything that builds or decides uses {@link loadEnvironments}.
 * @throws ConfigError when a file fails the checks it passes alone
 */
export function readVarsInput(varsDir: string, name: string): Record<string, unknown> {
  const common = readCommonLayer(varsDir);
  const env = readVarsLayer(path.join(shownDir(varsDir), `${name}.json`), path.join(varsDir, `${name}.json`));
  return (common ? mergeVarsLayers(common.data, env.data) : env.data) as Record<string, unknown>;
}

/** An environment loaded from its layers: settings validated, sources answerable. */
function environmentOf(name: string, env: VarsLayer, common: VarsLayer | undefined): Environment {
  return {
    name,
    file: env.file,
    vars: validateLayers(env, common),
    sourceOf: (at) => {
      const { file, inherited } = sourceIn(env, common, at);
      return { file, inherited };
    },
  };
}

/** `varsDir` as messages show it: relative to the working directory. */
function shownDir(varsDir: string): string {
  return path.relative(process.cwd(), varsDir) || ".";
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

/**
 * Names of the environments in `varsDir`, sorted: its `*.json` files but those that are not environments
 * ({@link SCHEMA_FILE}, {@link COMMON_FILE}). Everything that enumerates environments goes through here.
 */
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
    .filter((f) => f.endsWith(".json") && !Object.hasOwn(NOT_ENVIRONMENTS, f))
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
    const reserved = notAnEnvironment(name);
    if (reserved) return problem(`expected an environment name, found ${JSON.stringify(name)}: vars/${name}.json ${reserved}`);
    if (!ENV_NAME.test(name)) return problem("expected lowercase letters, digits or hyphens, starting with a letter (at most 31)");
    return [];
  });
}

/**
 * Lines that differ only in the environment that inherits the value (`... (inherited by dev)`,
 * `... (inherited by prod)`: one mistake in common.json) become one line naming every such environment.
 */
function combineInherited(problems: readonly string[]): string[] {
  const order: string[] = [];
  const inheritedBy = new Map<string, string[]>();
  for (const p of problems) {
    const m = / \(inherited by ([a-z][a-z0-9-]*)\)$/.exec(p);
    const key = m ? p.slice(0, m.index) : p;
    if (!inheritedBy.has(key)) {
      order.push(key);
      inheritedBy.set(key, []);
    }
    if (m) inheritedBy.get(key)!.push(m[1]);
  }
  return order.map((key) => (inheritedBy.get(key)!.length > 0 ? `${key} (inherited by ${inheritedBy.get(key)!.join(", ")})` : key));
}

/**
 * Loads the named environments (all of `varsDir` when `names` is empty), each `<env>.json` merged over the
 * directory's common.json when it has one ({@link mergeVarsLayers}), collecting the problems of every file
 * before throwing one ConfigError: common.json's own problems once, then each environment's. The requested
 * environments are also checked against every other valid environment of `varsDir`
 * ({@link crossEnvironmentProblems}).
 * @param source what `names` came from, for messages (the entry point passes "ENVS")
 */
export function loadEnvironments(varsDir: string, names: readonly string[] = [], source = "environments requested"): Environment[] {
  const available = listEnvironments(varsDir);
  const badNames = nameProblems(names, source);
  if (badNames.length > 0) throw new ConfigError(badNames);
  const wanted = names.length > 0 ? names : available;
  const fileOf = (name: string) => path.join(shownDir(varsDir), `${name}.json`);
  const problems: string[] = [];
  let common: VarsLayer | undefined;
  let commonValid = true;
  try {
    common = readCommonLayer(varsDir);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
    commonValid = false;
  }
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
      const layer = readVarsLayer(file, path.join(varsDir, `${name}.json`));
      // With a broken common.json the merge means nothing: report the file's own problems only.
      if (commonValid) envs.push(environmentOf(name, layer, common));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(combineInherited(problems));
  if (envs.length === 0) throw new ConfigError([`${varsDir}: expected at least one <env>.json, found none`]);
  // The others, for the cross-environment rules: only those that are valid on their own.
  const others = available
    .filter((name) => !wanted.includes(name) && ENV_NAME.test(name))
    .flatMap((name) => {
      try {
        return [environmentOf(name, readVarsLayer(fileOf(name), path.join(varsDir, `${name}.json`)), common)];
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
  /** `file: path`, the file being the one the value was written in; `note` says which environment inherits it. */
  const where = (env: Environment, at: string) => {
    const s = env.sourceOf(at.split("."));
    return { at: `${s.file}: ${at}`, note: s.inherited ? ` (inherited by ${env.name})` : "" };
  };
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
          if (clash) {
            const [mine, theirs] = [where(env, item.path), where(other, clash.path)];
            problems.push(`${mine.at}: expected ${claim.what}, found ${JSON.stringify(item.value)}${mine.note}, also at ${theirs.at}${theirs.note}`);
          }
        }
      }
    });
    // The state bucket must not be a bucket that any environment's stacks create.
    const backend = env.vars.backend;
    if (backend.type === "s3") {
      for (const other of all.filter((o) => o !== env)) {
        const clash = claims(other.vars)[1].items.find((o) => o.value === backend.bucket);
        if (clash) {
          const [mine, theirs] = [where(env, "backend.bucket"), where(other, clash.path)];
          problems.push(`${mine.at}: expected a state bucket no stack creates (its stacks could destroy it with the state inside), found ${JSON.stringify(backend.bucket)}${mine.note}, created by ${theirs.at}${theirs.note}`);
        }
      }
    }
  });
  return problems;
}
