/**
 * Unity Catalog grants of a consumer: exactly the securables it lists (a catalog, a `catalog.schema` or a
 * `catalog.schema.table`), read-only unless it names other privileges.
 *
 * Field facts:
 * - provider `docs/resources/grants.md` ("Catalog grants", "Schema grants", "Table grants"): which privileges
 *   each securable takes; privileges are inherited downward (a catalog's `SELECT` covers its tables).
 * - provider `docs/resources/grant.md`: `databricks_grant` is authoritative for one principal and leaves the
 *   other principals' grants alone; `databricks_grants` is authoritative for the whole securable and
 *   *replaces* every grant made outside it. So a principal's grant on a securable whose grants a
 *   `databricks_grants` already manages must join that resource: a `databricks_grant` beside it would be
 *   revoked on every apply and re-added on the next.
 * - Unity Catalog privilege reference: reaching a schema needs `USE_CATALOG` on its catalog, reaching a table
 *   needs `USE_CATALOG` and `USE_SCHEMA` (granted on its schema or, inherited, on its catalog).
 */
import { CATALOG_PRIVILEGES } from "../connections/types";
import { UC_NAME } from "../unity-catalog/defaults";

/** The securables a consumer may be granted on, in `databricks_grant`'s argument names. */
export const CONSUMER_SECURABLE_TYPES = ["catalog", "schema", "table"] as const;
export type ConsumerSecurableType = (typeof CONSUMER_SECURABLE_TYPES)[number];

/** Privileges each securable takes (provider `docs/resources/grants.md`). */
export const CONSUMER_PRIVILEGES: Readonly<Record<ConsumerSecurableType, readonly string[]>> = {
  catalog: CATALOG_PRIVILEGES,
  schema: ["ALL_PRIVILEGES", "APPLY_TAG", "CREATE_FUNCTION", "CREATE_TABLE", "CREATE_VOLUME", "EXECUTE", "MANAGE", "MODIFY", "READ_VOLUME", "REFRESH", "SELECT", "USE_SCHEMA", "WRITE_VOLUME"],
  table: ["ALL_PRIVILEGES", "APPLY_TAG", "MANAGE", "MODIFY", "SELECT"],
};

/** What a grant gives when it names no privileges: read-only access to the securable and everything in it. */
export const READ_ONLY_PRIVILEGES: Readonly<Record<ConsumerSecurableType, readonly string[]>> = {
  catalog: ["USE_CATALOG", "USE_SCHEMA", "SELECT"],
  schema: ["USE_SCHEMA", "SELECT"],
  table: ["SELECT"],
};

/**
 * One grant of a consumer: exactly one of `catalog`, `schema` (`catalog.schema`) or `table`
 * (`catalog.schema.table`), each part a Unity Catalog name ({@link UC_NAME}).
 */
export interface ConsumerGrant {
  readonly catalog?: string;
  readonly schema?: string;
  readonly table?: string;
  /**
   * Privileges on the securable, from {@link CONSUMER_PRIVILEGES}.
   * @default {@link READ_ONLY_PRIVILEGES} of the securable's type
   */
  readonly privileges?: readonly string[];
}

/** A grant with its securable resolved: type, full name, catalog and privileges (defaults applied). */
export interface ResolvedConsumerGrant {
  readonly type: ConsumerSecurableType;
  /** Full name: `catalog`, `catalog.schema` or `catalog.schema.table`. */
  readonly name: string;
  readonly catalog: string;
  /** `catalog.schema` for schemas and tables. */
  readonly schema?: string;
  readonly privileges: readonly string[];
}

/** A problem of a consumer's grants: the path inside the grant list and the expectation. */
export interface GrantProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const PARTS: Record<ConsumerSecurableType, number> = { catalog: 1, schema: 2, table: 3 };
const SHAPES: Record<ConsumerSecurableType, string> = { catalog: "<catalog>", schema: "<catalog>.<schema>", table: "<catalog>.<schema>.<table>" };

