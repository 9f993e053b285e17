/**
 * Unity Catalog connections listed in `vars/<env>.json`: the construct's own zod rules
 * (constructs/connections/rules.ts) in the vars mode, so a bad entry fails at load time with the file and
 * field named, before anything is built. Secrets never appear here: each secret field of a connection
 * becomes a sensitive Terraform variable named by {@link connectionVariableName}.
 */
import { z } from "zod";
import type { ConnectionTypeSpec } from "../constructs/connections/connection-types";
import { connectionRule, connectionTypeSpec, literalField, secretFieldsInUse, type ConnectionRuleMode } from "../constructs/connections/rules";

/** Connection names become Terraform variable names, so the vars files use the portable subset of UC names. */
export const CONNECTION_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Top-level fields of a vars `connections` entry. */
export const CONNECTION_ENTRY_FIELDS: readonly string[] = ["name", "connectionType", "auth", "comment", "owner", "properties", "readOnly", "grants", "options", "foreignCatalog"];

/** `connection_<name>_<field in snake_case>`: set it as `TF_VAR_connection_<name>_<field>` at deploy time. */
export function connectionVariableName(connectionName: string, field: string): string {
  return `connection_${connectionName}_${field.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()}`;
}

/**
 * The vars mode: literal values only; secret option fields may not appear (the loader's secret scan
 * reports one with the TF_VAR_ variable to set instead); `auth` picks the secret of an exactly-one-of group.
 */
export const VARS_MODE: ConnectionRuleMode = {
  field: literalField,
  secret: () => z.never({ error: "expected no secret in a vars file: set it as a TF_VAR_connection_* variable at deploy time" }).optional(),
  exactlyOneOf: false,
  optionsDefaultEmpty: true,
  extraFields: (spec: ConnectionTypeSpec) => {
    const choices = spec.exactlyOneOf.flat();
    return {
      /** Which secret authenticates, where a source offers alternatives (Snowflake: `password` or `privateKey`). */
      auth: choices.length > 0
        ? z.enum(choices as [string, ...string[]], { error: `expected one of ${choices.join(", ")} (the secret ${spec.connectionType} authenticates with)` }).optional()
        : z.never({ error: `expected no auth: ${spec.connectionType} has no authentication alternatives` }).optional(),
    };
  },
};

/** A validated entry (the schema's output, typed loosely: its shape depends on `connectionType`). */
export interface ConnectionEntry {
  readonly name: string;
  readonly connectionType: string;
  readonly auth?: string;
  readonly options: Record<string, string | number | boolean>;
  readonly foreignCatalog?: { readonly name: string } & Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** One `connections` entry. */
export const connectionEntrySchema = connectionRule(VARS_MODE) as z.ZodType<ConnectionEntry>;

/** The secret fields an entry uses (by type and `auth`). */
export function connectionSecretFields(entry: Pick<ConnectionEntry, "connectionType" | "auth">): string[] {
  const spec = connectionTypeSpec(entry.connectionType);
  return spec ? secretFieldsInUse(spec, entry.auth) : [];
}

/** The Unity Catalog objects `management-<env>` creates for one vars entry, by name. */
export interface ConnectionCatalogNames {
  /** The connection's name (`databricks_connection.name`). */
  readonly connection: string;
  /** Its foreign catalog's name (`databricks_catalog.name` with `connection_name`); undefined when the entry has no `foreignCatalog`. */
  readonly foreignCatalog?: string;
}

/**
 * The names `management-<env>` gives the connections of `vars.connections` and their foreign catalogs, in
 * vars order: the stack passes each entry to `UnityCatalogConnection`, which names the connection `name`
 * and the foreign catalog `foreignCatalog.name` as given (constructs/connections/unity-catalog-connection.ts).
 * Whatever needs those names (`dbx check-connections`) reads them here; a synth test keeps this equal to
 * the synthesized stack.
 */
export function connectionCatalogNames(connections: readonly Pick<ConnectionEntry, "name" | "foreignCatalog">[]): ConnectionCatalogNames[] {
  return connections.map((c) => (c.foreignCatalog ? { connection: c.name, foreignCatalog: c.foreignCatalog.name } : { connection: c.name }));
}

/** Construct props for an entry: its settings plus `secrets` (field -> Terraform token) in `options`. */
export function connectionProps(entry: ConnectionEntry, secrets: Record<string, string>): Record<string, unknown> {
  const { auth: _auth, options, ...rest } = entry;
  return { ...rest, options: { ...options, ...secrets } };
}
