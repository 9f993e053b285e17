/**
 * Constructor-time validation of {@link UnityCatalogConnectionProps}. Props may come from untyped
 * JSON (the config layer), so everything the types promise is checked again at runtime: the
 * connection type, the keys of `options` and `foreignCatalog`, value types and ranges, names,
 * privileges, and that secrets are Terraform tokens. Values that are tokens (resolved at deploy
 * time) are not inspected beyond that.
 *
 * Error messages name the field and the bad value, except for secrets, whose value is never echoed.
 */
import { Token } from "cdktf";
import {
  ACCEPTED_CONNECTION_TYPE_INPUTS,
  ConnectionOptionSpec,
  ConnectionTypeSpec,
  SUPPORTED_CONNECTION_TYPES,
} from "./connection-types";
import { CATALOG_PRIVILEGES, CONNECTION_PRIVILEGES } from "./types";

/** A props problem found by {@link UnityCatalogConnection}'s constructor. */
export class ConnectionConfigError extends Error {
  /** Path of the offending field in the props, e.g. `options.port`. */
  public readonly field: string;

  constructor(field: string, detail: string, where?: string) {
    super(`${where ? `UnityCatalogConnection ${where}: ` : ""}${field}: ${detail}`);
    this.name = "ConnectionConfigError";
    this.field = field;
  }
}

/** Unity Catalog securable names: at most this many characters. */
export const MAX_NAME_LENGTH = 255;

type Obj = Record<string, unknown>;

