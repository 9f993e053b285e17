/**
 * Per-resource checkov skips: declared in code next to the resource (skipCheckov), written under "//" in
 * cdk.tf.json, turned into a checkov baseline by scripts/checkov-baseline.ts (scan-prepare.ts, run by scan.sh). Project-wide
 * skips in .checkov.yaml are only for checks that do not apply to the project as a whole.
 */
import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { skipCheckov } from "../constructs/security/checkov-skips";
import { baselineOf, collectSkips, type StackJson } from "../scripts/checkov-baseline";
import { configSkips, withoutRequiredVersion } from "../scripts/scan-prepare";
import { REPO_ROOT, synthEnvs } from "./helpers";
import { tempDir } from "./run-dir";

const stacks = synthEnvs() as Record<string, StackJson>;

test("the shipped stacks skip per resource exactly the known false positives", () => {
  const { skips, problems } = collectSkips(stacks);
  expect(problems).toEqual([]);
  const byCheck = (stack: string) => {
    const out: Record<string, string[]> = {};
    for (const s of skips.filter((x) => x.stack === stack)) out[s.checkId] = [...(out[s.checkId] ?? []), s.resource.replace(/_[0-9A-F]{8}$/, "")].sort();
    return out;
  };
  for (const stack of ["provisioning-dev", "provisioning-prod"]) {
    // Every document an aws_kms_key uses as its policy, whichever construct made the key.
    const keyPolicies = Object.values(stacks[stack].resource?.aws_kms_key ?? {})
      .map((k) => String(k.policy).replace(/^\$\{(data\.aws_iam_policy_document\.[^.]+)\.json\}$/, "$1").replace(/_[0-9A-F]{8}$/, ""))
      .sort();
    expect(keyPolicies).toEqual(expect.arrayContaining(["data-lake", "logs", "managed-services", "workspace-storage"].map((k) => `data.aws_iam_policy_document.keys_${k}-policy`)));
    const selfRules = ["tcp", "udp"].map((p) => `aws_vpc_security_group_ingress_rule.network_workspace-sg-in-self-${p}`);
    expect(byCheck(stack)).toEqual({
      CKV_AWS_109: keyPolicies, CKV_AWS_111: keyPolicies, CKV_AWS_356: keyPolicies,
      CKV_AWS_24: selfRules, CKV_AWS_25: selfRules, CKV_AWS_260: selfRules,
      CKV2_AWS_5: ["aws_security_group.network_workspace-sg"],
    });
  }
  for (const stack of ["management-dev", "management-prod"]) expect(byCheck(stack)).toEqual({});
});

