/**
 * The schema of an environment's settings (`vars/<env>.json` merged over `vars/common.json`, config/load.ts):
 * non-secret, per-environment settings. Every object is strict, so a misspelt field is an error, not a
 * silently ignored setting. Defaults and limits are the constructs'
 * own (constructs/<folder>/defaults.ts), imported, never restated; field facts are cited beside the rule.
 * The JSON Schema for editors (vars/schema.json) is emitted from this schema (config/json-schema.ts).
 *
 * Layout: one `const fooSchema` per top-level block, assembled in {@link varsShape}; cross-field rules in
 * {@link varsProblems}. A new block is one schema constant, one line in the shape and, if it needs them,
 * its own cross-field function called from `varsProblems`.
 */
import { z } from "zod";
import { addressCount, cidrProblem, contains, isCanonical, overlaps, parseIpv4Cidr } from "./cidr";
import { availabilityZoneProblem, regionProblem, SUPPORTED_REGIONS } from "./regions";
import { CONNECTION_NAME, connectionEntrySchema } from "./connections";
import { MAX_NAME_LENGTH, UC_NAME_CHARACTERS } from "../constructs/connections/rules";
import { PRIVATE_LINK_SERVICE_NAMES } from "../constructs/network/private-link-services";
import { mapKey, mapOf } from "../constructs/security/map-keys";
import {
  AWS_RESERVED_ADDRESSES_PER_SUBNET,
  AWS_SUBNET_PREFIX_LENGTH,
  DEFAULT_EGRESS_CIDR_BLOCKS,
  DEFAULT_FLOW_LOG_RETENTION_DAYS,
  DEFAULT_FLOW_LOG_TRAFFIC_TYPE,
  DEFAULT_NAT_GATEWAYS,
  DEFAULT_VPC_ENDPOINTS,
  DEFAULT_WORKSPACE_SUBNET_PREFIX_LENGTH,
} from "../constructs/network/defaults";
import { DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE, DEFAULT_FORCE_DESTROY, DEFAULT_KMS_KEY_ACCOUNT_ROOT_ADMIN, DEFAULT_KMS_DELETION_WINDOW_DAYS, KMS_DELETION_WINDOW_DAYS } from "../constructs/storage/defaults";
import { DEFAULT_CREDENTIAL_LIFETIME_DAYS, MAX_CREDENTIAL_LIFETIME_DAYS } from "../constructs/credentials/defaults";
import { DEFAULT_CROSS_ACCOUNT_POLICY_TYPE } from "../constructs/iam/defaults";
import { DEFAULT_AUDIT_LOGS, DEFAULT_BILLABLE_USAGE, DEFAULT_PRICING_TIER, DEFAULT_PRIVATE_ACCESS_LEVEL, DEFAULT_PUBLIC_ACCESS_ENABLED } from "../constructs/workspace/defaults";
import { AUTOTERMINATION_MINUTES, DEFAULT_CLUSTER, DEFAULT_DISABLE_LEGACY_DBFS } from "../constructs/workspace-config/defaults";
import { WORKSPACE_PERMISSIONS } from "../constructs/identities/defaults";
import { METASTORE_SOURCES, UC_NAME } from "../constructs/unity-catalog/defaults";
import { consumerBlocks, consumerProblems } from "./consumers";

type Path = (string | number)[];

/** An AWS region where Databricks runs workspaces, in the commercial partition (config/regions.ts). */
const workspaceRegion = z
  .string({ error: "expected an AWS region such as us-east-1" })
  .superRefine((v, ctx) => {
    const problem = regionProblem(v, true);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .meta({ description: "AWS region of the workspace: a commercial region where Databricks runs workspaces", examples: [...SUPPORTED_REGIONS] });

/** Any AWS region of the commercial partition (e.g. of the state bucket). */
const awsRegion = z.string({ error: "expected an AWS region such as us-east-1" }).superRefine((v, ctx) => {
  const problem = regionProblem(v, false);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** An IPv4 CIDR block: dotted decimal, no leading zeros, no host bits, netmask within `range` (`what` names the block and the rule's source). */
function cidrBlock(range: { readonly min: number; readonly max: number } = { min: 0, max: 32 }, what = "a CIDR block") {
  return z.string({ error: "expected an IPv4 CIDR block such as 10.0.0.0/16" }).superRefine((v, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: "custom", message });
    const invalid = cidrProblem(v);
    if (invalid) return problem(invalid);
    if (!isCanonical(v)) return problem("expected a network address with no host bits set (e.g. 10.0.0.0/16)");
    const b = parseIpv4Cidr(v)!;
    if (b.prefixLength < range.min || b.prefixLength > range.max) problem(`expected ${what} with a netmask from /${range.min} to /${range.max}`);
  });
}

/** AWS allows a VPC and any subnet in it from /16 to /28 (Amazon VPC User Guide, subnet sizing). */
const awsSubnet = (what: string) => cidrBlock(AWS_SUBNET_PREFIX_LENGTH, `${what} (AWS subnet sizing)`);
/** Whether `cidr` is a valid block of a size AWS allows for a VPC or subnet. */
const awsSized = (cidr: string) => {
  const b = cidrProblem(cidr) === undefined && isCanonical(cidr) ? parseIpv4Cidr(cidr) : undefined;
  return b !== undefined && b.prefixLength >= AWS_SUBNET_PREFIX_LENGTH.min && b.prefixLength <= AWS_SUBNET_PREFIX_LENGTH.max;
};

/**
 * S3 general purpose bucket naming rules (Amazon S3 User Guide, "General purpose bucket naming rules"):
 * 3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit;
 * no two adjacent periods; not formatted as an IP address; none of the reserved prefixes or suffixes.
 */
export const RESERVED_BUCKET_PREFIXES: readonly string[] = ["xn--", "sthree-", "amzn-s3-demo-"];
export const RESERVED_BUCKET_SUFFIXES: readonly string[] = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
const bucketName = z
  .string({ error: "expected an S3 bucket name (a string)" })
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit")
  .superRefine((v, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: "custom", message });
    if (/^\d+\.\d+\.\d+\.\d+$/.test(v) || v.includes("..")) problem("expected an S3 bucket name that is not an IP address and has no '..'");
    const prefix = RESERVED_BUCKET_PREFIXES.find((p) => v.startsWith(p));
    if (prefix) problem(`expected an S3 bucket name without the reserved prefix "${prefix}" (S3 general purpose bucket naming rules)`);
    const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => v.endsWith(s));
    if (suffix) problem(`expected an S3 bucket name without the reserved suffix "${suffix}" (S3 general purpose bucket naming rules)`);
  });

