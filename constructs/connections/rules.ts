/**
 * The rules of a Unity Catalog connection, expressed once, in zod, and derived from
 * {@link SUPPORTED_CONNECTION_TYPES}: the construct validates its props with them, the vars loader
 * (config/connections.ts) validates `connections` entries with them, and the vars JSON Schema is emitted
 * from them. One builder, two modes ({@link ConnectionRuleMode}): in the construct a value may also be a
 * Terraform token and a secret must be a reference; in a vars file there are no tokens and no secrets.
 *
 * Every message is an expectation ("expected …"); the consumer says what was found, and never shows the
 * value of an option (the provider keeps the whole `options` map sensitive).
 *
 * Sources: Databricks "Names" (SQL language manual: at most 255 characters, no period, space, forward slash
 * or control character), Databricks "Reserved words and schemas" (reserved catalog names), provider
 * `docs/resources/connection.md`, `catalog.md`, `grants.md`.
 */
import { z } from "zod";
import { mapKey, mapOf } from "../security/map-keys";
import { isSecretLikeKey, secretShapeOf } from "../security/secret-patterns";
import { ACCEPTED_CONNECTION_TYPE_INPUTS, SUPPORTED_CONNECTION_TYPES, type ConnectionOptionSpec, type ConnectionTypeSpec, type OptionKind } from "./connection-types";
import { CATALOG_PRIVILEGES, CONNECTION_PRIVILEGES } from "./types";

/** Unity Catalog securable names: at most this many characters (Databricks "Names"). */
export const MAX_NAME_LENGTH = 255;

/**
 * Comments of connections and catalogs: at most this many characters. Databricks documents no limit; this
 * bound is the project's choice (a comment forces replacement of the connection, so it is a short
 * description, and 1024 keeps plans readable; BigQuery, a federation source, uses the same bound for
 * descriptions).
 */
export const MAX_COMMENT_LENGTH = 1024;

/**
 * Catalog names Databricks reserves: names starting with `sys` or `databricks` ("Reserved words and
 * schemas", reserved catalog names; `system` is the system-tables catalog), plus the catalogs every
 * Unity Catalog workspace already shows: `hive_metastore` (the workspace's legacy metastore) and `samples`
 * (the sample data catalog). Unity Catalog stores names in lower case, so the check ignores case.
 */
export const RESERVED_CATALOG_NAME_PREFIXES: readonly string[] = ["sys", "databricks"];
export const RESERVED_CATALOG_NAMES: readonly string[] = ["hive_metastore", "samples"];

/** How the rules treat values: see {@link CONSTRUCT_MODE} in the construct and `VARS_MODE` in config/. */
export interface ConnectionRuleMode {
  /** Turns a literal-value rule into the schema of one field (`optional` when the field may be omitted). */
  readonly field: (rule: z.ZodType, optional: boolean) => z.ZodType;
  /** The schema of a secret option field. */
  readonly secret: (option: ConnectionOptionSpec, spec: ConnectionTypeSpec) => z.ZodType;
  /** Whether exactly-one-of option groups are checked (not in vars files, whose `auth` chooses). */
  readonly exactlyOneOf: boolean;
  /** Whether `options` may be omitted (vars files: a source whose only options are secrets has none). */
  readonly optionsDefaultEmpty: boolean;
  /** Fields added to every connection object (`provider`, `dependsOn` in the construct; `auth` in vars). */
  readonly extraFields: (spec: ConnectionTypeSpec) => z.ZodRawShape;
}

/** Literal values only: `field` is the rule itself (made optional where the field may be omitted). */
export const literalField = (rule: z.ZodType, optional: boolean): z.ZodType => (optional ? rule.optional() : rule);

/** Characters a Unity Catalog name may have: none of period, space, forward slash, control characters. */
// eslint-disable-next-line no-control-regex
export const UC_NAME_CHARACTERS = /^[^. /\u0000-\u001f\u007f]*$/;

/** A non-empty string; `what` names it in the message for a missing value. */
export function nonEmptyString(what: string): z.ZodType<string> {
  return z
    .string({ error: (iss) => (iss.input === undefined ? `expected ${what}` : `expected ${what}: a string`) })
    .refine((v) => v.trim() !== "", `expected ${what}, not an empty string`);
}

