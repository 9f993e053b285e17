/**
 * Unity Catalog connections listed in `vars/<env>.json`: their schema, and the rules of the
 * `UnityCatalogConnection` construct applied at load time, so a bad entry fails with the file and field
 * named before anything is built. Secrets never appear here: each secret field of a connection becomes a
 * sensitive Terraform variable named by {@link connectionVariableName}.
 */
import { z } from "zod";
import { Lazy } from "cdktf";
import { ConnectionConfigError, connectionTypeSpec, secretFieldsInUse, validateConnectionProps } from "../constructs/connections";

/** Connection names become Terraform variable names, so the vars files use the portable subset of UC names. */
const CONNECTION_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export const connectionEntrySchema = z.strictObject({
  name: z.string().regex(CONNECTION_NAME, "expected a connection name of lowercase letters, digits and '_', starting with a letter (it names TF_VAR_ variables)"),
  /** API `connection_type` (MYSQL, POSTGRESQL, SNOWFLAKE, SQLDW, ...) or an alias such as `synapse`. */
  connectionType: z.string(),
  /** Non-secret options with friendly names (`host`, `port`, `user`, `warehouse`, `httpPath`, ...). */
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** Which secret authenticates, where a source offers alternatives (Snowflake: `password` or `privateKey`). */
  auth: z.string().optional(),
  owner: z.string().optional(),
  comment: z.string().optional(),
  properties: z.record(z.string(), z.string()).optional(),
  readOnly: z.boolean().optional(),
  /** `{ name, database | catalog | serviceName | dataProjectId, comment?, owner?, grants? }` */
  foreignCatalog: z.record(z.string(), z.unknown()).optional(),
  grants: z.array(z.strictObject({ principal: z.string(), privileges: z.array(z.string()) })).optional(),
});

export type ConnectionEntry = z.output<typeof connectionEntrySchema>;

/** `connection_<name>_<field in snake_case>`: set it as `TF_VAR_connection_<name>_<field>` at deploy time. */
export function connectionVariableName(connectionName: string, field: string): string {
  return `connection_${connectionName}_${field.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()}`;
}

/** The secret fields an entry uses (by type and `auth`); throws ConnectionConfigError for a bad type or auth. */
export function connectionSecretFields(entry: ConnectionEntry): string[] {
  const spec = connectionTypeSpec(entry.connectionType);
  if (!spec) {
    // Let the construct's validator produce its standard "unknown connection type" message.
    validateConnectionProps({ name: entry.name, connectionType: entry.connectionType, options: {} });
    return [];
  }
  return secretFieldsInUse(spec, entry.auth);
}

/** Construct props for an entry: its settings plus `secrets` (field -> Terraform token) in `options`. */
export function connectionProps(entry: ConnectionEntry, secrets: Record<string, string>): Record<string, unknown> {
  const { auth: _auth, options, ...rest } = entry;
  return { ...rest, options: { ...options, ...secrets } };
}

/**
 * Problems of one entry as (path inside the entry, expectation) pairs; empty when the construct would
 * accept it. Secret fields must not be in `options`; the construct's own validation runs with
 * placeholder tokens in their place.
 */
export function connectionProblems(entry: ConnectionEntry): { path: (string | number)[]; message: string }[] {
  try {
    const secretFields = connectionSecretFields(entry);
    const literal = secretFields.find((f) => f in entry.options);
    if (literal) {
      return [{ path: ["options", literal], message: `expected no secret in a vars file: set TF_VAR_${connectionVariableName(entry.name, literal)} at deploy time instead` }];
    }
    const placeholders = Object.fromEntries(secretFields.map((f) => [f, Lazy.stringValue({ produce: () => "" })]));
    validateConnectionProps(connectionProps(entry, placeholders));
    return [];
  } catch (e) {
    if (!(e instanceof ConnectionConfigError)) throw e;
    const detail = e.message.slice(e.message.indexOf(`${e.field}: `) + e.field.length + 2);
    return [{ path: e.field.replace(/\[(\d+)\]/g, ".$1").split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)), message: `expected a valid connection setting (${detail})` }];
  }
}
