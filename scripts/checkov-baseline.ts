/**
 * Turns the per-resource checkov skips declared in code (`skipCheckov`, constructs/security/checkov-skips.ts,
 * written as `"//": { "checkov": { "skip": [{ "id", "comment" }] } }` on a resource or data source) into a
 * checkov baseline file, because checkov's terraform_json framework has no inline skips. Used by
 * scripts/scan-prepare.ts (the data handling of scripts/scan.sh).
 */
import { CHECKOV_CHECK_ID } from "../constructs/security/checkov-skips";
import { MIN_SUPPRESSION_REASON_LENGTH } from "../constructs/security/rules";

type Blocks = Record<string, Record<string, Record<string, unknown>>>;
export type StackJson = { resource?: Blocks; data?: Blocks };

export interface CheckovSkip {
  readonly stack: string;
  /** The Terraform address: `type.name` for resources, `data.type.name` for data sources. */
  readonly resource: string;
  readonly checkId: string;
  readonly reason: string;
}

/** checkov's baseline format (`checkov/common/output/baseline.py`, `Baseline.to_dict`). */
export interface CheckovBaseline {
  readonly failed_checks: { file: string; findings: { resource: string; check_ids: string[] }[] }[];
}

/** The skips of every stack and what is wrong with any of them. */
export function collectSkips(stacks: Record<string, StackJson>): { skips: CheckovSkip[]; problems: string[] } {
  const skips: CheckovSkip[] = [];
  const problems: string[] = [];
  for (const [stack, json] of Object.entries(stacks)) {
    for (const [kind, prefix] of [["resource", ""], ["data", "data."]] as const) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        for (const [name, body] of Object.entries(byName)) {
          const entries = (body["//"] as { checkov?: { skip?: unknown } } | undefined)?.checkov?.skip;
          if (entries === undefined) continue;
          const resource = `${prefix}${type}.${name}`;
          if (!Array.isArray(entries)) {
            problems.push(`${stack} ${resource}: "//".checkov.skip: expected a list of { id, comment }`);
            continue;
          }
          for (const entry of entries as { id?: unknown; comment?: unknown }[]) {
            const id = String(entry?.id ?? "");
            const reason = String(entry?.comment ?? "").trim();
            if (!CHECKOV_CHECK_ID.test(id)) problems.push(`${stack} ${resource}: expected a checkov check id such as CKV_AWS_24, found ${JSON.stringify(entry?.id)}`);
            else if (reason.length < MIN_SUPPRESSION_REASON_LENGTH) problems.push(`${stack} ${resource} ${id}: expected a reason of at least ${MIN_SUPPRESSION_REASON_LENGTH} characters, found ${JSON.stringify(reason)}`);
            else skips.push({ stack, resource, checkId: id, reason });
          }
        }
      }
    }
  }
  return { skips, problems };
}

/**
 * The names checkov 3.3 gives the entity at Terraform address `address` in terraform_json findings: graph
 * checks (CKV2_*) report the graph vertex id, `type.name` (`data.type.name` for data sources); Python checks
 * report `<block>.<name>`, i.e. `resource.name` or `data.name` (`checkov/terraform_json/runner.py`,
 * `run_block`: `entity_id = f"{block_type}.{entity_name}"`). A baseline entry matches on that name alone
 * (`checkov/common/output/baseline.py`, `_is_check_in_baseline`), so both are listed.
 */
export function checkovNames(address: string): string[] {
  const parts = address.split(".");
  const name = parts[parts.length - 1];
  return [address, `${parts[0] === "data" ? "data" : "resource"}.${name}`];
}

/** The baseline that suppresses exactly `skips` (file paths as checkov reports them from the scan root). */
export function baselineOf(skips: readonly CheckovSkip[]): CheckovBaseline {
  const byFile = new Map<string, Map<string, string[]>>();
  for (const s of skips) {
    const file = `/${s.stack}/cdk.tf.json`;
    const findings = byFile.get(file) ?? new Map<string, string[]>();
    for (const resource of checkovNames(s.resource)) findings.set(resource, [...new Set([...(findings.get(resource) ?? []), s.checkId])].sort());
    byFile.set(file, findings);
  }
  return {
    failed_checks: [...byFile.entries()].map(([file, findings]) => ({ file, findings: [...findings.entries()].map(([resource, check_ids]) => ({ resource, check_ids })) })),
  };
}