function show(value: unknown): string {
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validation context: the construct path, prefixed to every message. */
export class Validator {
  constructor(private readonly where?: string) {}

  fail(field: string, detail: string): never {
    throw new ConnectionConfigError(field, detail, this.where);
  }

  /** Resolves `connectionType` (API value or alias) to its spec. */
  connectionType(value: unknown, field = "connectionType"): ConnectionTypeSpec {
    const known = typeof value === "string" ? connectionTypeSpec(value) : undefined;
    if (known) return known;
    const hint =
      typeof value === "string" && value.toUpperCase() === "SYNAPSE"
        ? ' (Azure Synapse is "SQLDW" in the API; "synapse" is accepted as an alias)'
        : "";
    return this.fail(
      field,
      `unknown connection type ${show(value)}${hint}; supported: ${ACCEPTED_CONNECTION_TYPE_INPUTS.join(", ")}`,
    );
  }

  /** Rejects keys of `obj` not in `allowed`; `hints` maps a likely mistake to the right key. */
  keys(obj: Obj, allowed: readonly string[], field: string, what: string, hints: Record<string, string> = {}): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        const hint = hints[key] ? ` (did you mean "${hints[key]}"?)` : "";
        this.fail(`${field ? `${field}.` : ""}${key}`, `${show(key)} is not a valid ${what}${hint}; valid: ${allowed.join(", ")}`);
      }
    }
  }

  object(value: unknown, field: string): Obj {
    if (!isObject(value)) this.fail(field, `must be an object, got ${show(value)}`);
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== "string") this.fail(field, `must be a string, got ${show(value)}`);
    if (!Token.isUnresolved(value) && value.trim() === "") this.fail(field, "must not be empty");
    return value;
  }

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== "boolean" && !Token.isUnresolved(value)) this.fail(field, `must be a boolean, got ${show(value)}`);
    return value as boolean;
  }

  stringMap(value: unknown, field: string): Record<string, string> {
    const obj = this.object(value, field);
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v !== "string") this.fail(`${field}.${k}`, `must be a string, got ${show(v)}`);
    }
    return obj as Record<string, string>;
  }

  /**
   * Unity Catalog name rule used here: non-empty, at most 255 characters, no period, space,
   * forward slash, or ASCII control character (U+0000–U+001F, U+007F).
   */
  ucName(value: unknown, field: string): string {
    const name = this.string(value, field);
    if (Token.isUnresolved(name)) return name;
    if (name.length > MAX_NAME_LENGTH) this.fail(field, `${show(name)} is ${name.length} characters; Unity Catalog names have at most ${MAX_NAME_LENGTH}`);
    // eslint-disable-next-line no-control-regex
    const bad = /[. /\u0000-\u001f\u007f]/.exec(name);
    if (bad) {
      const what = bad[0] === "." ? "a period" : bad[0] === " " ? "a space" : bad[0] === "/" ? "a forward slash" : "a control character";
      this.fail(field, `${show(name)} contains ${what}; Unity Catalog names cannot contain periods, spaces, forward slashes or control characters`);
    }
    return name;
  }

  /** Host name or IPv4 address: no scheme, path, port or whitespace. Tokens pass. */
  host(value: unknown, field: string): string {
    const host = this.string(value, field);
    if (Token.isUnresolved(host)) return host;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host) || /^jdbc:/i.test(host)) {
      this.fail(field, `${show(host)} has a scheme; give the host name only (e.g. "db.example.com"), without "jdbc:", "https://" or similar`);
    }
    if (host.includes("/")) this.fail(field, `${show(host)} has a path; give the host name only`);
    if (host.includes(":")) this.fail(field, `${show(host)} has a port (or is an IPv6 literal); give the host name only and the port in the port field`);
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/.test(host)) {
      this.fail(field, `${show(host)} is not a host name or IPv4 address`);
    }
    return host;
  }

  /** Integer in 1–65535. Number tokens pass. */
  port(value: unknown, field: string): number {
    if (Token.isUnresolved(value)) return value as number;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
      this.fail(field, `must be an integer between 1 and 65535, got ${show(value)}`);
    }
    return value;
  }

  /** URL path starting with "/" (e.g. a SQL warehouse HTTP path). Tokens pass. */
  path(value: unknown, field: string): string {
    const path = this.string(value, field);
    if (Token.isUnresolved(path)) return path;
    if (!path.startsWith("/")) this.fail(field, `${show(path)} must be a path starting with "/", e.g. "/sql/1.0/warehouses/abc123"`);
    return path;
  }

  /** A secret must be a Terraform token; the value of a literal is never echoed. */
  secret(value: unknown, field: string): string {
    if (typeof value !== "string") this.fail(field, `is a secret and must be a Terraform token string, got a ${value === null ? "null" : typeof value}`);
    if (!Token.isUnresolved(value)) {
      this.fail(
        field,
        "is a secret and must be a Terraform token (e.g. the .stringValue of a TerraformVariable with sensitive: true, set by TF_VAR_* at deploy time), not a literal string: a literal would be written to cdk.tf.json",
      );
    }
    return value;
  }

  option(spec: ConnectionOptionSpec, value: unknown, field: string): unknown {
    if (spec.secret) return this.secret(value, field);
    switch (spec.kind) {
      case "host":
        return this.host(value, field);
      case "port":
        return this.port(value, field);
      case "boolean":
        return this.boolean(value, field);
      case "path":
        return this.path(value, field);
      case "string":
        return this.string(value, field);
    }
  }

  grants(value: unknown, allowed: readonly string[], field: string, securable: string): void {
    if (!Array.isArray(value)) this.fail(field, `must be a list of { principal, privileges }, got ${show(value)}`);
    value.forEach((grant, i) => {
      const f = `${field}[${i}]`;
      const g = this.object(grant, f);
      this.keys(g, ["principal", "privileges"], f, "grant field");
      this.string(g.principal, `${f}.principal`);
      if (!Array.isArray(g.privileges) || g.privileges.length === 0) {
        this.fail(`${f}.privileges`, `must be a non-empty list, got ${show(g.privileges)}`);
      }
      g.privileges.forEach((p: unknown, j: number) => {
        if (typeof p !== "string" || !allowed.includes(p)) {
          this.fail(`${f}.privileges[${j}]`, `${show(p)} is not a privilege on a ${securable}; valid: ${allowed.join(", ")}`);
        }
      });
    });
  }
}

const TOP_LEVEL_FIELDS = ["name", "connectionType", "comment", "owner", "properties", "readOnly", "grants", "options", "foreignCatalog", "provider", "dependsOn"];
const FOREIGN_CATALOG_FIELDS = ["name", "comment", "owner", "properties", "isolationMode", "forceDestroy", "grants"];

/**
 * Checks untyped props against the connection type's spec; returns the spec.
 * @throws ConnectionConfigError naming the first bad field
 */