/**
 * AWS tag rules (AWS "Tagging AWS resources", tag naming limits and requirements): at most 50 tags per
 * resource; keys of 1-128 and values of 0-256 characters of letters, digits, spaces and `+ - = . _ : / @`;
 * the `aws:` prefix (any case) is reserved for AWS. The stacks set {@link STACK_TAG_KEYS} on every
 * resource themselves (stacks/provisioning-stack.ts: default tags `ManagedBy`, `Stack`; constructs:
 * `Name`), so a vars file may set at most 50 minus those, and not those keys.
 */
export const MAX_TAGS_PER_RESOURCE = 50;
export const STACK_TAG_KEYS: readonly string[] = ["Name", "ManagedBy", "Stack"];
export const MAX_VARS_TAGS = MAX_TAGS_PER_RESOURCE - STACK_TAG_KEYS.length;
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const tagKey = mapKey
  .min(1, "expected a tag key of 1-128 characters, not an empty one")
  .max(128, "expected a tag key of at most 128 characters")
  .regex(TAG_CHARACTERS, "expected a tag key of letters, digits, spaces and + - = . _ : / @")
  .refine((k) => !/^aws:/i.test(k), 'expected a tag key without the prefix "aws:" (reserved for AWS)')
  .refine((k) => !STACK_TAG_KEYS.includes(k), `expected a tag key the stacks do not set themselves (${STACK_TAG_KEYS.join(", ")})`);
const tagValue = z
  .string({ error: "expected a tag value (a string)" })
  .max(256, "expected a tag value of at most 256 characters")
  .regex(TAG_CHARACTERS, "expected a tag value of letters, digits, spaces and + - = . _ : / @");
const tags = mapOf(tagKey, tagValue)
  .superRefine((t, ctx) => {
    const count = Object.keys(t).length;
    if (count > MAX_VARS_TAGS) ctx.addIssue({ code: "custom", message: `expected at most ${MAX_VARS_TAGS} tags (AWS allows ${MAX_TAGS_PER_RESOURCE} per resource; the stacks add ${STACK_TAG_KEYS.join(", ")}), found ${count}` });
  })
  .default({});

/** CloudWatch Logs accepted retention values (API reference, PutRetentionPolicy). */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const vpcEndpointService = z
  .string()
  .regex(/^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]{17}$/, "expected a VPC endpoint service name such as com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0");

const prefixLength = z.number().int().min(AWS_SUBNET_PREFIX_LENGTH.min).max(AWS_SUBNET_PREFIX_LENGTH.max);

