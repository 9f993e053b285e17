/**
 * Constructor-time validation of {@link UnityCatalogConnectionProps}: the zod rules of `rules.ts` in the
 * construct's mode. Props may come from untyped JSON, so everything the types promise is checked again at
 * runtime. A value that is a Terraform token (resolved at deploy time) passes the rule of its field; a
 * secret must be a reference to an input without a value at synth (constructs/security/secret-reference.ts).
 *
 * Messages name the field and what is wrong. They show the value of a name, privilege or other setting,
 * never the value of an option (the provider keeps `options` sensitive) or of a secret.
 */
import { Token } from "cdktf";
import type { IConstruct } from "constructs";
import { z } from "zod";
import { refusedKeyMessage } from "../security/map-keys";
import { isSecretLikeKey, secretShapeOf } from "../security/secret-patterns";
import { secretReferenceProblem } from "../security/secret-reference";
import type { ApiConnectionType, ConnectionTypeSpec } from "./connection-types";
import { connectionRuleFor, connectionTypeExpectation, connectionTypeSpec, unknownConnectionFieldExpectation, type ConnectionRuleMode } from "./rules";

/** One problem of the props: the path of the offending field (e.g. `options.port`, `grants[0].principal`) and what is wrong. */
export interface ConnectionProblem {
  readonly field: string;
  readonly message: string;
}

/** A props problem found by {@link UnityCatalogConnection}'s constructor; `problems` lists every one. */
export class ConnectionConfigError extends Error {
  /** Path of the first offending field in the props, e.g. `options.port`. */
  public readonly field: string;
  public readonly problems: readonly ConnectionProblem[];

  constructor(problems: readonly ConnectionProblem[], where?: string) {
    super(problems.map((p) => `${where ? `UnityCatalogConnection ${where}: ` : ""}${p.field}: ${p.message}`).join("\n"));
    this.name = "ConnectionConfigError";
    this.field = problems[0]?.field ?? "props";
    this.problems = problems;
  }
}

/** Top-level props of the construct. */
export const CONNECTION_PROPS_FIELDS: readonly string[] = ["name", "connectionType", "comment", "owner", "properties", "readOnly", "grants", "options", "foreignCatalog", "provider", "dependsOn"];

/** The construct whose props are being validated: its stack resolves secrets (set only during a parse). */
let validating: IConstruct | undefined;

/**
 * The construct's rule mode: tokens pass every field rule; secrets are checked with the stack of the
 * construct being validated (without one, any token passes and literals are refused).
 */
export const CONSTRUCT_MODE: ConnectionRuleMode = constructMode();

function constructMode(): ConnectionRuleMode {
  return {
    field: (rule, optional) =>
      z.unknown().superRefine((value, ctx) => {
        if (Token.isUnresolved(value) || (value === undefined && optional)) return;
        const result = rule.safeParse(value);
        if (!result.success) for (const i of result.error.issues) ctx.addIssue({ code: "custom", path: i.path as PropertyKey[] as (string | number)[], message: i.message });
      }),
    secret: (option, spec) =>
      z.unknown().superRefine((value, ctx) => {
        if (value === undefined) {
          if (option.required) ctx.addIssue({ code: "custom", message: `expected ${option.field} (required for ${spec.connectionType}; a secret: the .stringValue of a TerraformVariable without a default)` });
          return;
        }
        const scope = validating;
        const problem = scope
          ? secretReferenceProblem(scope, value)
          : typeof value === "string" && Token.isUnresolved(value)
            ? undefined
            : "expected a Terraform reference, found a literal (written to cdk.tf.json as it is)";
        if (problem) ctx.addIssue({ code: "custom", message: `${option.field} is a secret: ${problem}` });
      }),
    exactlyOneOf: true,
    optionsDefaultEmpty: false,
    extraFields: () => ({ provider: z.unknown().optional(), dependsOn: z.array(z.unknown(), { error: "expected a list of resources" }).optional() }),
  };
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, k) => (typeof k === "number" ? `${out}[${k}]` : out ? `${out}.${String(k)}` : String(k)), "") || "props";
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Record<PropertyKey, unknown>)[k] : undefined), data);
}

