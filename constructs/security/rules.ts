/**
 * Synth-time rules in the manner of cdk-nag: each rule is an object with an id, a level, what it requires,
 * why it exists and the document it comes from. {@link RuleChecks} (a cdktf Aspect) runs a set of rules over
 * every construct of a stack before anything is written:
 *
 * - a finding of an `error` rule is an error annotation, so `App.synth()` (`npm run synth`, `cdktf synth`,
 *   `cdktf deploy`) fails with `[<id>] <construct path>: <what triggered it>. Why: <reason> (<source>)`;
 * - a finding of a `warning` rule is a warning annotation: printed, never fatal;
 * - a finding on a construct for which the rule was {@link suppress}ed becomes an info annotation that
 *   names the rule and the suppression's reason; {@link appliedSuppressions} lists them after synth.
 */
import { Annotations, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";

export type RuleLevel = "error" | "warning";

export interface SecurityRule {
  /** `DBX` and three digits, e.g. `DBX001`; never reused for another rule. */
  readonly id: string;
  readonly level: RuleLevel;
  /** What must hold, one sentence. */
  readonly description: string;
  /** Why the rule exists: what a real deploy or the platform does when it is broken. */
  readonly reason: string;
  /** The document the rule comes from (provider doc path, AWS or Databricks page). */
  readonly source: string;
  /**
   * The rule's findings on one construct: each a sentence naming what triggered it (never a secret's value).
   * Empty when the construct complies or is not the rule's concern. Called once for every construct of the
   * stack, the stack itself included.
   */
  readonly check: (node: IConstruct) => readonly string[];
}

/** Rule ids: `DBX` and three digits. */
export const RULE_ID = /^DBX\d{3}$/;
/** A suppression must say why in at least this many characters. */
export const MIN_SUPPRESSION_REASON_LENGTH = 10;

const SUPPRESSIONS = new WeakMap<IConstruct, Map<string, string>>();
const SUPPRESSED_PREFIX = "[suppressed ";

/**
 * Suppresses rule `ruleId` for `scope` and every construct below it.
 * @throws Error when `ruleId` is not a rule id or `reason` is shorter than {@link MIN_SUPPRESSION_REASON_LENGTH} characters.
 */
export function suppress(scope: IConstruct, ruleId: string, reason: string): void {
  if (!RULE_ID.test(ruleId)) throw new Error(`suppress ${scope.node.path}: ruleId: expected a rule id such as DBX001, found ${JSON.stringify(ruleId)}`);
  const why = (reason ?? "").trim();
  if (why.length < MIN_SUPPRESSION_REASON_LENGTH) {
    throw new Error(`suppress ${scope.node.path} ${ruleId}: reason: expected at least ${MIN_SUPPRESSION_REASON_LENGTH} characters saying why, found ${JSON.stringify(why)}`);
  }
  const byRule = SUPPRESSIONS.get(scope) ?? new Map<string, string>();
  byRule.set(ruleId, why);
  SUPPRESSIONS.set(scope, byRule);
}

/** The reason `ruleId` is suppressed for `node` (on it or on a scope above it), or undefined. */
export function suppressionOf(node: IConstruct, ruleId: string): string | undefined {
  for (const scope of [...node.node.scopes].reverse()) {
    const reason = SUPPRESSIONS.get(scope)?.get(ruleId);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** The message of a finding: rule id, construct path, what triggered it, why the rule exists and its source. */
export function findingMessage(rule: SecurityRule, node: IConstruct, finding: string): string {
  return `[${rule.id}] ${node.node.path}: ${finding}. Why: ${rule.reason} (${rule.source})`;
}

/** An Aspect that runs `rules` over every construct it visits. */
export class RuleChecks implements IAspect {
  constructor(public readonly rules: readonly SecurityRule[]) {
    const ids = new Set<string>();
    for (const rule of rules) {
      if (!RULE_ID.test(rule.id)) throw new Error(`RuleChecks: rule id ${JSON.stringify(rule.id)} is not of the form DBX001`);
      if (ids.has(rule.id)) throw new Error(`RuleChecks: rule id ${rule.id} is used twice`);
      ids.add(rule.id);
    }
  }

  public visit(node: IConstruct): void {
    for (const rule of this.rules) {
      for (const finding of rule.check(node)) {
        const reason = suppressionOf(node, rule.id);
        if (reason !== undefined) {
          Annotations.of(node).addInfo(`${SUPPRESSED_PREFIX}${rule.id}] ${node.node.path}: ${finding}. Suppressed because: ${reason}`);
        } else if (rule.level === "error") {
          Annotations.of(node).addError(findingMessage(rule, node, finding));
        } else {
          Annotations.of(node).addWarning(findingMessage(rule, node, finding));
        }
      }
    }
  }
}

/** One line per suppressed finding under `root` (after synth), e.g. `[suppressed DBX006] stack/rule: …`. */
export function appliedSuppressions(root: IConstruct): string[] {
  return root.node
    .findAll()
    .flatMap((c) => c.node.metadata.map((m) => m.data))
    .filter((d): d is string => typeof d === "string" && d.startsWith(SUPPRESSED_PREFIX));
}

/** Warning annotations under `root` (after synth): rule findings of level `warning` among them. */
export function warningsOf(root: IConstruct): string[] {
  return root.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
}
