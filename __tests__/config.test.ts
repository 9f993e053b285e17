import * as path from "path";
import { spawnSync } from "child_process";
import { loadEnvironments, parseVars } from "../config/load";
import { problemsAfter as problemsFor, readVars, REPO_ROOT, tempVarsDir } from "./helpers";

const FILE = "vars/dev.json";

/** The problems reported for dev.json after `mutate`; [] when it is valid. */
const problemsAfter = (mutate: (v: any) => void) => problemsFor("dev", mutate);

describe("vars files", () => {
  test("the shipped environments are valid", () => {
    expect(loadEnvironments(path.join(REPO_ROOT, "vars")).map((e) => e.name)).toEqual(["dev", "prod"]);
  });

  test("defaults are applied for omitted optional fields", () => {
    const vars = readVars("dev");
    delete vars.network.natGateways;
    delete vars.iam;
    delete vars.privateLink;
    const parsed = parseVars(FILE, JSON.stringify(vars));
    expect(parsed.network.natGateways).toBe("single");
    expect(parsed.iam.crossAccountPolicyType).toBe("customer");
    expect(parsed.privateLink.enabled).toBe(false);
    expect(parsed.network.privateSubnetPrefixLength).toEqual({ min: 17, max: 26 });
  });
});

describe("config errors: one line per problem naming file, field, expectation and what was found", () => {
  const cases: [string, (v: any) => void, string][] = [
    ["unknown field", (v) => (v.network.colour = "blue"), `${FILE}: network.colour: expected no such field (unknown field), found "blue"`],
    ["unknown top-level field", (v) => (v.enviroment = "dev"), `${FILE}: enviroment: expected no such field (unknown field), found "dev"`],
    ["bad CIDR", (v) => (v.network.cidrBlock = "10.20.0.0/33"), `${FILE}: network.cidrBlock: expected an IPv4 CIDR block such as 10.0.0.0/16, found "10.20.0.0/33"`],
    ["CIDR with host bits", (v) => (v.network.cidrBlock = "10.20.0.1/16"), `${FILE}: network.cidrBlock: expected a network address with no host bits set (e.g. 10.0.0.0/16), found "10.20.0.1/16"`],
    ["subnet mask too small", (v) => (v.network.privateSubnetCidrBlocks[0] = "10.20.0.0/27"), `${FILE}: network.privateSubnetCidrBlocks.0: expected a netmask between /17 and /26 (Databricks workspace subnet rule), found "10.20.0.0/27"`],
    ["subnet outside configured bounds", (v) => { v.network.privateSubnetPrefixLength = { min: 17, max: 19 }; v.network.privateSubnetCidrBlocks[0] = "10.20.0.0/20"; }, `${FILE}: network.privateSubnetCidrBlocks.0: expected a netmask between /17 and /19 (Databricks workspace subnet rule), found "10.20.0.0/20"`],
    ["fewer than 2 AZs", (v) => { v.network.availabilityZones = ["us-east-1a"]; v.network.privateSubnetCidrBlocks = ["10.20.0.0/19"]; }, `${FILE}: network.availabilityZones: expected at least 2 availability zones, found ["us-east-1a"]`],
    ["overlapping subnets", (v) => (v.network.privateSubnetCidrBlocks[1] = "10.20.16.0/20"), `${FILE}: network.privateSubnetCidrBlocks.1: expected a subnet that does not overlap network.privateSubnetCidrBlocks.0 (10.20.0.0/19), found "10.20.16.0/20"`],
    ["public subnet overlapping a private one", (v) => (v.network.publicSubnetCidrBlocks[0] = "10.20.31.0/24"), `${FILE}: network.publicSubnetCidrBlocks.0: expected a subnet that does not overlap network.privateSubnetCidrBlocks.0 (10.20.0.0/19), found "10.20.31.0/24"`],
    ["subnet outside the VPC", (v) => (v.network.publicSubnetCidrBlocks[0] = "10.99.0.0/24"), `${FILE}: network.publicSubnetCidrBlocks.0: expected a subnet inside the VPC 10.20.0.0/16, found "10.99.0.0/24"`],
    ["one subnet per zone", (v) => v.network.privateSubnetCidrBlocks.pop(), `${FILE}: network.privateSubnetCidrBlocks: expected exactly one private subnet per availability zone (2), found ["10.20.0.0/19"]`],
    ["zone of another region", (v) => (v.network.availabilityZones[1] = "eu-west-1b"), `${FILE}: network.availabilityZones.1: expected a zone of region us-east-1, found "eu-west-1b"`],
    ["secret-looking field", (v) => (v.databricks.clientSecret = "s3cr3t"), `${FILE}: databricks.clientSecret: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a value for a secret-looking field`],
    ["password field", (v) => (v.storage.password = "hunter2"), `${FILE}: storage.password: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a value for a secret-looking field`],
    ["missing required field", (v) => delete v.storage.rootBucketName, `${FILE}: storage.rootBucketName: expected string, found nothing (field missing)`],
    ["wrong type", (v) => (v.protected = "yes"), `${FILE}: protected: expected boolean, found "yes"`],
    ["bad enum", (v) => (v.network.natGateways = "two"), `${FILE}: network.natGateways: expected one of "single", "one-per-az", found "two"`],
    ["managed cross-account policy", (v) => (v.iam.crossAccountPolicyType = "managed"), `${FILE}: iam.crossAccountPolicyType: expected one of "customer", "restricted", found "managed"`],
    ["bad bucket name", (v) => (v.storage.rootBucketName = "Acme_Root"), `${FILE}: storage.rootBucketName: expected an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, found "Acme_Root"`],
    ["duplicate bucket", (v) => (v.storage.loggingBucketName = v.storage.rootBucketName), `${FILE}: storage.loggingBucketName: expected a bucket name used once, found "acme-dbx-dev-root-use1"`],
    ["bad Databricks account id", (v) => (v.databricks.accountId = "1234"), `${FILE}: databricks.accountId: expected a Databricks account id (UUID), found "1234"`],
    ["PrivateLink in a region without known services", (v) => {
      v.region = "sa-east-1"; v.network.availabilityZones = ["sa-east-1a", "sa-east-1b"]; v.privateLink = { enabled: true }; v.network.privateLinkSubnetCidrBlocks = ["10.20.65.0/27"];
    }, `${FILE}: privateLink.enabled: expected a region with known Databricks PrivateLink services (ap-northeast-1, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, us-east-1, us-east-2, us-west-2) or both workspaceServiceName and relayServiceName, found true`],
    ["credential lifetime of 0", (v) => (v.credentials.lifetimeDays = 0), `${FILE}: credentials.lifetimeDays: expected a lifetime of at least 1 day, found 0`],
    ["credential lifetime above the maximum", (v) => (v.credentials.lifetimeDays = 731), `${FILE}: credentials.lifetimeDays: expected a lifetime of at most 730 days (the Databricks maximum), found 731`],
    ["credential lifetime not whole days", (v) => (v.credentials.lifetimeDays = 1.5), `${FILE}: credentials.lifetimeDays: expected a whole number of days, found 1.5`],
    ["unknown credential mode", (v) => (v.credentials.mode = "password"), `${FILE}: credentials.mode: expected "oauth" (the "pat" mode was removed: the management stack signs in with OAuth M2M; a PAT for a tool that only takes PATs is created in the management stack), found "password"`],
    ["the removed pat mode", (v) => (v.credentials.mode = "pat"), `${FILE}: credentials.mode: expected "oauth" (the "pat" mode was removed: the management stack signs in with OAuth M2M; a PAT for a tool that only takes PATs is created in the management stack), found "pat"`],
    ["grant to a group the configuration does not know", (v) => (v.connections[0].grants[0].principal = "acme-dbx-dev-data-engineer"), `${FILE}: connections.0.grants.0.principal: expected an account group of identities.groups (acme-dbx-dev-data-readers, acme-dbx-dev-data-engineers), found "acme-dbx-dev-data-engineer"`],
    ["owner the configuration does not know", (v) => (v.connections[1].owner = "workspace-admins"), `${FILE}: connections.1.owner: expected an account group of identities.groups (acme-dbx-dev-data-readers, acme-dbx-dev-data-engineers), found "workspace-admins"`],
    ["foreign-catalog grant to an unknown principal", (v) => (v.connections[0].foreignCatalog.grants[0].principal = "users"), `${FILE}: connections.0.foreignCatalog.grants.0.principal: expected an account group of identities.groups (acme-dbx-dev-data-readers, acme-dbx-dev-data-engineers), found "users"`],
    ["location grant to an unknown principal", (v) => (v.unityCatalog.externalLocationGrants[1].principal = "readers"), `${FILE}: unityCatalog.externalLocationGrants.1.principal: expected an account group of identities.groups (acme-dbx-dev-data-readers, acme-dbx-dev-data-engineers), found "readers"`],
    ["readers group not among the groups", (v) => (v.identities.dataReadersGroup = "analysts"), `${FILE}: identities.dataReadersGroup: expected the name of one of identities.groups, found "analysts"`],
    ["the same group twice", (v) => v.identities.groups.push({ name: "acme-dbx-dev-data-readers" }), `${FILE}: identities.groups.2.name: expected each group once, found "acme-dbx-dev-data-readers"`],
    ["unknown workspace permission", (v) => (v.identities.groups[0].workspacePermission = "OWNER"), `${FILE}: identities.groups.0.workspacePermission: expected one of "USER", "ADMIN", found "OWNER"`],
    ["catalog on a bucket that is not a data-lake bucket", (v) => (v.unityCatalog.catalog.managedLocationBucketName = "acme-dbx-dev-logs-use1"), `${FILE}: unityCatalog.catalog.managedLocationBucketName: expected one of storage.dataLakeBucketNames (acme-dbx-dev-lake-raw-use1, acme-dbx-dev-lake-curated-use1), found "acme-dbx-dev-logs-use1"`],
    ["metastore id that is not a UUID", (v) => (v.unityCatalog.metastore.metastoreId = "main"), `${FILE}: unityCatalog.metastore.metastoreId: expected a metastore id (UUID), found "main"`],
    ["unknown metastore source", (v) => (v.unityCatalog.metastore = { source: "shared" }), `${FILE}: unityCatalog.metastore.source: expected a metastore source of "existing", "create", "automatic", found "shared"`],
    ["no unityCatalog block", (v) => delete v.unityCatalog, `${FILE}: unityCatalog: expected object, found nothing (field missing)`],
    ["cluster node type missing", (v) => delete v.cluster.nodeTypeId, `${FILE}: cluster.nodeTypeId: expected string, found nothing (field missing)`],
    ["cluster node type malformed", (v) => (v.cluster.nodeTypeId = "large"), `${FILE}: cluster.nodeTypeId: expected an EC2 node type such as m6i.xlarge, found "large"`],
    ["cluster min above max workers", (v) => (v.cluster.minWorkers = 9), `${FILE}: cluster.minWorkers: expected at most cluster.maxWorkers (2), found 9`],
    ["PrivateLink without endpoint subnets", (v) => (v.privateLink = { enabled: true }), `${FILE}: network.privateLinkSubnetCidrBlocks: expected at least 1 PrivateLink subnet when privateLink.enabled is true, found nothing (field missing)`],
  ];

  test.each(cases)("%s", (_name, mutate, expected) => {
    expect(problemsAfter(mutate)).toEqual([expected]);
  });

  test("a region without known PrivateLink services works with both service names given", () => {
    expect(problemsAfter((v) => {
      v.region = "sa-east-1"; v.network.availabilityZones = ["sa-east-1a", "sa-east-1b"]; v.network.privateLinkSubnetCidrBlocks = ["10.20.65.0/27"];
      v.privateLink = { enabled: true, workspaceServiceName: "com.amazonaws.vpce.sa-east-1.vpce-svc-0bafcea8cdfe11b66", relayServiceName: "com.amazonaws.vpce.sa-east-1.vpce-svc-0e61564963be1b43f" };
    })).toEqual([]);
  });

  test("every problem of a file is reported, not just the first", () => {
    const problems = problemsAfter((v) => { v.region = "mars"; v.network.privateSubnetCidrBlocks[1] = "10.20.16.0/20"; v.extra = 1; });
    expect(problems).toHaveLength(3);
    expect(problems.map((p) => p.split(": ")[1]).sort()).toEqual(["extra", "network.privateSubnetCidrBlocks.1", "region"]);
  });

  test("malformed JSON", () => {
    expect(() => parseVars(FILE, '{ "region": "us-east-1", }')).toThrow(new RegExp(`^${FILE}: \\(top level\\): expected valid JSON, found a syntax error`));
  });

  test("missing file for the requested environment", () => {
    const dir = tempVarsDir({ "dev.json": readVars("dev") });
    expect(() => loadEnvironments(dir, ["staging"])).toThrow(/staging\.json: expected a vars file for environment "staging", found no such file \(available: dev\)/);
  });
});

describe("main.ts on bad input", () => {
  const tsx = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
  const run = (env: Record<string, string>) =>
    spawnSync(tsx, ["main.ts"], { cwd: REPO_ROOT, env: { ...process.env, ...env, CDKTF_OUTDIR: tempVarsDir({}) }, encoding: "utf8" });

  test("exits 1 with one line per problem and no stack trace", () => {
    const good = readVars("dev");
    const dir = tempVarsDir({ "dev.json": { ...good, network: { ...good.network, cidrBlock: "10.20.0.0/33" } }, "prod.json": "{ not json" });
    const result = run({ VARS_DIR: dir });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("Invalid configuration:");
    expect(lines.slice(1).map((l) => l.trim())).toEqual([
      expect.stringMatching(/dev\.json: network\.cidrBlock: expected an IPv4 CIDR block such as 10\.0\.0\.0\/16, found "10\.20\.0\.0\/33"$/),
      expect.stringMatching(/prod\.json: \(top level\): expected valid JSON, found a syntax error/),
    ]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("ENVS names an environment that has no file", () => {
    const result = run({ ENVS: "staging" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/vars\/staging\.json: expected a vars file for environment "staging", found no such file \(available: dev, prod\)/);
  });
});