const networkSchema = z.strictObject({
  /** VPC range; AWS allows /16 to /28. */
  cidrBlock: cidrBlock(AWS_SUBNET_PREFIX_LENGTH, "a VPC CIDR block (AWS VPC sizing)"),
  /** One workspace private subnet per zone, in this order; at least two (provider docs/resources/mws_networks.md). */
  availabilityZones: z.array(z.string()).min(2, "expected at least 2 availability zones"),
  privateSubnetCidrBlocks: z.array(awsSubnet("a private subnet")),
  publicSubnetCidrBlocks: z.array(awsSubnet("a public subnet")).min(1, "expected at least 1 public subnet"),
  privateLinkSubnetCidrBlocks: z.array(awsSubnet("a PrivateLink subnet")).optional(),
  /** Allowed netmask range of the workspace subnets; Databricks documents /17 to /26. */
  privateSubnetPrefixLength: z
    .strictObject({ min: prefixLength.default(DEFAULT_WORKSPACE_SUBNET_PREFIX_LENGTH.min), max: prefixLength.default(DEFAULT_WORKSPACE_SUBNET_PREFIX_LENGTH.max) })
    .default({ ...DEFAULT_WORKSPACE_SUBNET_PREFIX_LENGTH }),
  natGateways: z.enum(["single", "one-per-az"]).default(DEFAULT_NAT_GATEWAYS),
  vpcEndpoints: z
    .strictObject({ s3: z.boolean().default(DEFAULT_VPC_ENDPOINTS.s3), sts: z.boolean().default(DEFAULT_VPC_ENDPOINTS.sts), kinesisStreams: z.boolean().default(DEFAULT_VPC_ENDPOINTS.kinesisStreams) })
    .default({ ...DEFAULT_VPC_ENDPOINTS }),
  /** Destinations the workspace security group may reach on the Databricks egress ports. */
  egressCidrBlocks: z.array(cidrBlock()).min(1).default([...DEFAULT_EGRESS_CIDR_BLOCKS]),
  flowLogs: z
    .strictObject({
      enabled: z.boolean().default(true),
      retentionDays: z
        .number()
        .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), `expected a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(", ")}`)
        .default(DEFAULT_FLOW_LOG_RETENTION_DAYS),
      trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default(DEFAULT_FLOW_LOG_TRAFFIC_TYPE),
    })
    .default({ enabled: true, retentionDays: DEFAULT_FLOW_LOG_RETENTION_DAYS, trafficType: DEFAULT_FLOW_LOG_TRAFFIC_TYPE }),
});

const privateLinkSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** `public_access_enabled` of `databricks_mws_private_access_settings`. */
    publicAccessEnabled: z.boolean().default(DEFAULT_PUBLIC_ACCESS_ENABLED),
    privateAccessLevel: z.enum(["ACCOUNT", "ENDPOINT"]).default(DEFAULT_PRIVATE_ACCESS_LEVEL),
    workspaceServiceName: vpcEndpointService.optional(),
    relayServiceName: vpcEndpointService.optional(),
  })
  .default({ enabled: false, publicAccessEnabled: DEFAULT_PUBLIC_ACCESS_ENABLED, privateAccessLevel: DEFAULT_PRIVATE_ACCESS_LEVEL });

const storageSchema = z.strictObject({
  rootBucketName: bucketName,
  dataLakeBucketNames: z.array(bucketName).min(1, "expected at least 1 data-lake bucket"),
  loggingBucketName: bucketName,
  /**
   * Bucket policies deny `s3:PutObject` requests that ask for another encryption than SSE-KMS with the
   * bucket's key (another algorithm, another key, or `aws:kms` without a key id); uploads without an
   * encryption header stay allowed and get the bucket's key by default encryption. See
   * `denyOtherEncryptionStatements` in constructs/storage/encrypted-bucket.ts.
   */
  denyOtherEncryptionOnWrite: z
    .strictObject({ dbfs: z.boolean().default(DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE), dataLake: z.boolean().default(DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE) })
    .default({ dbfs: DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE, dataLake: DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE }),
  /** Allows `terraform destroy` to delete non-empty buckets; for throw-away environments only. */
  forceDestroy: z.boolean().default(DEFAULT_FORCE_DESTROY),
});

const kmsAdminArn = z.string().regex(/^arn:aws:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/, "expected an IAM principal ARN of the commercial partition (arn:aws:iam::<account>:root, :role/..., :user/...)");
const encryptionSchema = z
  .strictObject({
    /** `deletion_window_in_days` of every CMK; AWS allows 7 to 30. */
    kmsKeyDeletionWindowDays: z.number().int().min(KMS_DELETION_WINDOW_DAYS.min).max(KMS_DELETION_WINDOW_DAYS.max).default(DEFAULT_KMS_DELETION_WINDOW_DAYS),
    /** Further principals with `kms:*` on the keys, in addition to the account root (or the deployer). */
    kmsKeyAdminArns: z
      .array(kmsAdminArn)
      .refine((a) => new Set(a).size === a.length, "expected each key administrator once")
      .default([]),
    /**
     * Keep the AWS default "Enable IAM User Permissions" statement (account root, `kms:*`) on every key.
     * `false` requires `kmsKeyDeployerArn`: KMS refuses a key policy that would lock the caller out.
     */
    kmsKeyAccountRootAdmin: z.boolean().default(DEFAULT_KMS_KEY_ACCOUNT_ROOT_ADMIN),
    /** The IAM role Terraform runs as; gets `kms:*` on every key when `kmsKeyAccountRootAdmin` is false. */
    kmsKeyDeployerArn: kmsAdminArn.optional(),
  })
  .superRefine((e, ctx) => {
    if (!e.kmsKeyAccountRootAdmin && !e.kmsKeyDeployerArn) {
      ctx.addIssue({
        code: "custom",
        path: ["kmsKeyDeployerArn"],
        message: "expected the ARN of the role that deploys when kmsKeyAccountRootAdmin is false (KMS refuses a key policy that locks the caller out)",
      });
    }
  })
  .default({ kmsKeyDeletionWindowDays: DEFAULT_KMS_DELETION_WINDOW_DAYS, kmsKeyAdminArns: [], kmsKeyAccountRootAdmin: DEFAULT_KMS_KEY_ACCOUNT_ROOT_ADMIN });

