/**
 * The CDK Terrain migration steps (scripts/lib/migration.ts) and the comparison that judges them.
 * The full check (install, type-check, unit tests and synth in a migrated copy) is `npm run migration-check`.
 */
import * as fs from "fs";
import * as path from "path";
import {
  CDKTN_PACKAGES, compareStacks, formatDifference, MIGRATION_OWN_FILES, migratePackageJson, migrateSource, retargetBinding, versionAtLeast,
} from "../scripts/lib/migration";
import { REPO_ROOT } from "./helpers";

describe("migratePackageJson", () => {
  test("npm scripts that run the CLI run cdktn; other words containing cdktf are left alone", () => {
    const out = migratePackageJson({ scripts: { a: "cdktf deploy", b: "npx cdktf synth && cdktf list", c: "tsx main.ts cdktf.out", d: "rm -rf cdktf.out" } });
    expect(out.scripts).toEqual({ a: "cdktn deploy", b: "npx cdktn synth && cdktn list", c: "tsx main.ts cdktf.out", d: "rm -rf cdktf.out" });
  });

  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  const migrated = migratePackageJson(pkg);

  test("replaces every cdktf package by its CDK Terrain counterpart, exact versions, and keeps the rest", () => {
    const all = { ...migrated.dependencies, ...migrated.devDependencies };
    expect(Object.keys(all).filter((n) => n === "cdktf" || n.startsWith("@cdktf/") || n === "cdktf-cli")).toEqual([]);
    expect(all).toMatchObject({ cdktn: "0.24.0", "@cdktn/provider-aws": "25.7.0", "@cdktn/provider-databricks": "18.7.0", "cdktn-cli": "0.24.0", constructs: "10.6.0" });
    expect(Object.values(all).filter((v) => /^[~^]/.test(v))).toEqual([]);
    expect(migrated.dependencies).toHaveProperty("zod", pkg.dependencies.zod);
    expect(migrated.scripts).toEqual({ ...pkg.scripts, deploy: "cdktn deploy" });
  });

  test("every package the project imports from cdktf has a CDK Terrain replacement", () => {
    expect(Object.keys(CDKTN_PACKAGES)).toEqual(expect.arrayContaining(["cdktn", "@cdktn/provider-aws", "@cdktn/provider-databricks"]));
  });
});

describe("migrateSource", () => {
  test("core, deep provider imports, time bindings (relative to the file) and the CLI name", () => {
    const source = [
      'import { App, TerraformStack } from "cdktf";',
      'import { Vpc } from "@cdktf/provider-aws/lib/vpc";',
      'import { Sleep } from "@cdktf/provider-time/lib/sleep";',
      'const barrel = /from\\s+["\']@cdktf\\/provider-(aws|databricks)["\']/;',
      "run npx cdktf deploy provisioning-dev",
    ].join("\n");
    expect(migrateSource("constructs/iam/index.ts", source)).toBe(
      [
        'import { App, TerraformStack } from "cdktn";',
        'import { Vpc } from "@cdktn/provider-aws/lib/vpc";',
        'import { Sleep } from "../../.gen/providers/time/sleep";',
        'const barrel = /from\\s+["\']@cdktn\\/provider-(aws|databricks)["\']/;',
        "run npx cdktn deploy provisioning-dev",
      ].join("\n"),
    );
    expect(migrateSource("main.ts", 'import { TimeProvider } from "@cdktf/provider-time/lib/provider";')).toBe('import { TimeProvider } from "./.gen/providers/time/provider";');
  });

  test("a file without cdktf is left alone; a word merely containing cdktf is not touched", () => {
    expect(migrateSource("config/load.ts", 'import { z } from "zod";\n// cdktf.out and DBX_CDKTF_CACHE stay\n')).toBeUndefined();
  });

  test("vitest's importActual of cdktf is rewritten too (a mocked module keeps loading the real library)", () => {
    expect(migrateSource("__tests__/x.test.ts", 'const { TerraformResource } = (await vi.importActual("cdktf")) as typeof import("cdktf");')).toBe('const { TerraformResource } = (await vi.importActual("cdktn")) as typeof import("cdktn");');
  });

  test("no file of the project would keep a cdktf import after the migration", () => {
    const files = ["main.ts", "stacks/app.ts", "stacks/provisioning-stack.ts", "constructs/credentials/index.ts", "constructs/iam/index.ts", "__tests__/helpers.ts"];
    for (const file of files) {
      const out = migrateSource(file, fs.readFileSync(path.join(REPO_ROOT, file), "utf8")) ?? "";
      expect({ file, left: out.match(/from\s+["'](cdktf|@cdktf\/[^"']+)["']/g) }).toEqual({ file, left: null });
    }
  });

  test("the migration's own files are copied unchanged (they name both package sets on purpose)", () => {
    for (const f of MIGRATION_OWN_FILES) expect(fs.existsSync(path.join(REPO_ROOT, f))).toBe(true);
  });
});

test("retargetBinding makes a prebuilt binding load cdktn", () => {
  expect(retargetBinding('const cdktf = require("cdktf");\nimport * as cdktf from \'cdktf\';\nrequire("constructs");')).toBe(
    'const cdktf = require("cdktn");\nimport * as cdktf from "cdktn";\nrequire("constructs");',
  );
});

describe("compareStacks", () => {
  const before = {
    "//": { metadata: { version: "0.21.0", stackName: "s" } },
    terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" }, time: { source: "hashicorp/time", version: "0.13.1" } } },
    resource: { aws_vpc: { v: { cidr_block: "10.0.0.0/16", tags: ["a"] } } },
  };

  test("provider versions, the source spelling of the same provider and the tool version are classified", () => {
    const after = JSON.parse(JSON.stringify(before));
    after["//"].metadata.version = "0.24.0";
    after.terraform.required_providers.aws = { source: "hashicorp/aws", version: "6.66.0" };
    expect(compareStacks("s", before, after).map(formatDifference)).toEqual([
      's: //.metadata.version: "0.21.0" -> "0.24.0" (cdktf/cdktn version)',
      's: terraform.required_providers.aws.source: "aws" -> "hashicorp/aws" (provider source spelling)',
      's: terraform.required_providers.aws.version: "6.25.0" -> "6.66.0" (provider version)',
    ]);
  });

  test("anything else is a real difference: a changed, added or removed value, another provider", () => {
    const after = JSON.parse(JSON.stringify(before));
    after.resource.aws_vpc.v.cidr_block = "10.1.0.0/16";
    after.resource.aws_vpc.v.tags.push("b");
    after.resource.aws_vpc.v.enable_dns_support = true;
    after.terraform.required_providers.time.source = "someone/time";
    expect(compareStacks("s", before, after).map((d) => `${d.path} ${d.kind}`)).toEqual([
      "resource.aws_vpc.v.cidr_block other",
      "resource.aws_vpc.v.enable_dns_support other",
      "resource.aws_vpc.v.tags.1 other",
      "terraform.required_providers.time.source other",
    ]);
  });

  test("identical stacks have no difference", () => {
    expect(compareStacks("s", before, JSON.parse(JSON.stringify(before)))).toEqual([]);
  });
});

test("versionAtLeast compares x.y.z numerically", () => {
  expect(versionAtLeast("20.20.2", "22.19.0")).toBe(false);
  expect(versionAtLeast("22.19.0", "22.19.0")).toBe(true);
  expect(versionAtLeast("v24.1.0", "22.19.0")).toBe(true);
  expect(versionAtLeast("22.9.0", "22.19.0")).toBe(false);
});
