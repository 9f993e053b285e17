/**
 * Per-resource checkov skips, declared next to the resource they concern.
 *
 * checkov's `terraform_json` framework (what scans cdktf output) has no inline skips: the HCL comment
 * `#checkov:skip=` has no JSON form, and the `"//"` comment property is ignored (checkov issue #4634,
 * hashicorp/terraform-cdk issue #3609; `checkov/terraform_json/runner.py` scans every entity with an empty
 * skip list). A project-wide `skip-check` in `.checkov.yaml` would hide the check for every resource, so a
 * false positive on one resource is declared here instead: {@link skipCheckov} writes
 * `"//": { "checkov": { "skip": [{ "id": ..., "comment": ... }] } }` on the element (the format proposed in
 * checkov #4634; Terraform ignores `"//"` properties), and `scripts/scan.sh` turns every such entry into a
 * checkov baseline (`--baseline`), which suppresses exactly that check on exactly that resource and prints
 * each one with its reason.
 */
import type { TerraformElement } from "cdktf";
import { MIN_SUPPRESSION_REASON_LENGTH } from "./rules";

/** checkov check ids: `CKV_<PROVIDER>_<n>` or `CKV2_<PROVIDER>_<n>`. */
export const CHECKOV_CHECK_ID = /^CKV2?_[A-Z0-9]+_\d+$/;

const SKIPS = new WeakMap<TerraformElement, { id: string; comment: string }[]>();

/**
 * Skips checkov check `checkId` for `element` (a resource or data source) alone, for `reason`.
 * @throws Error when `checkId` is not a checkov check id or `reason` is shorter than
 *   {@link MIN_SUPPRESSION_REASON_LENGTH} characters.
 */
export function skipCheckov(element: TerraformElement, checkId: string, reason: string): void {
  if (!CHECKOV_CHECK_ID.test(checkId)) throw new Error(`skipCheckov ${element.node.path}: checkId: expected a checkov check id such as CKV_AWS_24, found ${JSON.stringify(checkId)}`);
  const why = (reason ?? "").trim();
  if (why.length < MIN_SUPPRESSION_REASON_LENGTH) {
    throw new Error(`skipCheckov ${element.node.path} ${checkId}: reason: expected at least ${MIN_SUPPRESSION_REASON_LENGTH} characters saying why, found ${JSON.stringify(why)}`);
  }
  const known = SKIPS.get(element);
  const skips = (known ?? []).filter((s) => s.id !== checkId);
  skips.push({ id: checkId, comment: why });
  SKIPS.set(element, skips);
  if (known) return;
  // The "//" property is written from `constructNodeMetadata` (a protected getter of TerraformElement):
  // resources merge it over their overrides, data sources replace "//" with it, so an override of "//"
  // would be lost on data sources. Extending the getter on this instance works for both.
  const base = Object.getOwnPropertyDescriptor(findPrototypeWith(element, "constructNodeMetadata"), "constructNodeMetadata")!.get!;
  Object.defineProperty(element, "constructNodeMetadata", {
    configurable: true,
    get(this: TerraformElement) {
      return { ...base.call(this), checkov: { skip: (SKIPS.get(this) ?? []).map((s) => ({ ...s })) } };
    },
  });
}

function findPrototypeWith(object: object, property: string): object {
  for (let p = Object.getPrototypeOf(object); p; p = Object.getPrototypeOf(p)) {
    if (Object.getOwnPropertyDescriptor(p, property)?.get) return p;
  }
  throw new Error(`skipCheckov: ${property} not found; the cdktf version changed how "//" is written`);
}