/** A Unity Catalog name (connection, catalog). */
export function ucName(what: string): z.ZodType<string> {
  return z
    .string({ error: (iss) => (iss.input === undefined ? `expected ${what}` : `expected ${what}: a string`) })
    .min(1, `expected ${what}, not an empty string`)
    .max(MAX_NAME_LENGTH, `expected ${what} of at most ${MAX_NAME_LENGTH} characters (Unity Catalog names)`)
    .regex(UC_NAME_CHARACTERS, `expected ${what} without a period, space, forward slash or control character (Unity Catalog names)`);
}

/** Why `name` is reserved as a catalog name, or undefined. */
export function reservedCatalogName(name: string): string | undefined {
  const lower = name.toLowerCase();
  const prefix = RESERVED_CATALOG_NAME_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix) return `names starting with "${prefix}" are reserved by Databricks`;
  if (RESERVED_CATALOG_NAMES.includes(lower)) return `"${lower}" is a catalog every workspace already has`;
  return undefined;
}

/** A catalog name: a Unity Catalog name that Databricks does not reserve. */
export function catalogName(what = "a catalog name"): z.ZodType<string> {
  return ucName(what).superRefine((name, ctx) => {
    const why = reservedCatalogName(name);
    if (why) ctx.addIssue({ code: "custom", message: `expected a catalog name Databricks does not reserve (${why})` });
  });
}

/** A comment: at most {@link MAX_COMMENT_LENGTH} characters and no credential in it. */
export const commentRule: z.ZodType<string> = z
  .string({ error: "expected a comment (a string)" })
  .max(MAX_COMMENT_LENGTH, `expected a comment of at most ${MAX_COMMENT_LENGTH} characters`)
  .superRefine((v, ctx) => {
    const shape = secretShapeOf(v);
    if (shape) ctx.addIssue({ code: "custom", message: `expected no credential in a comment, found ${shape}` });
  });

/**
 * Free-form `properties` (connection or catalog): string values, no key that names a secret and no value
 * shaped like a credential. The provider keeps only `options` sensitive; `properties` are written to
 * cdk.tf.json and shown in plans in clear (provider `docs/resources/connection.md`), so a secret never
 * belongs there; put it in `options` as a reference.
 */
export const propertiesRule: z.ZodType<Record<string, string>> = mapOf(mapKey, z.string({ error: "expected a string value" }), {
  // Only for the map itself: a refused key keeps its key schema's message (config/load.ts shows that one).
  error: (iss) => (iss.code === "invalid_type" ? "expected an object of string values" : undefined),
})
  .superRefine((props, ctx) => {
    for (const [key, value] of Object.entries(props)) {
      if (isSecretLikeKey(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: "expected no secret in properties (they are not sensitive: written to cdk.tf.json and shown in plans); this key names a secret" });
      } else if (typeof value === "string" && secretShapeOf(value)) {
        ctx.addIssue({ code: "custom", path: [key], message: `expected no credential in properties, found ${secretShapeOf(value)}` });
      }
    }
  });

/** Host name or IPv4 address: no scheme, path, port or whitespace. */
export function hostRule(what = "a host"): z.ZodType<string> {
  return nonEmptyString(what).superRefine((host, ctx) => {
    const problem = (rule: string) => ctx.addIssue({ code: "custom", message: `expected ${what}: ${rule}` });
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host) || /^jdbc:/i.test(host)) problem('a host name without a scheme such as "jdbc:" or "https://"');
    else if (host.includes("/")) problem("a host name without a path");
    else if (host.includes(":")) problem("a host name without a port (give it in port; IPv6 literals are not accepted)");
    else if (!/^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/.test(host)) problem("a host name or IPv4 address of letters, digits, '.', '-' and '_'");
  });
}

/** TCP port 1–65535. */
export function portRule(what = "a port"): z.ZodType<number> {
  const message = `expected ${what}: an integer from 1 to 65535`;
  return z.number({ error: message }).int(message).min(1, message).max(65535, message);
}

/** A URL path starting with `/`. */
export function pathRule(what = "a path"): z.ZodType<string> {
  return nonEmptyString(what).refine((v) => v.startsWith("/"), `expected ${what}: a path starting with "/", such as /sql/1.0/warehouses/abc123`);
}

/** true or false. */
export function booleanRule(what = "true or false"): z.ZodType<boolean> {
  return z.boolean({ error: `expected ${what}` });
}

