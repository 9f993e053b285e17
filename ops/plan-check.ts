/**
 * Reading Terraform's JSON (`terraform show -json <planfile>` and `terraform show -json` of the state;
 * format: Terraform "JSON Output Format" docs, `resource_changes[].change.actions`, `values.root_module`)
 * and checking a saved plan against the change set a command expects. Pure: no I/O.
 */
import { EXIT, OpsError } from "./exit-codes";

/** A planned resource change: `create`, `delete`, `update`, `replace` (delete and create, either order), or Terraform's other action words joined by `+`. */
export interface ResourceChange {
  readonly address: string;
  readonly action: string;
}

/** A change a command expects, e.g. sleep: `{ address: "aws_nat_gateway.x", action: "delete" }`. */
export type ExpectedChange = ResourceChange;

export interface PlanCheck {
  /** The plan's resource changes equal the expected set (plus the accepted extra ones), no more, no less. */
  readonly ok: boolean;
  /** Expected and planned with that action. */
  readonly matched: readonly ResourceChange[];
  /** Planned and not expected (or planned with another action). */
  readonly unexpected: readonly ResourceChange[];
  /** Expected and not planned (or planned with another action). */
  readonly missing: readonly ExpectedChange[];
  /** Planned, not expected, but in the accepted extra set (--known-drift). */
  readonly accepted: readonly ResourceChange[];
}

type PlanJson = {
  errored?: boolean;
  resource_changes?: { address: string; mode?: string; deposed?: string; change: { actions: string[] } }[];
};

/** Parses `text` as JSON from `what` (a Terraform command), naming it when it is not. */
export function parseTerraformJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new OpsError(EXIT.FAILURE, `${what} did not print JSON (${(e as Error).message})`);
  }
}

function actionOf(actions: readonly string[]): string {
  const key = actions.join(",");
  if (key === "delete,create" || key === "create,delete") return "replace";
  return actions.join("+");
}

/**
 * The resource changes of a plan, without `no-op` and `read` (data sources read at apply time change
 * nothing). A deposed object is its own change, `<address> (deposed <key>)`.
 * @throws OpsError FAILURE when the plan says it errored
 */
export function resourceChanges(plan: unknown): ResourceChange[] {
  const p = plan as PlanJson;
  if (p.errored) throw new OpsError(EXIT.FAILURE, "the plan errored (terraform show -json: errored = true)");
  return (p.resource_changes ?? [])
    .filter((c) => !["no-op", "read"].includes(actionOf(c.change.actions)))
    .map((c) => ({ address: c.deposed ? `${c.address} (deposed ${c.deposed})` : c.address, action: actionOf(c.change.actions) }));
}

const key = (c: ResourceChange) => `${c.address}\u0000${c.action}`;

/** Compares the plan's resource changes with `expected`; `accepted` are further changes let through. */
export function checkPlan(plan: unknown, expected: readonly ExpectedChange[], accepted: readonly ResourceChange[] = []): PlanCheck {
  const planned = resourceChanges(plan);
  const expectedKeys = new Set(expected.map(key));
  const acceptedKeys = new Set(accepted.map(key));
  const plannedKeys = new Set(planned.map(key));
  const matched = planned.filter((c) => expectedKeys.has(key(c)));
  const extra = planned.filter((c) => !expectedKeys.has(key(c)));
  const acceptedHere = extra.filter((c) => acceptedKeys.has(key(c)));
  const unexpected = extra.filter((c) => !acceptedKeys.has(key(c)));
  const missing = expected.filter((c) => !plannedKeys.has(key(c)));
  return { ok: unexpected.length === 0 && missing.length === 0, matched, unexpected, missing, accepted: acceptedHere };
}

/** The check as lines for people: what matched, and what is unexpected or missing, with actions. */
export function formatPlanCheck(check: PlanCheck, stackId: string): string {
  const lines: string[] = [];
  const list = (changes: readonly ResourceChange[]) => changes.map((c) => `    ${c.action.padEnd(7)} ${c.address}`);
  if (check.ok) {
    lines.push(`The plan of ${stackId} changes exactly the expected ${check.matched.length} resource${check.matched.length === 1 ? "" : "s"}:`);
    lines.push(...list(check.matched));
  } else {
    lines.push(`The plan of ${stackId} is not the expected change set:`);
    if (check.unexpected.length > 0) lines.push(`  planned but not expected (${check.unexpected.length}):`, ...list(check.unexpected));
    if (check.missing.length > 0) lines.push(`  expected but not planned (${check.missing.length}):`, ...list(check.missing));
    if (check.matched.length > 0) lines.push(`  as expected (${check.matched.length}):`, ...list(check.matched));
  }
  if (check.accepted.length > 0) lines.push(`  also accepted as known drift (--known-drift, ${check.accepted.length}):`, ...list(check.accepted));
  return lines.join("\n");
}

/** Counts per action, e.g. `2 to create, 1 to replace`, or `no changes`. */
export function summarizeChanges(changes: readonly ResourceChange[]): string {
  if (changes.length === 0) return "no changes";
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
  return [...counts.entries()].map(([action, n]) => `${n} to ${action}`).join(", ");
}

export interface StateSummary {
  /** The state holds at least one managed resource. */
  readonly deployed: boolean;
  /** Addresses of the managed resources. */
  readonly addresses: ReadonlySet<string>;
  /** The `network_mode` output, when the state has it. */
  readonly networkMode?: string;
  /** The `credentials_expire_time` output, when the state has it. */
  readonly credentialsExpireTime?: string;
}

type StateModule = { resources?: { address: string; mode?: string }[]; child_modules?: StateModule[] };
type StateJson = { values?: { outputs?: Record<string, { value?: unknown; sensitive?: boolean }>; root_module?: StateModule } };

/**
 * Summarizes `terraform show -json` of the state. Only non-sensitive outputs named here are read; values
 * of other outputs and resources (secrets among them) are never kept.
 */
export function summarizeState(state: unknown): StateSummary {
  const values = (state as StateJson).values;
  const addresses = new Set<string>();
  const walk = (m: StateModule | undefined) => {
    for (const r of m?.resources ?? []) if (r.mode !== "data") addresses.add(r.address);
    for (const child of m?.child_modules ?? []) walk(child);
  };
  walk(values?.root_module);
  const output = (name: string) => {
    const o = values?.outputs?.[name];
    return o && !o.sensitive && typeof o.value === "string" ? o.value : undefined;
  };
  return { deployed: addresses.size > 0, addresses, networkMode: output("network_mode"), credentialsExpireTime: output("credentials_expire_time") };
}
