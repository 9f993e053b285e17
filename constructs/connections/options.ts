/**
 * Maps the construct's friendly, typed options to the provider's `options` maps: exact option keys
 * (`sfWarehouse`, `pem_private_key`, `GoogleServiceAccountKeyJson`) and string values (`"3306"`,
 * `"true"`). Both `databricks_connection.options` and `databricks_catalog.options` are
 * `map(string)` (provider `docs/resources/connection.md`, `docs/resources/catalog.md`).
 *
 * Inputs are assumed validated (see `validation.ts`).
 */
import { Token } from "cdktf";
import { ConnectionTypeSpec } from "./connection-types";

function render(value: unknown): string {
  if (typeof value === "string") return value;
  // Number tokens and boolean tokens become string tokens; literals become "3306", "true".
  if (Token.isUnresolved(value)) return Token.asString(value);
  return String(value);
}

/**
 * Provider `databricks_connection.options` for validated `options`; the default port is filled in
 * when the source has one and `port` is omitted. Keys come out in the spec's order.
 */
export function toConnectionOptions(spec: ConnectionTypeSpec, options: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of spec.options) {
    let value = options[o.field];
    if (value === undefined && o.kind === "port") value = spec.defaultPort;
    if (value === undefined) continue;
    out[o.optionKey] = render(value);
  }
  return out;
}

/**
 * Provider `databricks_catalog.options` for a validated `foreignCatalog`: the one key naming the
 * remote entity (`database`, `catalog`, `service_name`, `dataProjectId`), or undefined when the
 * source takes none or it was omitted.
 */
export function toForeignCatalogOptions(
  spec: ConnectionTypeSpec,
  foreignCatalog: Readonly<Record<string, unknown>>,
): Record<string, string> | undefined {
  const { field, optionKey } = spec.foreignCatalog;
  if (!field || !optionKey) return undefined;
  const value = foreignCatalog[field];
  if (value === undefined) return undefined;
  return { [optionKey]: render(value) };
}