const KIND_RULES: Record<OptionKind, (what: string) => z.ZodType> = {
  host: (what) => hostRule(what),
  port: (what) => portRule(what),
  boolean: () => booleanRule(),
  path: (what) => pathRule(what),
  string: (what) => nonEmptyString(what),
};

/** The rule of one (non-secret) option of `spec`. */
export function optionRule(option: ConnectionOptionSpec, spec: ConnectionTypeSpec): z.ZodType {
  return KIND_RULES[option.kind](`${option.field} (${option.required ? "required" : "optional"} for ${spec.connectionType})`);
}

/**
 * A `grants` list: at least one grant (omit the field for none: a `databricks_grants` resource owns every
 * grant on its securable, so an empty one would revoke them all), each with a principal named once and at
 * least one privilege valid on the securable, each privilege once (provider `docs/resources/grants.md`).
 */
export function grantsRule(privileges: readonly string[], securable: string, field: (rule: z.ZodType, optional: boolean) => z.ZodType = literalField): z.ZodType {
  const privilege = z.enum(privileges as [string, ...string[]], { error: `expected a privilege on a ${securable}: ${privileges.join(", ")}` });
  const grant = z.strictObject({
    principal: field(nonEmptyString("a principal (user name, group name or service principal application id)"), false),
    privileges: z
      .array(privilege, { error: "expected a list of privileges" })
      .min(1, "expected at least one privilege")
      .superRefine((list, ctx) => list.forEach((p, i) => list.indexOf(p) !== i && ctx.addIssue({ code: "custom", path: [i], message: "expected each privilege once" }))),
  });
  return z
    .array(grant, { error: "expected a list of { principal, privileges }" })
    .min(1, `expected at least one grant; omit grants to manage none (an empty databricks_grants would revoke every grant on the ${securable})`)
    .superRefine((list, ctx) =>
      list.forEach((g, i) => {
        if (typeof g.principal === "string" && list.findIndex((o) => o.principal === g.principal) !== i) {
          ctx.addIssue({ code: "custom", path: [i, "principal"], message: "expected each principal once (merge its privileges into one grant)" });
        }
      }),
    );
}

/** The `options` object of a connection of `spec`. */
export function optionsRule(spec: ConnectionTypeSpec, mode: ConnectionRuleMode): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const o of spec.options) {
    shape[o.field] = o.secret ? mode.secret(o, spec) : mode.field(optionRule(o, spec), !o.required);
  }
  const object = z.strictObject(shape, { error: (iss) => (iss.code === "invalid_type" ? `expected the ${spec.connectionType} options object` : undefined) });
  if (!mode.exactlyOneOf || spec.exactlyOneOf.length === 0) return object;
  return object.superRefine((options, ctx) => {
    for (const group of spec.exactlyOneOf) {
      const given = group.filter((f) => (options as Record<string, unknown>)[f] !== undefined);
      if (given.length !== 1) {
        ctx.addIssue({ code: "custom", path: [group.join("|")], message: `expected exactly one of ${group.join(", ")} for ${spec.connectionType}, found ${given.length === 0 ? "none" : given.join(" and ")}` });
      }
    }
  });
}

/** The `foreignCatalog` object of a connection of `spec`. */
export function foreignCatalogRule(spec: ConnectionTypeSpec, mode: ConnectionRuleMode): z.ZodType {
  const fc = spec.foreignCatalog;
  const shape: Record<string, z.ZodType> = {
    name: mode.field(catalogName("a foreign catalog name"), false),
    comment: mode.field(commentRule, true),
    owner: mode.field(nonEmptyString("an owner"), true),
    properties: propertiesRule.optional(),
    isolationMode: mode.field(z.enum(["ISOLATED", "OPEN"], { error: 'expected "ISOLATED" or "OPEN"' }), true),
    forceDestroy: mode.field(booleanRule(), true),
    grants: grantsRule(CATALOG_PRIVILEGES, "catalog", mode.field).optional(),
  };
  if (fc.field) {
    const what = `${fc.field} (the remote entity, emitted as catalog option "${fc.optionKey}"; ${fc.required ? "required" : "optional"} for a ${spec.connectionType} foreign catalog)`;
    shape[fc.field] = mode.field(nonEmptyString(what), !fc.required);
  }
  return z.strictObject(shape, { error: (iss) => (iss.code === "invalid_type" ? "expected a foreign catalog object" : undefined) });
}

