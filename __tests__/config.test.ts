/**
 * The vars files, the schema's single source of truth and the JSON Schema. The bad-input classes are in
 * bad-input.test.ts (table-driven, exact messages).
 */
import * as fs from "fs";
import * as path from "path";
import { COMMON_FILE, crossEnvironmentProblems, listEnvironments, loadEnvironments, parseVars, SCHEMA_FILE } from "../config/load";
import { varsJsonSchemaText, VARS_SCHEMA_FILE } from "../config/json-schema";
import { DATABRICKS_AWS_REGIONS, regionProblem, SUPPORTED_REGIONS } from "../config/regions";
import Ajv from "ajv";
import { z } from "zod";
import { MAX_VARS_TAGS, varsObjectSchema } from "../config/schema";
import { PRIVATE_LINK_SERVICE_NAMES } from "../constructs/network/private-link-services";
import * as networkDefaults from "../constructs/network/defaults";
import * as storageDefaults from "../constructs/storage/defaults";
import * as credentialDefaults from "../constructs/credentials/defaults";
import * as iamDefaults from "../constructs/iam/defaults";
import * as workspaceDefaults from "../constructs/workspace/defaults";
import * as workspaceConfigDefaults from "../constructs/workspace-config/defaults";
import { problemsAfter as problemsFor, readVars, REPO_ROOT, tempVarsDir, VARS_DIR } from "./helpers";

const FILE = "vars/dev.json";
const problemsAfter = (mutate: (v: any) => void) => problemsFor("dev", mutate);

describe("vars files", () => {
  test("the shipped environments are valid, and schema.json and common.json are not among them", () => {
    expect(fs.existsSync(path.join(VARS_DIR, SCHEMA_FILE))).toBe(true);
    expect(fs.existsSync(path.join(VARS_DIR, COMMON_FILE))).toBe(true);
    expect(listEnvironments(VARS_DIR)).toEqual(["dev", "prod"]);
    expect(loadEnvironments(VARS_DIR).map((e) => e.name)).toEqual(["dev", "prod"]);
  });

  test("each shipped file names the JSON Schema, and the loader ignores the field", () => {
    for (const file of [COMMON_FILE, "dev.json", "prod.json"]) expect(JSON.parse(fs.readFileSync(path.join(VARS_DIR, file), "utf8")).$schema).toBe("./schema.json");
    const vars = readVars("dev");
    delete vars.$schema;
    expect(parseVars(FILE, JSON.stringify(vars)).namePrefix).toBe("acme-dbx-dev");
  });
});