/** What was found, without the value where it may be sensitive. */
function found(value: unknown, sensitive: boolean): string {
  if (value === undefined) return "nothing";
  if (Token.isUnresolved(value)) return "a token";
  if (sensitive) return value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * Whether the value at `path` must not be shown: an option (the provider keeps `options` sensitive), a
 * property (free-form, refused when it looks like a secret), a key that names a secret, or a value shaped
 * like a credential.
 */
function isSensitive(path: readonly PropertyKey[], value: unknown): boolean {
  return path[0] === "options" || path.includes("properties") || path.some((k) => typeof k === "string" && isSecretLikeKey(k)) || (typeof value === "string" && secretShapeOf(value) !== undefined);
}

/** The construct-mode rule of each type, built once (zod schemas are costly to build, cheap to reuse). */
const RULES = new Map<ApiConnectionType, z.ZodType>();

/** The problems of `props` as the construct sees them; empty when valid. */
export function connectionPropsProblems(props: unknown, scope?: IConstruct): ConnectionProblem[] {
  if (props === null || typeof props !== "object" || Array.isArray(props)) return [{ field: "props", message: `expected an object, found ${found(props, false)}` }];
  const type = (props as Record<string, unknown>).connectionType;
  const spec = connectionTypeSpec(type);
  if (!spec) return [{ field: "connectionType", message: `${connectionTypeExpectation(type)}, found ${found(type, false)}` }];
  const rule = RULES.get(spec.connectionType) ?? RULES.set(spec.connectionType, connectionRuleFor(spec, CONSTRUCT_MODE)).get(spec.connectionType)!;
  const previous = validating;
  validating = scope;
  let result: ReturnType<z.ZodType["safeParse"]>;
  try {
    result = rule.safeParse(props);
  } finally {
    validating = previous;
  }
  if (result.success) return [];
  // Unknown fields first: a misspelt field is usually why a required one is "missing".
  const problems: ConnectionProblem[] = [];
  const issues = [...result.error.issues].sort((a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"));
  for (const issue of issues) {
    const sensitive = isSensitive(issue.path, valueAt(props, issue.path));
    if (issue.code === "unrecognized_keys") {
      const where = issue.path.length === 0 ? "" : String(issue.path[0]);
      for (const key of issue.keys) {
        const expectation = issue.path.length === 0 || where === "options" || (where === "foreignCatalog" && issue.path.length === 1)
          ? unknownConnectionFieldExpectation(spec, where, key, CONNECTION_PROPS_FIELDS)
          : "expected one of the grant fields principal, privileges";
        const value = valueAt(props, [...issue.path, key]);
        problems.push({ field: fieldPath([...issue.path, key]), message: `${expectation}, found unknown field "${key}" with ${found(value, sensitive || isSensitive([key], value))}` });
      }
      continue;
    }
    const text = issue.code === "invalid_key" ? refusedKeyMessage(issue) : issue.message;
    const message = /, found /.test(text) ? text : `${text}, found ${found(valueAt(props, issue.path), sensitive)}`;
    if (!problems.some((p) => p.field === fieldPath(issue.path) && p.message === message)) problems.push({ field: fieldPath(issue.path), message });
  }
  return problems;
}

/**
 * Checks untyped props against the connection type's rules; returns the spec.
 * @param scope the construct: its path prefixes every message and its stack resolves secrets
 * @throws ConnectionConfigError naming every bad field
 */
export function validateConnectionProps(props: unknown, scope?: IConstruct): ConnectionTypeSpec {
  const problems = connectionPropsProblems(props, scope);
  if (problems.length > 0) throw new ConnectionConfigError(problems, scope?.node.path);
  return connectionTypeSpec((props as Record<string, unknown>).connectionType)!;
}