const backendSchema = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({ type: z.literal("local") }),
      z.strictObject({
        type: z.literal("s3"),
        bucket: bucketName,
        keyPrefix: z.string().regex(/^[A-Za-z0-9!_.*'()/-]*$/, "expected an S3 key prefix").default("databricks-aws-cdktf"),
        region: awsRegion,
        /** KMS key of the state objects: a key id, an alias or an ARN of the commercial partition (S3 backend `kms_key_id`). */
        kmsKeyId: z
          .string()
          .regex(
            /^(arn:aws:kms:[a-z0-9-]+:\d{12}:(key\/[\w-]+|alias\/[\w/-]+)|alias\/[\w/-]+|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
            "expected a KMS key id, alias (alias/...) or key ARN of the commercial partition (arn:aws:kms:...)",
          )
          .optional(),
      }),
    ],
    { error: (iss) => (iss.code === "invalid_union" ? 'expected a backend of type "local" or "s3"' : undefined) },
  )
  .default({ type: "local" });

const credentialsSchema = z
  .strictObject({
    /**
     * `oauth`, the only mode: the management stack authenticates as the automation service principal with
     * an OAuth secret. `pat` was removed: the token had to be created through a provider configured from a
     * secret managed in the same stack, which Terraform cannot plan after a rotation (DESIGN.md, "Terraform
     * rules"); PATs for tools that only take PATs are created in the management stack.
     */
    mode: z
      .literal("oauth", {
        error: 'expected "oauth" (the "pat" mode was removed: the management stack signs in with OAuth M2M; a PAT for a tool that only takes PATs is created in the management stack)',
      })
      .default("oauth"),
    /** Lifetime of the issued secret; it rotates at half of it. */
    lifetimeDays: z
      .number()
      .int("expected a whole number of days")
      .min(1, "expected a lifetime of at least 1 day")
      .max(MAX_CREDENTIAL_LIFETIME_DAYS, `expected a lifetime of at most ${MAX_CREDENTIAL_LIFETIME_DAYS} days (the Databricks maximum)`)
      .default(DEFAULT_CREDENTIAL_LIFETIME_DAYS),
  })
  .default({ mode: "oauth", lifetimeDays: DEFAULT_CREDENTIAL_LIFETIME_DAYS });

/**
 * Most nodes a cluster can have: a cluster runs in one availability zone (provider docs/resources/cluster.md,
 * `aws_attributes.zone_id`), each node takes one address of that zone's workspace subnet, and AWS keeps
 * {@link AWS_RESERVED_ADDRESSES_PER_SUBNET} addresses of every subnet. The schema's static bound uses the
 * largest subnet AWS allows; the cross-field rule uses the configured subnets.
 */
export function maxClusterNodes(subnetPrefixLength: number): number {
  return addressCount(subnetPrefixLength) - AWS_RESERVED_ADDRESSES_PER_SUBNET;
}
const MAX_WORKERS_ANY_SUBNET = maxClusterNodes(AWS_SUBNET_PREFIX_LENGTH.min) - 1;

const clusterSchema = z.strictObject({
  /** EC2 instance type offered by Databricks, e.g. `m6i.xlarge`. */
  nodeTypeId: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "expected an EC2 node type such as m6i.xlarge"),
  /** Databricks Runtime version key, e.g. `15.4.x-scala2.12`. */
  sparkVersion: z.string().regex(/^\d+\.\d+\.x(-[a-z0-9-]+)?-scala\d+\.\d+$/, "expected a Databricks Runtime key such as 15.4.x-scala2.12"),
  minWorkers: z.number().int().min(0).max(MAX_WORKERS_ANY_SUBNET).default(DEFAULT_CLUSTER.minWorkers),
  maxWorkers: z.number().int().min(1).max(MAX_WORKERS_ANY_SUBNET).default(DEFAULT_CLUSTER.maxWorkers),
  autoterminationMinutes: z.number().int().min(AUTOTERMINATION_MINUTES.min).max(AUTOTERMINATION_MINUTES.max).default(DEFAULT_CLUSTER.autoterminationMinutes),
  /** On-demand nodes before spot (the driver is the first); the rest are spot with on-demand fallback. */
  firstOnDemand: z.number().int().min(1).max(MAX_WORKERS_ANY_SUBNET + 1).default(DEFAULT_CLUSTER.firstOnDemand),
});

/**
 * Display name of an account-level group (SCIM `displayName`): non-empty, at most 255 characters, no
 * leading or trailing space. Unity Catalog grants name groups by it.
 */