/** The securable of one grant, or a problem (path relative to the grant). */
export function resolveGrant(grant: ConsumerGrant): ResolvedConsumerGrant | GrantProblem {
  const given = CONSUMER_SECURABLE_TYPES.filter((t) => grant[t] !== undefined);
  if (given.length !== 1) {
    return { path: [], message: `expected exactly one of ${CONSUMER_SECURABLE_TYPES.join(", ")} (${given.length === 0 ? "none is" : `${given.join(" and ")} are`} set)` };
  }
  const type = given[0];
  const name = String(grant[type]);
  const parts = name.split(".");
  if (parts.length !== PARTS[type] || !parts.every((p) => UC_NAME.test(p))) {
    return { path: [type], message: `expected ${SHAPES[type]}, each part letters, digits, '-' or '_'` };
  }
  const privileges = grant.privileges ?? READ_ONLY_PRIVILEGES[type];
  if (privileges.length === 0) return { path: ["privileges"], message: "expected at least 1 privilege (leave the field out for read-only access)" };
  const bad = privileges.findIndex((p) => !CONSUMER_PRIVILEGES[type].includes(p));
  if (bad >= 0) return { path: ["privileges", bad], message: `expected a privilege on a ${type}: one of ${CONSUMER_PRIVILEGES[type].join(", ")}` };
  return { type, name, catalog: parts[0], schema: type === "catalog" ? undefined : `${parts[0]}.${parts[1]}`, privileges: [...privileges] };
}

function isProblem(r: ResolvedConsumerGrant | GrantProblem): r is GrantProblem {
  return "message" in r;
}

/**
 * Every problem of one consumer's grant list (paths relative to the list): a securable given twice (two
 * resources for one principal and securable would overwrite each other), or a schema or table the consumer
 * cannot reach because it lacks `USE_CATALOG` on the catalog or `USE_SCHEMA` on the schema or catalog.
 */
export function consumerGrantProblems(grants: readonly ConsumerGrant[]): GrantProblem[] {
  const problems: GrantProblem[] = [];
  const resolved: (ResolvedConsumerGrant | undefined)[] = grants.map((g, i) => {
    const r = resolveGrant(g);
    if (isProblem(r)) {
      problems.push({ path: [i, ...r.path], message: r.message });
      return undefined;
    }
    return r;
  });
  const has = (type: ConsumerSecurableType, name: string, privilege: string) =>
    resolved.some((r) => r?.type === type && r.name === name && (r.privileges.includes(privilege) || r.privileges.includes("ALL_PRIVILEGES")));
  resolved.forEach((r, i) => {
    if (!r) return;
    if (resolved.findIndex((o) => o?.type === r.type && o.name === r.name) !== i) {
      problems.push({ path: [i, r.type], message: `expected each securable once per consumer (merge the privileges into the first grant on ${r.name})` });
      return;
    }
    if (r.type === "catalog") return;
    if (!has("catalog", r.catalog, "USE_CATALOG")) {
      problems.push({ path: [i, r.type], message: `expected the consumer to also hold USE_CATALOG on catalog ${r.catalog} (a grant { "catalog": "${r.catalog}", "privileges": ["USE_CATALOG"] }): without it ${r.name} cannot be reached` });
    }
    if (r.type === "table" && !has("schema", r.schema!, "USE_SCHEMA") && !has("catalog", r.catalog, "USE_SCHEMA")) {
      problems.push({ path: [i, r.type], message: `expected the consumer to also hold USE_SCHEMA on schema ${r.schema} or on catalog ${r.catalog}: without it ${r.name} cannot be reached` });
    }
  });
  return problems;
}

/**
 * The resolved grants of a list that {@link consumerGrantProblems} accepts.
 * @throws Error naming the grant (`<what>[i]`) and the problem when the list has one.
 */
export function resolveConsumerGrants(what: string, grants: readonly ConsumerGrant[]): ResolvedConsumerGrant[] {
  const problems = consumerGrantProblems(grants);
  if (problems.length > 0) {
    const p = problems[0];
    const field = p.path.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");
    const found = p.path.reduce<unknown>((node, k) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[k] : undefined), grants);
    throw new Error(`${what}${field}: ${p.message}, found ${JSON.stringify(found)}`);
  }
  return grants.map((g) => resolveGrant(g) as ResolvedConsumerGrant);
}

/** One `grant` block of a `databricks_grants` resource: a principal and its privileges. */
export interface PrincipalGrant {
  readonly principal: string;
  readonly privileges: string[];
}

/**
 * The grant blocks that consumers' grants on `catalog` add to that catalog's `databricks_grants` (the
 * catalogs of `authoritativeCatalogs` in {@link WorkspaceConsumersProps}): one block per consumer, principal
 * = the consumer's application id.
 */
export function consumerCatalogGrantBlocks(
  consumers: readonly { readonly name: string; readonly applicationId: string; readonly grants: readonly ConsumerGrant[] }[],
  catalog: string,
): PrincipalGrant[] {
  return consumers.flatMap((c) =>
    resolveConsumerGrants(`consumers.${c.name}.grants`, c.grants)
      .filter((g) => g.type === "catalog" && g.name === catalog)
      .map((g) => ({ principal: c.applicationId, privileges: [...g.privileges] })),
  );
}
