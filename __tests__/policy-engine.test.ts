/**
 * The key, bucket and role policies of the synthesized stacks, evaluated by an IAM policy engine
 * (@cloud-copilot/iam-simulate, Strict mode: identity and resource policies with their conditions,
 * same- and cross-account rules, KMS key-policy trust) rather than read by us. Each decision that matters
 * for a real deploy is one test case, for dev and prod:
 * - a deployer role of the account, allowed `kms:*` by an IAM policy, may `kms:PutKeyPolicy` on every key
 *   (the KMS policy-lockout check at CreateKey/PutKeyPolicy);
 * - Databricks' principal may use the workspace keys only with its documented conditions;
 * - `PutObject` with `aws:kms` and the bucket key's ARN, or with no encryption header, is allowed on the root
 *   and data-lake buckets; `AES256`, another key, `aws:kms` without a key id, or plain HTTP are denied;
 * - the Unity Catalog storage-credential role reads and writes its lake buckets and nothing else; the
 *   clusters' data-access role writes cluster logs and, unless legacy access is switched on, nothing else.
 * The root bucket's Databricks statement comes from the provider-computed `databricks_aws_bucket_policy`,
 * and the storage-credential role's policies from `databricks_aws_unity_catalog_policy`, both rebuilt from
 * the provider source (see iam-policy-json.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { byPath, readVars, ref, synthEnvs, tempVarsDir, type TfJson } from "./helpers";
import { awsTarget, DATABRICKS_AWS_ACCOUNT_ID, PolicyConverter, type IamPolicy } from "./iam-policy-json";

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** Runs one request through the engine; an invalid simulation (bad policy, unknown key) fails the test. */
async function decide(s: {
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  identityPolicy?: IamPolicy | IamPolicy[];
  resourcePolicy?: IamPolicy;
  context?: Record<string, string | string[]>;
}): Promise<Decision> {
  const simulation: Simulation = {
    request: { principal: s.principal, action: s.action, resource: { resource: s.resource, accountId: s.resourceAccount }, contextVariables: { "aws:SecureTransport": "true", ...s.context } },
    identityPolicies: [s.identityPolicy ?? []].flat().map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: s.resourcePolicy,
  };
  const result = await runSimulation(simulation, { simulationMode: "Strict" });
  if (result.resultType === "error") throw new Error(`invalid simulation: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

const ALLOW_ALL = (actions: string): IamPolicy => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [actions], Resource: ["*"] }] });
const KEYS = ["managed-services", "workspace-storage", "data-lake", "logs"];

const stacks = synthEnvs();

describe.each(["dev", "prod"])("provisioning-%s", (env) => {
  const json: TfJson = stacks[`provisioning-${env}`];
  const vars = readVars(env);
  const policies = new PolicyConverter(json);
  const { accountId } = awsTarget(json);
  const keyArn = (key: string) => policies.substitute(ref(json, "aws_kms_key", `keys/${key}`, "arn"));
  const keyPolicy = (key: string) => policies.policyOf(byPath(json, "aws_kms_key", `keys/${key}`).policy);
  const bucketPolicy = (bucketPath: string) => policies.policyOf(byPath(json, "aws_s3_bucket_policy", `${bucketPath}/policy`).policy);

  describe("key administration (KMS policy-lockout check)", () => {
    const deployer = `arn:aws:iam::${accountId}:role/terraform-deployer`;
    test.each(KEYS)("a deployer role allowed kms:* by IAM may kms:PutKeyPolicy on the %s key", async (key) => {
      expect(await decide({ principal: deployer, action: "kms:PutKeyPolicy", resource: keyArn(key), resourceAccount: accountId, identityPolicy: ALLOW_ALL("kms:*"), resourcePolicy: keyPolicy(key) })).toBe("Allowed");
    });

    test("... and on every other KMS key of the stack, whichever construct made it", async () => {
      const keys = Object.entries(json.resource?.aws_kms_key ?? {});
      expect(keys.length).toBeGreaterThanOrEqual(KEYS.length);
      for (const [name, body] of keys) {
        const decision = await decide({
          principal: deployer, action: "kms:PutKeyPolicy", resource: policies.substitute(`\${aws_kms_key.${name}.arn}`), resourceAccount: accountId,
          identityPolicy: ALLOW_ALL("kms:*"), resourcePolicy: policies.policyOf(body.policy),
        });
        expect([name, decision]).toEqual([name, "Allowed"]);
      }
    });

    test("a role of another account may not, whatever its IAM policy says", async () => {
      expect(await decide({ principal: "arn:aws:iam::999999999999:role/intruder", action: "kms:PutKeyPolicy", resource: keyArn("data-lake"), resourceAccount: accountId, identityPolicy: ALLOW_ALL("kms:*"), resourcePolicy: keyPolicy("data-lake") })).not.toBe("Allowed");
    });
  });

  describe("Databricks' principal on the workspace keys", () => {
    const databricks = `arn:aws:iam::${DATABRICKS_AWS_ACCOUNT_ID}:role/databricks-control-plane`;
    const onBehalfOf = (id: string) => ({ "aws:PrincipalTag/DatabricksAccountId": id });
    const use = (action: string, key: string, context: Record<string, string>) =>
      decide({ principal: databricks, action, resource: keyArn(key), resourceAccount: accountId, identityPolicy: ALLOW_ALL("kms:*"), resourcePolicy: keyPolicy(key), context });

    test.each(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:DescribeKey"])("may %s with the storage key on behalf of this Databricks account", async (action) => {
      expect(await use(action, "workspace-storage", onBehalfOf(vars.databricks.accountId))).toBe("Allowed");
    });

    test("may not use the storage key without the DatabricksAccountId principal tag", async () => {
      expect(await use("kms:Decrypt", "workspace-storage", {})).toBe("ImplicitlyDenied");
    });

    test("may not use the storage key on behalf of another Databricks account", async () => {
      expect(await use("kms:Decrypt", "workspace-storage", onBehalfOf("00000000-0000-0000-0000-000000000000"))).toBe("ImplicitlyDenied");
    });

    test("may create grants on the storage key for AWS resources (DBFS), and only for them", async () => {
      expect(await use("kms:CreateGrant", "workspace-storage", { ...onBehalfOf(vars.databricks.accountId), "kms:GrantIsForAWSResource": "true" })).toBe("Allowed");
      expect(await use("kms:CreateGrant", "workspace-storage", { ...onBehalfOf(vars.databricks.accountId), "kms:GrantIsForAWSResource": "false" })).toBe("ImplicitlyDenied");
      expect(await use("kms:CreateGrant", "workspace-storage", { "kms:GrantIsForAWSResource": "true" })).toBe("ImplicitlyDenied");
    });

    test("may encrypt and decrypt with the managed-services key, and nothing more", async () => {
      expect(await use("kms:Decrypt", "managed-services", onBehalfOf(vars.databricks.accountId))).toBe("Allowed");
      expect(await use("kms:GenerateDataKey", "managed-services", onBehalfOf(vars.databricks.accountId))).toBe("ImplicitlyDenied");
    });

    test.each(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"])("may never %s a workspace key", async (action) => {
      for (const key of ["workspace-storage", "managed-services"]) expect(await use(action, key, onBehalfOf(vars.databricks.accountId))).toBe("ImplicitlyDenied");
    });

    test("may not use the data-lake or logs keys", async () => {
      for (const key of ["data-lake", "logs"]) expect(await use("kms:Decrypt", key, onBehalfOf(vars.databricks.accountId))).toBe("ImplicitlyDenied");
    });
  });

  /** The upload matrix on one bucket for one writer. */
  const uploads = (bucketPath: string, bucketName: string, key: string, writer: { principal: string; identityPolicy: IamPolicy | IamPolicy[]; context?: Record<string, string> }) => {
    const put = (headers: Record<string, string>) =>
      decide({
        principal: writer.principal, action: "s3:PutObject", resource: `arn:aws:s3:::${bucketName}/some/object.parquet`, resourceAccount: accountId,
        identityPolicy: writer.identityPolicy, resourcePolicy: bucketPolicy(bucketPath), context: { ...writer.context, ...headers },
      });
    const sse = "s3:x-amz-server-side-encryption";
    const keyId = "s3:x-amz-server-side-encryption-aws-kms-key-id";
    test("PutObject with aws:kms and the bucket key's full ARN is allowed", async () => {
      expect(await put({ [sse]: "aws:kms", [keyId]: keyArn(key) })).toBe("Allowed");
    });
    test("PutObject without any encryption header is allowed (default encryption applies the bucket key)", async () => {
      expect(await put({})).toBe("Allowed");
    });
    test("PutObject asking for AES256 is denied", async () => {
      expect(await put({ [sse]: "AES256" })).toBe("ExplicitlyDenied");
    });
    test("PutObject with aws:kms and another key is denied", async () => {
      expect(await put({ [sse]: "aws:kms", [keyId]: `arn:aws:kms:${awsTarget(json).region}:${accountId}:key/11111111-2222-3333-4444-555555555555` })).toBe("ExplicitlyDenied");
    });
    test("PutObject with the bucket key's alias instead of its ARN is denied (the condition compares strings)", async () => {
      expect(await put({ [sse]: "aws:kms", [keyId]: `alias/${vars.namePrefix}-${key}` })).toBe("ExplicitlyDenied");
    });
    test("PutObject with aws:kms but no key id is denied (S3 would use aws/s3)", async () => {
      expect(await put({ [sse]: "aws:kms" })).toBe("ExplicitlyDenied");
    });
    test("PutObject over plain HTTP is denied", async () => {
      expect(await put({ [sse]: "aws:kms", [keyId]: keyArn(key), "aws:SecureTransport": "false" })).toBe("ExplicitlyDenied");
    });
  };

  describe("root bucket: Databricks' own writes (statement from databricks_aws_bucket_policy)", () => {
    test("the shipped vars deny other encryption on the root bucket", () => expect(vars.storage.denyOtherEncryptionOnWrite.dbfs).toBe(true));
    uploads("root-bucket", vars.storage.rootBucketName, "workspace-storage", {
      principal: `arn:aws:iam::${DATABRICKS_AWS_ACCOUNT_ID}:role/databricks-control-plane`,
      identityPolicy: ALLOW_ALL("s3:*"),
      context: { "aws:PrincipalTag/DatabricksAccountId": vars.databricks.accountId },
    });

    test("Databricks writing on behalf of another Databricks account is not allowed", async () => {
      expect(await decide({
        principal: `arn:aws:iam::${DATABRICKS_AWS_ACCOUNT_ID}:role/databricks-control-plane`, action: "s3:PutObject", resource: `arn:aws:s3:::${vars.storage.rootBucketName}/x`,
        resourceAccount: accountId, identityPolicy: ALLOW_ALL("s3:*"), resourcePolicy: bucketPolicy("root-bucket"), context: { "aws:PrincipalTag/DatabricksAccountId": "00000000-0000-0000-0000-000000000000" },
      })).toBe("ImplicitlyDenied");
    });
  });

  /** The inline policies of the role at construct path `rolePath` (every aws_iam_role_policy attached to it). */
  const rolePolicies = (rolePath: string): IamPolicy[] => {
    const roleRef = ref(json, "aws_iam_role", rolePath, "id");
    const attached = Object.values(json.resource?.aws_iam_role_policy ?? {}).filter((p) => p.role === roleRef);
    if (attached.length === 0) throw new Error(`no aws_iam_role_policy on ${rolePath}`);
    return attached.map((p) => policies.policyOf(p.policy));
  };
  const lakeBuckets = readVars(env).storage.dataLakeBucketNames as string[];
  const storageCredentialRole = policies.substitute(ref(json, "aws_iam_role", "storage-credential/role", "arn"));
  const dataAccessRole = policies.substitute(ref(json, "aws_iam_role", "data-access/role", "arn"));

  describe.each(lakeBuckets)("data-lake bucket %s: writes of Unity Catalog (storage-credential role)", (bucketName) => {
    uploads(`data-lake-${bucketName}`, bucketName, "data-lake", { principal: storageCredentialRole, identityPolicy: rolePolicies("storage-credential/role") });
  });

  /** Whether `principal` with its role policies may `action` on `resource` (and the resource's own policy). */
  const can = (principal: string, identityPolicy: IamPolicy[], action: string, resource: string, resourcePolicy?: IamPolicy) =>
    decide({ principal, action, resource, resourceAccount: accountId, identityPolicy, resourcePolicy });

  describe("the storage-credential role reads and writes its lake buckets and nothing else", () => {
    const as = (action: string, resource: string, resourcePolicy?: IamPolicy) => can(storageCredentialRole, rolePolicies("storage-credential/role"), action, resource, resourcePolicy);

    test.each(lakeBuckets)("reads, writes, deletes and lists in %s", async (bucketName) => {
      const policy = bucketPolicy(`data-lake-${bucketName}`);
      for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) expect([action, await as(action, `arn:aws:s3:::${bucketName}/t/x`, policy)]).toEqual([action, "Allowed"]);
      expect(await as("s3:ListBucket", `arn:aws:s3:::${bucketName}`, policy)).toBe("Allowed");
    });

    test("uses the data-lake key, not the workspace or logs keys", async () => {
      expect(await as("kms:Decrypt", keyArn("data-lake"), keyPolicy("data-lake"))).toBe("Allowed");
      expect(await as("kms:GenerateDataKey", keyArn("data-lake"), keyPolicy("data-lake"))).toBe("Allowed");
      for (const key of ["workspace-storage", "managed-services", "logs"]) expect([key, await as("kms:Decrypt", keyArn(key), keyPolicy(key))]).toEqual([key, "ImplicitlyDenied"]);
    });

    test("cannot read or write the root (DBFS) bucket or the logging bucket", async () => {
      for (const [bucketPath, name] of [["root-bucket", vars.storage.rootBucketName], ["logging-bucket", vars.storage.loggingBucketName]]) {
        for (const action of ["s3:GetObject", "s3:PutObject"]) expect([name, action, await as(action, `arn:aws:s3:::${name}/x`, bucketPolicy(bucketPath))]).toEqual([name, action, "ImplicitlyDenied"]);
      }
    });

    test("cannot touch any other bucket", async () => {
      for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) expect(await as(action, "arn:aws:s3:::someone-elses-bucket/x")).toBe("ImplicitlyDenied");
      expect(await as("s3:ListBucket", "arn:aws:s3:::someone-elses-bucket")).toBe("ImplicitlyDenied");
    });
  });

  describe("the clusters' data-access role writes cluster logs and nothing else (legacy lake access off)", () => {
    const as = (action: string, resource: string, resourcePolicy?: IamPolicy) => can(dataAccessRole, rolePolicies("data-access/role"), action, resource, resourcePolicy);

    test("legacy instance-profile data access is off in the shipped vars", () => {
      expect(vars.workspaceSettings.legacyInstanceProfileDataAccess).toBe(false);
    });

    test("may write cluster logs, encrypted with the logs key; no reads, no writes elsewhere in the logging bucket", async () => {
      const logs = vars.storage.loggingBucketName;
      const policy = bucketPolicy("logging-bucket");
      expect(await as("s3:PutObject", `arn:aws:s3:::${logs}/cluster-logs/0123/driver/log4j.log`, policy)).toBe("Allowed");
      expect(await as("kms:GenerateDataKey", keyArn("logs"), keyPolicy("logs"))).toBe("Allowed");
      expect(await as("kms:Decrypt", keyArn("logs"), keyPolicy("logs"))).toBe("Allowed");
      expect(await as("s3:GetObject", `arn:aws:s3:::${logs}/cluster-logs/0123/driver/log4j.log`, policy)).toBe("ImplicitlyDenied");
      expect(await as("s3:PutObject", `arn:aws:s3:::${logs}/audit-logs/x.json`, policy)).toBe("ImplicitlyDenied");
    });

    test.each(lakeBuckets)("cannot read or write the lake bucket %s", async (bucketName) => {
      for (const action of ["s3:GetObject", "s3:PutObject"]) expect(await as(action, `arn:aws:s3:::${bucketName}/x`, bucketPolicy(`data-lake-${bucketName}`))).toBe("ImplicitlyDenied");
    });

    test("cannot read or write the root bucket, nor use the data-lake or workspace keys", async () => {
      expect(await as("s3:GetObject", `arn:aws:s3:::${vars.storage.rootBucketName}/x`, bucketPolicy("root-bucket"))).toBe("ImplicitlyDenied");
      for (const key of ["data-lake", "workspace-storage"]) expect(await as("kms:Decrypt", keyArn(key), keyPolicy(key))).toBe("ImplicitlyDenied");
    });
  });
});

describe("legacy instance-profile data access, when switched on", () => {
  test("the data-access role then reads and writes the lake buckets through the data-lake key", async () => {
    const vars = readVars("dev");
    vars.workspaceSettings = { ...vars.workspaceSettings, legacyInstanceProfileDataAccess: true };
    const json = synthEnvs(["dev"], {}, tempVarsDir({ "dev.json": vars }))["provisioning-dev"];
    const policies = new PolicyConverter(json);
    const { accountId } = awsTarget(json);
    const role = policies.substitute(ref(json, "aws_iam_role", "data-access/role", "arn"));
    const identity = policies.policyOf(byPath(json, "aws_iam_role_policy", "data-access/access-policy").policy);
    for (const bucketName of vars.storage.dataLakeBucketNames as string[]) {
      const bucketPolicy = policies.policyOf(byPath(json, "aws_s3_bucket_policy", `data-lake-${bucketName}/policy`).policy);
      for (const action of ["s3:GetObject", "s3:PutObject"]) {
        expect(await decide({ principal: role, action, resource: `arn:aws:s3:::${bucketName}/x`, resourceAccount: accountId, identityPolicy: identity, resourcePolicy: bucketPolicy })).toBe("Allowed");
      }
    }
    expect(await decide({ principal: role, action: "s3:GetObject", resource: `arn:aws:s3:::${vars.storage.rootBucketName}/x`, resourceAccount: accountId, identityPolicy: identity })).toBe("ImplicitlyDenied");
  });
});

describe("the engine catches the lockout the review found", () => {
  test("keys administered only by a listed role (root opted out) lock out a deployer that is not that role", async () => {
    const vars = readVars("prod");
    vars.encryption = { ...vars.encryption, kmsKeyAccountRootAdmin: false, kmsKeyDeployerArn: "arn:aws:iam::345678901234:role/platform-kms-admin" };
    const json = synthEnvs(["prod"], {}, tempVarsDir({ "prod.json": vars }))["provisioning-prod"];
    const policies = new PolicyConverter(json);
    const key = policies.policyOf(byPath(json, "aws_kms_key", "keys/data-lake").policy);
    const arn = "arn:aws:kms:eu-west-1:345678901234:key/11111111-2222-3333-4444-555555555555";
    const as = (role: string) => decide({ principal: `arn:aws:iam::345678901234:role/${role}`, action: "kms:PutKeyPolicy", resource: arn, resourceAccount: "345678901234", identityPolicy: ALLOW_ALL("kms:*"), resourcePolicy: key });
    expect(await as("terraform-deployer")).toBe("ImplicitlyDenied");
    expect(await as("platform-kms-admin")).toBe("Allowed");
  });
});


describe("the engine catches the bucket-policy mistake the review found", () => {
  const bucket = "arn:aws:s3:::b";
  const writer = "arn:aws:iam::123456789012:role/writer";
  const put = (statements: object[], headers: Record<string, string>) =>
    decide({
      principal: writer, action: "s3:PutObject", resource: `${bucket}/x`, resourceAccount: "123456789012", identityPolicy: ALLOW_ALL("s3:*"),
      resourcePolicy: { Version: "2012-10-17", Statement: statements as IamPolicy["Statement"] }, context: headers,
    });
  const deny = (Condition: object) => ({ Effect: "Deny", Principal: "*", Action: ["s3:PutObject"], Resource: [`${bucket}/*`], Condition });

  test("the former 'deny without header' statement denies a header-less upload", async () => {
    expect(await put([deny({ Null: { "s3:x-amz-server-side-encryption": ["true"] } })], {})).toBe("ExplicitlyDenied");
  });

  test.each(["StringNotEquals", "StringNotEqualsIfExists"])("a bare %s on the header denies a header-less upload too", async (operator) => {
    expect(await put([deny({ [operator]: { "s3:x-amz-server-side-encryption": ["aws:kms"] } })], {})).toBe("ExplicitlyDenied");
  });

  test("the Null = false guard lets the header-less upload through and still denies AES256", async () => {
    const guarded = deny({ Null: { "s3:x-amz-server-side-encryption": ["false"] }, StringNotEquals: { "s3:x-amz-server-side-encryption": ["aws:kms"] } });
    expect(await put([guarded], {})).toBe("Allowed");
    expect(await put([guarded], { "s3:x-amz-server-side-encryption": "AES256" })).toBe("ExplicitlyDenied");
  });
});

test("the policy engine (AGPL-3.0) is a pinned devDependency that shipped code never imports", () => {
  const root = path.resolve(__dirname, "..");
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  expect(pkg.dependencies["@cloud-copilot/iam-simulate"]).toBeUndefined();
  expect(pkg.devDependencies["@cloud-copilot/iam-simulate"]).toMatch(/^\d+\.\d+\.\d+$/);
  const shipped = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? shipped(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []);
  const files = [...["constructs", "stacks", "config", "scripts", "examples"].flatMap(shipped), "main.ts", "index.ts"];
  expect(files.length).toBeGreaterThan(20);
  expect(files.filter((f) => fs.readFileSync(path.join(root, f), "utf8").includes("@cloud-copilot"))).toEqual([]);
});