test("checks skipped per resource are no longer skipped project-wide in .checkov.yaml", () => {
  const config = fs.readFileSync(path.join(REPO_ROOT, ".checkov.yaml"), "utf8");
  const global = [...config.matchAll(/^\s+-\s+(CKV2?_[A-Z0-9]+_\d+)\b/gm)].map((m) => m[1]);
  const perResource = new Set(collectSkips(stacks).skips.map((s) => s.checkId));
  expect(global.filter((id) => perResource.has(id))).toEqual([]);
  for (const id of ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356", "CKV2_AWS_5"]) expect(global).not.toContain(id);
});

test("the baseline suppresses each check on its resource alone, under both names checkov reports it by", () => {
  expect(baselineOf([
    { stack: "s", resource: "aws_vpc_security_group_ingress_rule.r", checkId: "CKV_AWS_25", reason: "self-referencing" },
    { stack: "s", resource: "aws_vpc_security_group_ingress_rule.r", checkId: "CKV_AWS_24", reason: "self-referencing" },
    { stack: "t", resource: "data.aws_iam_policy_document.k", checkId: "CKV_AWS_109", reason: "key policy resource" },
  ])).toEqual({
    failed_checks: [
      {
        file: "/s/cdk.tf.json",
        findings: [
          { resource: "aws_vpc_security_group_ingress_rule.r", check_ids: ["CKV_AWS_24", "CKV_AWS_25"] },
          { resource: "resource.r", check_ids: ["CKV_AWS_24", "CKV_AWS_25"] },
        ],
      },
      {
        file: "/t/cdk.tf.json",
        findings: [
          { resource: "data.aws_iam_policy_document.k", check_ids: ["CKV_AWS_109"] },
          { resource: "data.k", check_ids: ["CKV_AWS_109"] },
        ],
      },
    ],
  });
});

test("a skip without a check id or a reason in the JSON is reported, not applied", () => {
  const json: StackJson = {
    resource: { aws_s3_bucket: { b: { "//": { checkov: { skip: [{ id: "CKV_AWS_18", comment: "short" }, { id: "nope", comment: "a long enough reason" }] } } } } },
  };
  const { skips, problems } = collectSkips({ s: json });
  expect(skips).toEqual([]);
  expect(problems).toEqual([
    's aws_s3_bucket.b CKV_AWS_18: expected a reason of at least 10 characters, found "short"',
    's aws_s3_bucket.b: expected a checkov check id such as CKV_AWS_24, found "nope"',
  ]);
});

describe("skipCheckov", () => {
  const bucket = () => {
    const stack = new TerraformStack(new App({ outdir: tempDir("ckv-") }), "s");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    return new S3Bucket(stack, "b", { bucket: "b" });
  };

  test("writes the skips under the comment property, keeping the metadata", () => {
    const b = bucket();
    skipCheckov(b, "CKV_AWS_18", "a reviewed reason");
    skipCheckov(b, "CKV_AWS_144", "another reviewed reason");
    skipCheckov(b, "CKV_AWS_18", "the reason, revised");
    const body = b.toTerraform().resource.aws_s3_bucket.b;
    expect(body["//"].checkov.skip).toEqual([
      { id: "CKV_AWS_144", comment: "another reviewed reason" },
      { id: "CKV_AWS_18", comment: "the reason, revised" },
    ]);
    expect(body["//"].metadata.path).toBe("s/b");
  });

  test.each([
    ["CKV_AWS_18", "short", /reason: expected at least 10 characters saying why, found "short"/],
    ["ckv_aws_18", "a long enough reason", /checkId: expected a checkov check id such as CKV_AWS_24, found "ckv_aws_18"/],
  ])("refuses %s with %j", (id, reason, expected) => {
    expect(() => skipCheckov(bucket(), id, reason)).toThrow(expected);
  });
});

describe("scan.sh's data handling (scripts/scan-prepare.ts)", () => {
  test("project-wide skips: one per line with the reason written after '# reason:'; other lists and comments are not skips", () => {
    const yaml = [
      "# - CKV_AWS_1  # reason: a comment, not a skip",
      "framework:",
      "  - terraform_json",
      "skip-check:",
      "  - CKV_AWS_18  # reason: access logs cannot log to themselves",
      "  - CKV_AWS_144",
      "  - CKV2_AWS_62 # reason:   ",
      "compact: true",
      "",
    ].join("\n");
    expect(configSkips(yaml)).toEqual([
      { checkId: "CKV_AWS_18", reason: "access logs cannot log to themselves" },
      { checkId: "CKV_AWS_144", reason: "" },
      { checkId: "CKV2_AWS_62", reason: "" },
    ]);
    expect(configSkips("skip-check: []\n  - CKV_AWS_18\n")).toEqual([]);
  });

  test("the repository's .checkov.yaml gives a reason for every skip", () => {
    const skips = configSkips(fs.readFileSync(path.join(REPO_ROOT, ".checkov.yaml"), "utf8"));
    expect(skips.length).toBeGreaterThan(0);
    expect(skips.filter((s) => s.reason.length < 10)).toEqual([]);
  });

  test("the copy checkov scans has no terraform.required_version (checkov issue #7454) and nothing else changed", () => {
    const doc = { terraform: { required_version: ">= 1.6", backend: { local: {} } }, resource: { a: {} } };
    expect(withoutRequiredVersion(doc)).toEqual({ terraform: { backend: { local: {} } }, resource: { a: {} } });
    expect(doc.terraform.required_version).toBe(">= 1.6");
    const none = { resource: {} };
    expect(withoutRequiredVersion(none)).toBe(none);
  });
});