describe("one source of truth: omitted fields get the constructs' own defaults", () => {
  const minimal = () => {
    const v = readVars("dev");
    for (const block of ["privateLink", "iam", "encryption", "backend", "credentials", "logDelivery", "workspaceSettings", "tags", "protected", "connections"]) delete v[block];
    for (const f of ["natGateways", "vpcEndpoints", "egressCidrBlocks", "flowLogs", "privateSubnetPrefixLength"]) delete v.network[f];
    for (const f of ["denyOtherEncryptionOnWrite", "forceDestroy"]) delete v.storage[f];
    for (const f of ["minWorkers", "maxWorkers", "autoterminationMinutes", "firstOnDemand"]) delete v.cluster[f];
    delete v.databricks.pricingTier;
    return parseVars(FILE, JSON.stringify(v));
  };

  test("every default equals the constant the construct uses", () => {
    const vars = minimal();
    expect(vars.network.natGateways).toBe(networkDefaults.DEFAULT_NAT_GATEWAYS);
    expect(vars.network.vpcEndpoints).toEqual(networkDefaults.DEFAULT_VPC_ENDPOINTS);
    expect(vars.network.egressCidrBlocks).toEqual(networkDefaults.DEFAULT_EGRESS_CIDR_BLOCKS);
    expect(vars.network.flowLogs).toEqual({ enabled: true, retentionDays: networkDefaults.DEFAULT_FLOW_LOG_RETENTION_DAYS, trafficType: networkDefaults.DEFAULT_FLOW_LOG_TRAFFIC_TYPE });
    expect(vars.network.privateSubnetPrefixLength).toEqual(networkDefaults.DEFAULT_WORKSPACE_SUBNET_PREFIX_LENGTH);
    expect(vars.storage.denyOtherEncryptionOnWrite).toEqual({ dbfs: storageDefaults.DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE, dataLake: storageDefaults.DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE });
    expect(vars.storage.forceDestroy).toBe(storageDefaults.DEFAULT_FORCE_DESTROY);
    expect(vars.encryption).toEqual({ kmsKeyDeletionWindowDays: storageDefaults.DEFAULT_KMS_DELETION_WINDOW_DAYS, kmsKeyAdminArns: [], kmsKeyAccountRootAdmin: storageDefaults.DEFAULT_KMS_KEY_ACCOUNT_ROOT_ADMIN });
    expect(vars.credentials).toEqual({ mode: "oauth", lifetimeDays: credentialDefaults.DEFAULT_CREDENTIAL_LIFETIME_DAYS });
    expect(vars.iam.crossAccountPolicyType).toBe(iamDefaults.DEFAULT_CROSS_ACCOUNT_POLICY_TYPE);
    expect(vars.databricks.pricingTier).toBe(workspaceDefaults.DEFAULT_PRICING_TIER);
    expect(vars.privateLink).toEqual({ enabled: false, publicAccessEnabled: workspaceDefaults.DEFAULT_PUBLIC_ACCESS_ENABLED, privateAccessLevel: workspaceDefaults.DEFAULT_PRIVATE_ACCESS_LEVEL });
    expect(vars.logDelivery).toEqual({ auditLogs: workspaceDefaults.DEFAULT_AUDIT_LOGS, billableUsage: workspaceDefaults.DEFAULT_BILLABLE_USAGE });
    expect(vars.cluster).toMatchObject(workspaceConfigDefaults.DEFAULT_CLUSTER);
    expect(vars.workspaceSettings.disableLegacyDbfs).toBe(workspaceConfigDefaults.DEFAULT_DISABLE_LEGACY_DBFS);
    expect(vars.backend).toEqual({ type: "local" });
    expect(vars.connections).toEqual([]);
  });

  test("the constructs read their defaults from defaults.ts, not from literals (no `?? <literal>` left but `[]`/`{}` for none)", () => {
    const offenders: string[] = [];
    for (const dir of ["network", "storage", "credentials", "iam", "workspace", "workspace-config"]) {
      for (const f of fs.readdirSync(path.join(REPO_ROOT, "constructs", dir)).filter((n) => n.endsWith(".ts") && n !== "defaults.ts")) {
        const text = fs.readFileSync(path.join(REPO_ROOT, "constructs", dir, f), "utf8");
        for (const m of text.matchAll(/props\.\w+(\.\w+)?\s*\?\?\s*(true|false|\d+|"[^"]*"|\[[^\]]+\]|\{[^}]+\})/g)) offenders.push(`${dir}/${f}: ${m[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe("JSON Schema of the vars files", () => {
  test("vars/schema.json is current (regenerate with `npm run vars-schema`)", () => {
    expect(fs.readFileSync(VARS_SCHEMA_FILE, "utf8")).toBe(varsJsonSchemaText());
  });

  test("it describes the fields, enums, bounds and defaults editors need", () => {
    const schema = JSON.parse(varsJsonSchemaText());
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.additionalProperties).toBe(false);
    // One layer (common.json or <env>.json): no field of a merged object is required, list items stay whole.
    expect(schema.required).toBeUndefined();
    expect(schema.properties.storage.required).toBeUndefined();
    expect(schema.properties.identities.properties.groups.items.required).toEqual(["name"]);
    expect(schema.properties.$schema).toEqual({ type: "string" });
    expect(schema.properties.region.examples).toEqual([...SUPPORTED_REGIONS]);
    expect(schema.properties.network.properties.natGateways).toEqual({ default: "single", type: "string", enum: ["single", "one-per-az"] });
    expect(schema.properties.encryption.properties.kmsKeyDeletionWindowDays).toMatchObject({ minimum: 7, maximum: 30, default: 30 });
    const connection = schema.properties.connections.items.anyOf;
    expect(connection.map((c: any) => c.properties.connectionType.const ?? c.properties.connectionType.enum)).toEqual(
      expect.arrayContaining(["MYSQL", ["SQLDW", "synapse"], "SNOWFLAKE", "BIGQUERY"]),
    );
    const snowflake = connection.find((c: any) => c.properties.connectionType.const === "SNOWFLAKE");
    expect(snowflake.properties.options.properties.password).toEqual({ not: {} });
    expect(snowflake.properties.auth.enum).toEqual(["password", "privateKey"]);
    expect(snowflake.additionalProperties).toBe(false);
  });
});

describe("JSON Schema of the vars files, as an editor applies it (ajv, draft-07)", () => {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const layer = ajv.compile(JSON.parse(fs.readFileSync(VARS_SCHEMA_FILE, "utf8")));
  const complete = ajv.compile(z.toJSONSchema(varsObjectSchema, { target: "draft-7", io: "input", unrepresentable: "any" }));
  const raw = (file: string) => JSON.parse(fs.readFileSync(path.join(VARS_DIR, file), "utf8"));

  test.each([COMMON_FILE, "dev.json", "prod.json"])("vars/%s validates, though a schema that requires every field rejects it", (file) => {
    expect(layer(raw(file)) ? [] : layer.errors).toEqual([]);
    expect(complete(raw(file))).toBe(false);
    expect(complete.errors?.some((e) => e.keyword === "required")).toBe(true);
  });

  test("the merged settings validate against the complete schema (control)", () => {
    for (const env of ["dev", "prod"]) expect(complete(readVars(env)) ? [] : complete.errors).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ["a wrong type", { cluster: { sparkVersion: 15 } }, "/cluster/sparkVersion"],
    ["an unknown field", { clusterr: {} }, ""],
    ["a value outside an enum", { network: { natGateways: "two" } }, "/network/natGateways"],
    ["a list item without its required field (lists replace whole)", { identities: { groups: [{ existing: true }] } }, "/identities/groups/0"],
    ["a backend of no known type", { backend: { type: "gcs" } }, "/backend"],
  ])("it still flags %s in a layer", (_name, document, at) => {
    expect(layer(document)).toBe(false);
    expect(layer.errors?.map((e) => e.instancePath)).toContain(at);
  });
});

describe("regions", () => {
  test("the table lists the Databricks AWS regions; every PrivateLink region is one of them", () => {
    expect(DATABRICKS_AWS_REGIONS).toHaveLength(17);
    for (const region of Object.keys(PRIVATE_LINK_SERVICE_NAMES)) expect(SUPPORTED_REGIONS).toContain(region);
    expect(SUPPORTED_REGIONS).not.toContain("us-gov-west-1");
  });

  test.each(SUPPORTED_REGIONS.map((r) => [r]))("%s is accepted", (region) => {
    expect(regionProblem(region, true)).toBeUndefined();
  });

  test("an AWS region without Databricks is fine for the state bucket", () => {
    expect(regionProblem("eu-north-1", false)).toBeUndefined();
    expect(regionProblem("eu-north-1", true)).toMatch(/^expected a region where Databricks runs workspaces/);
  });
});

describe("accepted inputs at the edges of the rules", () => {
  test("a region without known PrivateLink services works with both service names given", () => {
    expect(problemsAfter((v) => {
      v.region = "sa-east-1"; v.network.availabilityZones = ["sa-east-1a", "sa-east-1b"]; v.network.privateLinkSubnetCidrBlocks = ["10.20.65.0/27"];
      v.privateLink = { enabled: true, workspaceServiceName: "com.amazonaws.vpce.sa-east-1.vpce-svc-0bafcea8cdfe11b66", relayServiceName: "com.amazonaws.vpce.sa-east-1.vpce-svc-0e61564963be1b43f" };
    })).toEqual([]);
  });

  test(`${MAX_VARS_TAGS} tags, /16 and /28 subnets, a 1024-character comment, the largest cluster the subnet holds`, () => {
    expect(problemsAfter((v) => {
      v.tags = Object.fromEntries(Array.from({ length: MAX_VARS_TAGS }, (_, i) => [`T${i}`, "x"]));
      v.network.publicSubnetCidrBlocks = ["10.20.64.0/28"];
      v.connections[0].comment = "c".repeat(1024);
      v.cluster.maxWorkers = 8186;
      v.cluster.firstOnDemand = 8187;
    })).toEqual([]);
  });

  test("the same workspace name in two Databricks accounts, the same connection names in two regions", () => {
    const dev = loadEnvironments(VARS_DIR, ["dev"])[0];
    const prod = loadEnvironments(VARS_DIR, ["prod"])[0];
    const sameName = { ...prod, vars: { ...prod.vars, databricks: { ...prod.vars.databricks, workspaceName: dev.vars.databricks.workspaceName, accountId: "00000000-0000-4000-8000-000000000000" } } };
    expect(crossEnvironmentProblems([dev, sameName])).toEqual([]);
    expect(dev.vars.connections.map((c) => c.name).filter((n) => prod.vars.connections.some((p) => p.name === n))).not.toEqual([]);
  });

  test("one state bucket for every environment (another key each) is fine", () => {
    const dir = tempVarsDir({
      "dev.json": { ...readVars("dev"), backend: { type: "s3", bucket: "acme-terraform-state-euw1", keyPrefix: "dev", region: "eu-west-1" } },
      "prod.json": readVars("prod"),
    });
    expect(loadEnvironments(dir).map((e) => e.name)).toEqual(["dev", "prod"]);
  });

  test("every problem of a file is reported, not just the first", () => {
    const problems = problemsAfter((v) => { v.region = "mars"; v.network.privateSubnetCidrBlocks[1] = "10.20.16.0/20"; v.extra = 1; });
    expect(problems.map((p) => p.split(": ")[1]).sort()).toEqual(["extra", "network.privateSubnetCidrBlocks.1", "region"]);
  });
});