const groupName = z
  .string()
  .min(1, "expected a group name")
  .max(255, "expected a group name of at most 255 characters")
  .refine((v) => v.trim() === v, "expected a group name without leading or trailing spaces");

/** One `databricks_grants` block from vars: an account-level principal and its privileges. */
const grantSchema = z.strictObject({ principal: z.string().min(1), privileges: z.array(z.string().regex(/^[A-Z_]+$/, "expected a privilege such as USE_CATALOG")).min(1) });

/**
 * Account-level identities (Databricks "Manage workspace-local groups (legacy)": workspace-local groups
 * cannot be granted Unity Catalog privileges; provider `docs/resources/mws_permission_assignment.md`).
 */
const identitiesSchema = z.strictObject({
  /**
   * Account groups the workspace uses: created at account level, or (`existing: true`) looked up by name and
   * used as they are; each is assigned to the workspace with `workspacePermission`.
   */
  groups: z
    .array(
      z.strictObject({
        name: groupName,
        existing: z.boolean().default(false),
        workspacePermission: z.enum(WORKSPACE_PERMISSIONS).default("USER"),
      }),
    )
    .min(1, "expected at least 1 account group"),
  /** The group that may attach to the shared cluster and read the catalog: one of `groups`. */
  dataReadersGroup: groupName,
  /** The group that may restart the cluster, use the cluster policy and read the secret scope: one of `groups`. */
  dataEngineersGroup: groupName,
});

/** Unity Catalog: which metastore the workspace uses, the data-lake storage credential, locations and catalog. */
const unityCatalogSchema = z.strictObject({
  /** See {@link METASTORE_SOURCES}. */
  metastore: z.discriminatedUnion("source", [
    z.strictObject({
      source: z.literal("existing"),
      /** The region's metastore id (account console, Catalog, metastore details). */
      metastoreId: z.uuid({ error: "expected a metastore id (UUID)" }),
      /**
       * Adopt an assignment that automatic enablement already made (an `import` block with
       * `<workspace_id>|<metastore_id>`) instead of creating it. Set it after a first deploy stopped at the
       * assignment because the workspace was already assigned.
       */
      adoptExistingAssignment: z.boolean().default(false),
    }),
    z.strictObject({
      source: z.literal("create"),
      /** Name of the new regional metastore. */
      name: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, "expected a metastore name: letters, digits, '-' or '_'"),
      /** Account group that owns it (metastore admin). @default the deploying principal */
      owner: groupName.optional(),
      /**
       * Adopt the assignment automatic enablement made to this metastore (an `import` block), when a first
       * deploy stopped at the assignment because the new workspace was already assigned to it.
       */
      adoptExistingAssignment: z.boolean().default(false),
    }),
    z.strictObject({ source: z.literal("automatic") }),
  ], { error: `expected a metastore source of ${METASTORE_SOURCES.map((m) => JSON.stringify(m)).join(", ")}` }),
  /** Name of the data-lake storage credential. @default `<namePrefix>-data-lake` */
  storageCredentialName: z.string().regex(UC_NAME, "expected a Unity Catalog name: letters, digits, '-' or '_'").optional(),
  /** Grants on the storage credential (e.g. `CREATE_EXTERNAL_TABLE`, `READ_FILES`). */
  storageCredentialGrants: z.array(grantSchema).default([]),
  /** Grants on every data-lake external location (e.g. `READ_FILES`, `WRITE_FILES`, `CREATE_EXTERNAL_TABLE`). */
  externalLocationGrants: z.array(grantSchema).default([]),
  /** A catalog whose managed storage is a data-lake location. */
  catalog: z
    .strictObject({
      name: z.string().regex(UC_NAME, "expected a Unity Catalog name: letters, digits, '-' or '_'"),
      /** One of `storage.dataLakeBucketNames`; the catalog stores managed tables under `s3://<bucket>/<name>/`. */
      managedLocationBucketName: z.string(),
      comment: z.string().max(1024).optional(),
      grants: z.array(grantSchema).default([]),
      /**
       * Schemas the catalog holds, created by the management stack (`databricks_schema`), each with its managed
       * volumes (`databricks_volume`). Consumer grants and job artifact paths inside this catalog must name one:
       * a grant on a securable that does not exist fails at apply (provider `docs/resources/grant.md`).
       */
      schemas: z
        .array(z.strictObject({ name: z.string().regex(UC_NAME, "expected a Unity Catalog name: letters, digits, '-' or '_'"), volumes: z.array(z.string().regex(UC_NAME, "expected a Unity Catalog name: letters, digits, '-' or '_'")).default([]) }))
        .default([]),
    })
    .optional(),
});