export function validateConnectionProps(props: unknown, where?: string): ConnectionTypeSpec {
  const v = new Validator(where);
  const p = v.object(props, "props");
  const spec = v.connectionType(p.connectionType);
  v.keys(p, TOP_LEVEL_FIELDS, "", "UnityCatalogConnection prop");
  v.ucName(p.name, "name");
  if (p.comment !== undefined) v.string(p.comment, "comment");
  if (p.owner !== undefined) v.string(p.owner, "owner");
  if (p.properties !== undefined) v.stringMap(p.properties, "properties");
  if (p.readOnly !== undefined) v.boolean(p.readOnly, "readOnly");

  // options: allowed keys for this type, required fields, exactly-one-of groups, values.
  const options = v.object(p.options, "options");
  const hints: Record<string, string> = {};
  for (const o of spec.options) if (o.optionKey !== o.field) hints[o.optionKey] = o.field;
  v.keys(options, spec.options.map((o) => o.field), "options", `${spec.connectionType} option`, hints);
  for (const o of spec.options) {
    const value = options[o.field];
    if (value === undefined) {
      if (o.required) v.fail(`options.${o.field}`, `is required for ${spec.connectionType}`);
      continue;
    }
    v.option(o, value, `options.${o.field}`);
  }
  for (const group of spec.exactlyOneOf) {
    const given = group.filter((f) => options[f] !== undefined);
    if (given.length !== 1) {
      v.fail(
        `options.${group.join("|")}`,
        `${spec.connectionType} needs exactly one of ${group.map((f) => `options.${f}`).join(", ")}; got ${given.length === 0 ? "none" : given.join(" and ")}`,
      );
    }
  }

  if (p.grants !== undefined) v.grants(p.grants, CONNECTION_PRIVILEGES, "grants", "connection");

  if (p.foreignCatalog !== undefined) {
    const fc = v.object(p.foreignCatalog, "foreignCatalog");
    const fcSpec = spec.foreignCatalog;
    v.keys(fc, fcSpec.field ? [...FOREIGN_CATALOG_FIELDS, fcSpec.field] : FOREIGN_CATALOG_FIELDS, "foreignCatalog", `foreign catalog field for ${spec.connectionType}`);
    v.ucName(fc.name, "foreignCatalog.name");
    if (fcSpec.field) {
      const value = fc[fcSpec.field];
      if (value === undefined) {
        if (fcSpec.required) v.fail(`foreignCatalog.${fcSpec.field}`, `is required for a ${spec.connectionType} foreign catalog (emitted as option "${fcSpec.optionKey}")`);
      } else {
        v.string(value, `foreignCatalog.${fcSpec.field}`);
      }
    }
    if (fc.comment !== undefined) v.string(fc.comment, "foreignCatalog.comment");
    if (fc.owner !== undefined) v.string(fc.owner, "foreignCatalog.owner");
    if (fc.properties !== undefined) v.stringMap(fc.properties, "foreignCatalog.properties");
    if (fc.forceDestroy !== undefined) v.boolean(fc.forceDestroy, "foreignCatalog.forceDestroy");
    if (fc.isolationMode !== undefined && fc.isolationMode !== "ISOLATED" && fc.isolationMode !== "OPEN") {
      v.fail("foreignCatalog.isolationMode", `must be "ISOLATED" or "OPEN", got ${show(fc.isolationMode)}`);
    }
    if (fc.grants !== undefined) v.grants(fc.grants, CATALOG_PRIVILEGES, "foreignCatalog.grants", "catalog");
  }
  return spec;
}

/** The spec for a `connectionType` input (API value or alias, case as documented); undefined when unknown. */
export function connectionTypeSpec(input: string): ConnectionTypeSpec | undefined {
  return Object.values(SUPPORTED_CONNECTION_TYPES).find((s) => s.connectionType === input || s.aliases.includes(input));
}

/**
 * The secret option fields a connection of `spec` uses: every required secret, plus the chosen member of
 * each exactly-one-of group (`chosen`, default the group's first field, e.g. Snowflake `password`).
 * @throws ConnectionConfigError naming `auth` when `chosen` belongs to no group of the type.
 */
export function secretFieldsInUse(spec: ConnectionTypeSpec, chosen?: string): string[] {
  const groups = spec.exactlyOneOf;
  if (chosen !== undefined && !groups.some((g) => g.includes(chosen))) {
    const choices = groups.flat();
    throw new ConnectionConfigError("auth", choices.length > 0 ? `must be one of ${choices.join(", ")} for ${spec.connectionType}, got ${JSON.stringify(chosen)}` : `${spec.connectionType} has no authentication alternatives; remove auth`);
  }
  const required = spec.options.filter((o) => o.secret && o.required).map((o) => o.field);
  return [...required, ...groups.map((g) => (chosen !== undefined && g.includes(chosen) ? chosen : g[0]))];
}