/** The top-level fields of a connection of `spec` (common to both modes). */
function connectionShape(spec: ConnectionTypeSpec, mode: ConnectionRuleMode): z.ZodRawShape {
  const types = [spec.connectionType, ...spec.aliases] as [string, ...string[]];
  return {
    name: mode.field(ucName("a connection name"), false),
    connectionType: types.length === 1 ? z.literal(types[0]) : z.literal(types),
    comment: mode.field(commentRule, true),
    owner: mode.field(nonEmptyString("an owner"), true),
    properties: propertiesRule.optional(),
    readOnly: mode.field(booleanRule(), true),
    grants: grantsRule(CONNECTION_PRIVILEGES, "connection", mode.field).optional(),
    options: mode.optionsDefaultEmpty ? optionsRule(spec, mode).default({}) : optionsRule(spec, mode),
    foreignCatalog: foreignCatalogRule(spec, mode).optional(),
    ...mode.extraFields(spec),
  };
}

/** The expectation for an unknown or missing `connectionType`. */
export function connectionTypeExpectation(value: unknown): string {
  const hint = typeof value === "string" && value.toUpperCase() === "SYNAPSE" && value !== "synapse" ? ' (Azure Synapse is "SQLDW" in the API; "synapse" is accepted as an alias)' : "";
  return `expected a supported connection type${hint}: ${ACCEPTED_CONNECTION_TYPE_INPUTS.join(", ")}`;
}

/** One connection of the type `spec` describes. */
export function connectionRuleFor(spec: ConnectionTypeSpec, mode: ConnectionRuleMode): z.ZodType {
  return z.strictObject(connectionShape(spec, mode));
}

/** One connection: a union discriminated by `connectionType`, one strict object per supported type. */
export function connectionRule(mode: ConnectionRuleMode): z.ZodType {
  const variants = Object.values(SUPPORTED_CONNECTION_TYPES).map((spec) => connectionRuleFor(spec, mode));
  return z.discriminatedUnion("connectionType", variants as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (iss) => {
      if (iss.code !== "invalid_union") return iss.code === "invalid_type" ? "expected a connection object" : undefined;
      const input = iss.input as Record<string, unknown> | undefined;
      return connectionTypeExpectation(input && typeof input === "object" ? input.connectionType : undefined);
    },
  });
}

/** The spec for a `connectionType` input (API value or alias); undefined when unknown. */
export function connectionTypeSpec(input: unknown): ConnectionTypeSpec | undefined {
  return Object.values(SUPPORTED_CONNECTION_TYPES).find((s) => s.connectionType === input || s.aliases.includes(input as string));
}

/**
 * The expectation for an unknown field `key` of a connection object at `where` (`""` for the top level,
 * `"options"`, `"foreignCatalog"`), with a hint when `key` is a provider option key whose friendly field
 * differs (`sfWarehouse` → `warehouse`).
 */
export function unknownConnectionFieldExpectation(spec: ConnectionTypeSpec | undefined, where: string, key: string, topLevelFields: readonly string[]): string {
  if (where === "options" && spec) {
    const byKey = spec.options.find((o) => o.optionKey === key && o.field !== key);
    const hint = byKey ? ` (did you mean "${byKey.field}"?)` : "";
    return `expected one of the ${spec.connectionType} options ${spec.options.map((o) => o.field).join(", ")}${hint}`;
  }
  if (where === "foreignCatalog" && spec) {
    const fields = ["name", "comment", "owner", "properties", "isolationMode", "forceDestroy", "grants", ...(spec.foreignCatalog.field ? [spec.foreignCatalog.field] : [])];
    return `expected one of the foreign catalog fields for ${spec.connectionType}: ${fields.join(", ")}`;
  }
  return `expected one of the connection fields ${topLevelFields.join(", ")}`;
}

/**
 * The secret option fields a connection of `spec` uses: every required secret, plus the chosen member of
 * each exactly-one-of group (`chosen`, default the group's first field, e.g. Snowflake `password`).
 * Callers validate `chosen` first (the vars rule for `auth` does).
 */
export function secretFieldsInUse(spec: ConnectionTypeSpec, chosen?: string): string[] {
  const required = spec.options.filter((o) => o.secret && o.required).map((o) => o.field);
  return [...required, ...spec.exactlyOneOf.map((g) => (chosen !== undefined && g.includes(chosen) ? chosen : g[0]))];
}