/** The top-level blocks of a vars file. */
export const varsShape = {
  /** The JSON Schema an editor checks the file with (`./schema.json`); ignored by the loader. */
  $schema: z.string().optional(),
  region: workspaceRegion,
  /** Prefix of every resource name; lowercase so it is valid in bucket and IAM names alike. */
  namePrefix: z.string().regex(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/, "expected 3-24 lowercase letters, digits or hyphens, starting with a letter"),
  /** A protected environment refuses destructive helper scripts unless forced. */
  protected: z.boolean().default(false),
  tags,
  aws: z.strictObject({ accountId: z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account id") }),
  databricks: z.strictObject({
    accountId: z.uuid({ error: "expected a Databricks account id (UUID)" }),
    workspaceName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "expected a workspace name: letters, digits, '-' or '_'"),
    /** Customer-managed keys and PrivateLink need the Enterprise tier. */
    pricingTier: z.enum(["ENTERPRISE"]).default(DEFAULT_PRICING_TIER),
  }),
  network: networkSchema,
  privateLink: privateLinkSchema,
  storage: storageSchema,
  encryption: encryptionSchema,
  iam: z
    .strictObject({
      /** `policy_type` of `databricks_aws_crossaccount_policy`; never `managed` with a customer-managed VPC. */
      crossAccountPolicyType: z.enum(["customer", "restricted"]).default(DEFAULT_CROSS_ACCOUNT_POLICY_TYPE),
    })
    .default({ crossAccountPolicyType: DEFAULT_CROSS_ACCOUNT_POLICY_TYPE }),
  backend: backendSchema,
  credentials: credentialsSchema,
  /** Account-level log delivery to the logging bucket (provider docs/resources/mws_log_delivery.md). */
  logDelivery: z
    .strictObject({
      /** Audit logs (JSON) of this workspace. */
      auditLogs: z.boolean().default(DEFAULT_AUDIT_LOGS),
      /** Billable usage (CSV) of the whole account: at most two enabled account-level configurations per type. */
      billableUsage: z.boolean().default(DEFAULT_BILLABLE_USAGE),
    })
    .default({ auditLogs: DEFAULT_AUDIT_LOGS, billableUsage: DEFAULT_BILLABLE_USAGE }),
  cluster: clusterSchema,
  workspaceSettings: z
    .strictObject({
      /** `databricks_disable_legacy_dbfs_setting`: no DBFS root or mounts for new compute. */
      disableLegacyDbfs: z.boolean().default(DEFAULT_DISABLE_LEGACY_DBFS),
      /**
       * Let the clusters' instance profile read and write the data-lake buckets, for legacy workloads that do
       * not go through Unity Catalog. Unity Catalog's storage credential is the data-access path.
       */
      legacyInstanceProfileDataAccess: z.boolean().default(false),
    })
    .default({ disableLegacyDbfs: DEFAULT_DISABLE_LEGACY_DBFS, legacyInstanceProfileDataAccess: false }),
  /** Account-level groups and their workspace assignment (docs/unity-catalog.md). */
  identities: identitiesSchema,
  /** Unity Catalog metastore, storage credential, external locations and catalog (docs/unity-catalog.md). */
  unityCatalog: unityCatalogSchema,
  /** Unity Catalog connections the management stack creates (docs/connections.md). */
  connections: z.array(connectionEntrySchema).default([]),
  /** Consumers, their SQL warehouse and extractor jobs (config/consumers.ts; README, "Consumers"). */
  ...consumerBlocks,
};

/** The object schema without cross-field rules (what the JSON Schema is emitted from). */
export const varsObjectSchema = z.strictObject(varsShape);

type Problem = (path: Path, message: string) => void;
type ParsedVars = z.output<typeof varsObjectSchema>;

function networkProblems(vars: ParsedVars, problem: Problem): void {
  const net = vars.network;
  const vpcValid = awsSized(net.cidrBlock);
  const regionValid = regionProblem(vars.region, true) === undefined;
  net.availabilityZones.forEach((az, i) => {
    const azProblem = availabilityZoneProblem(az, regionValid ? vars.region : undefined);
    if (azProblem) problem(["network", "availabilityZones", i], azProblem);
    if (net.availabilityZones.indexOf(az) !== i) problem(["network", "availabilityZones", i], "expected each availability zone once");
  });

  const azCount = net.availabilityZones.length;
  if (net.privateSubnetCidrBlocks.length !== azCount) problem(["network", "privateSubnetCidrBlocks"], `expected exactly one private subnet per availability zone (${azCount})`);
  if (net.publicSubnetCidrBlocks.length > azCount) problem(["network", "publicSubnetCidrBlocks"], `expected at most one public subnet per availability zone (${azCount})`);
  if (net.natGateways === "one-per-az" && net.publicSubnetCidrBlocks.length !== azCount) {
    problem(["network", "publicSubnetCidrBlocks"], `expected one public subnet per availability zone (${azCount}) when natGateways is "one-per-az"`);
  }
  const plSubnets = net.privateLinkSubnetCidrBlocks ?? [];
  if (plSubnets.length > azCount) problem(["network", "privateLinkSubnetCidrBlocks"], `expected at most one PrivateLink subnet per availability zone (${azCount})`);
  const { min, max } = net.privateSubnetPrefixLength;
  if (min > max) problem(["network", "privateSubnetPrefixLength"], "expected min <= max");

  net.privateSubnetCidrBlocks.forEach((cidr, i) => {
    const b = parseIpv4Cidr(cidr);
    if (b && min <= max && (b.prefixLength < min || b.prefixLength > max)) problem(["network", "privateSubnetCidrBlocks", i], `expected a netmask between /${min} and /${max} (Databricks workspace subnet rule)`);
  });
  net.egressCidrBlocks.forEach((cidr, i) => net.egressCidrBlocks.indexOf(cidr) !== i && problem(["network", "egressCidrBlocks", i], "expected each destination once"));

  const subnets: { path: Path; cidr: string }[] = [
    ...net.privateSubnetCidrBlocks.map((cidr, i) => ({ path: ["network", "privateSubnetCidrBlocks", i], cidr })),
    ...net.publicSubnetCidrBlocks.map((cidr, i) => ({ path: ["network", "publicSubnetCidrBlocks", i], cidr })),
    ...plSubnets.map((cidr, i) => ({ path: ["network", "privateLinkSubnetCidrBlocks", i], cidr })),
  ];
  subnets.forEach((s, i) => {
    if (!awsSized(s.cidr)) return;
    if (vpcValid && !contains(net.cidrBlock, s.cidr)) problem(s.path, `expected a subnet inside the VPC ${net.cidrBlock}`);
    const clash = subnets.slice(0, i).find((o) => awsSized(o.cidr) && overlaps(o.cidr, s.cidr));
    if (clash) problem(s.path, `expected a subnet that does not overlap ${clash.path.join(".")} (${clash.cidr})`);
  });

  const pl = vars.privateLink;
  if (pl.enabled && regionValid && !PRIVATE_LINK_SERVICE_NAMES[vars.region] && !(pl.workspaceServiceName && pl.relayServiceName)) {
    problem(["privateLink", "enabled"], `expected a region with known Databricks PrivateLink services (${Object.keys(PRIVATE_LINK_SERVICE_NAMES).join(", ")}) or both workspaceServiceName and relayServiceName`);
  }
  for (const field of ["workspaceServiceName", "relayServiceName"] as const) {
    const name = pl[field];
    const serviceRegion = name ? /^com\.amazonaws\.vpce\.([a-z0-9-]+)\.vpce-svc-/.exec(name)?.[1] : undefined;
    if (regionValid && serviceRegion && serviceRegion !== vars.region) {
      problem(["privateLink", field], `expected an endpoint service of region ${vars.region} (com.amazonaws.vpce.${vars.region}.vpce-svc-...): an interface endpoint connects only to services of its own region`);
    }
  }
  if (pl.enabled && plSubnets.length === 0) problem(["network", "privateLinkSubnetCidrBlocks"], "expected at least 1 PrivateLink subnet when privateLink.enabled is true");
}

function clusterProblems(vars: ParsedVars, problem: Problem): void {
  const c = vars.cluster;
  if (c.minWorkers > c.maxWorkers) problem(["cluster", "minWorkers"], `expected at most cluster.maxWorkers (${c.maxWorkers})`);
  const largest = Math.min(32, ...vars.network.privateSubnetCidrBlocks.map((cidr) => parseIpv4Cidr(cidr)?.prefixLength ?? 32));
  if (largest < 32) {
    const workers = maxClusterNodes(largest) - 1;
    if (c.maxWorkers > workers && c.maxWorkers <= MAX_WORKERS_ANY_SUBNET) {
      problem(["cluster", "maxWorkers"], `expected at most ${workers} workers: a cluster runs in one availability zone and each node takes an address of its workspace subnet (the largest, /${largest}, has ${maxClusterNodes(largest)} usable addresses, one of them for the driver)`);
    }
  }
  if (c.firstOnDemand > c.maxWorkers + 1) problem(["cluster", "firstOnDemand"], `expected at most cluster.maxWorkers + 1 (${c.maxWorkers + 1}, the driver and every worker)`);
}

function storageProblems(vars: ParsedVars, problem: Problem): void {
  const buckets = [
    { path: ["storage", "rootBucketName"], name: vars.storage.rootBucketName },
    ...vars.storage.dataLakeBucketNames.map((name, i) => ({ path: ["storage", "dataLakeBucketNames", i], name })),
    { path: ["storage", "loggingBucketName"], name: vars.storage.loggingBucketName },
  ];
  buckets.forEach((b, i) => {
    if (buckets.slice(0, i).some((o) => o.name === b.name)) problem(b.path, "expected a bucket name used once");
  });
  if (vars.backend.type === "s3" && buckets.some((b) => b.name === (vars.backend as { bucket: string }).bucket)) {
    problem(["backend", "bucket"], "expected a state bucket the stacks do not create (the state would live in a bucket its own stack manages and can destroy)");
  }
}

function connectionProblems(vars: ParsedVars, problem: Problem): void {
  vars.connections.forEach((entry, i) => {
    const ucValid = entry.name.length <= MAX_NAME_LENGTH && UC_NAME_CHARACTERS.test(entry.name);
    if (ucValid && !CONNECTION_NAME.test(entry.name)) {
      problem(["connections", i, "name"], "expected a connection name of lowercase letters, digits and '_', starting with a letter (it names TF_VAR_ variables)");
    }
    if (vars.connections.findIndex((c) => c.name === entry.name) !== i) problem(["connections", i, "name"], "expected a connection name used once");
    const catalog = entry.foreignCatalog?.name;
    if (catalog !== undefined && vars.connections.findIndex((c) => c.foreignCatalog?.name?.toLowerCase() === catalog.toLowerCase()) !== i) {
      problem(["connections", i, "foreignCatalog", "name"], "expected a foreign catalog name used once (catalog names are unique in a metastore, and Unity Catalog ignores case)");
    }
  });
}

/**
 * Unity Catalog principals and the identities they name (DESIGN.md, "Unity Catalog and identities"): every
 * owner and grant principal is a group of `identities.groups`; the catalog's managed storage is a data-lake bucket.
 */
function identityProblems(vars: ParsedVars, problem: Problem): void {
  // Unity Catalog principals are account-level identities the configuration knows (DESIGN.md, "Unity
  // Catalog and identities"): a name that is not one of identities.groups would be a workspace-local group
  // or a typo, and the grant would fail at deploy time.
  const groupNames = new Set(vars.identities.groups.map((g) => g.name));
  // Compare only against a valid group list, so one mistake in a group name gives one message.
  const groupsValid = vars.identities.groups.every((g) => g.name.length > 0 && g.name.trim() === g.name);
  const knownPrincipal = (path: Path, principal: string | undefined) => {
    if (groupsValid && principal !== undefined && principal.trim() !== "" && !groupNames.has(principal)) {
      problem(path, `expected an account group of identities.groups (${[...groupNames].join(", ")})`);
    }
  };
  for (const field of ["dataReadersGroup", "dataEngineersGroup"] as const) {
    if (groupsValid && !groupNames.has(vars.identities[field])) problem(["identities", field], "expected the name of one of identities.groups");
  }
  vars.identities.groups.forEach((g, i) => {
    if (vars.identities.groups.findIndex((o) => o.name === g.name) !== i) problem(["identities", "groups", i, "name"], "expected each group once");
  });
  vars.connections.forEach((c, i) => {
    const entry = c as { owner?: unknown; grants?: readonly { principal?: unknown }[] };
    if (typeof entry.owner === "string") knownPrincipal(["connections", i, "owner"], entry.owner);
    (entry.grants ?? []).forEach((g, j) => {
      if (typeof g?.principal === "string") knownPrincipal(["connections", i, "grants", j, "principal"], g.principal);
    });
    const fc = c.foreignCatalog as { owner?: unknown; grants?: readonly { principal?: unknown }[] } | undefined;
    if (typeof fc?.owner === "string") knownPrincipal(["connections", i, "foreignCatalog", "owner"], fc.owner);
    (fc?.grants ?? []).forEach((g, j) => {
      if (typeof g?.principal === "string") knownPrincipal(["connections", i, "foreignCatalog", "grants", j, "principal"], g.principal);
    });
  });
  const uc = vars.unityCatalog;
  if (uc.metastore.source === "create") knownPrincipal(["unityCatalog", "metastore", "owner"], uc.metastore.owner);
  uc.storageCredentialGrants.forEach((g, j) => knownPrincipal(["unityCatalog", "storageCredentialGrants", j, "principal"], g.principal));
  uc.externalLocationGrants.forEach((g, j) => knownPrincipal(["unityCatalog", "externalLocationGrants", j, "principal"], g.principal));
  if (uc.catalog) {
    uc.catalog.grants.forEach((g, j) => knownPrincipal(["unityCatalog", "catalog", "grants", j, "principal"], g.principal));
    if (vars.storage.dataLakeBucketNames.length > 0 && !vars.storage.dataLakeBucketNames.includes(uc.catalog.managedLocationBucketName)) {
      problem(["unityCatalog", "catalog", "managedLocationBucketName"], `expected one of storage.dataLakeBucketNames (${vars.storage.dataLakeBucketNames.join(", ")})`);
    }
  }
}

/** Cross-field rules of one file. They compare only values that are valid themselves, so one mistake gives one message. */
export function varsProblems(vars: ParsedVars, problem: Problem): void {
  networkProblems(vars, problem);
  clusterProblems(vars, problem);
  storageProblems(vars, problem);
  connectionProblems(vars, problem);
  identityProblems(vars, problem);
  // Consumers, their warehouse and extractor jobs: rules of their own (config/consumers.ts).
  for (const p of consumerProblems(vars)) problem(p.path, p.message);
}

export const varsSchema = varsObjectSchema.superRefine((vars, ctx) => varsProblems(vars, (path, message) => ctx.addIssue({ code: "custom", path, message })));

/** Parsed, defaulted settings of one environment. */
export type Vars = z.output<typeof varsSchema>;
/** What a vars file may contain (defaults not yet applied). */
export type VarsInput = z.input<typeof varsSchema>;
