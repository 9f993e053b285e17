/**
 * The schema of `vars/<env>.json`: non-secret, per-environment settings. Every object is strict, so a
 * misspelt field is an error, not a silently ignored setting. Field facts are cited beside the rule.
 */
import { z } from "zod";
import { contains, isCanonical, overlaps, parseIpv4Cidr } from "./cidr";
import { PRIVATE_LINK_SERVICE_NAMES } from "../constructs/network/private-link-services";
import { MAX_CREDENTIAL_LIFETIME_DAYS } from "../constructs/credentials";
import { DEFAULT_DENY_OTHER_ENCRYPTION_ON_WRITE } from "../constructs/storage/encrypted-bucket";
import { connectionEntrySchema, connectionProblems } from "./connections";
import { WORKSPACE_PERMISSIONS } from "../constructs/identities";
import { METASTORE_SOURCES, UC_NAME } from "../constructs/unity-catalog";
import { consumerBlocks, consumerProblems } from "./consumers";

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

const cidrBlock = z
  .string()
  .refine((v) => parseIpv4Cidr(v) !== undefined, "expected an IPv4 CIDR block such as 10.0.0.0/16")
  .refine((v) => parseIpv4Cidr(v) === undefined || isCanonical(v), "expected a network address with no host bits set (e.g. 10.0.0.0/16)");

/** S3 bucket naming rules (AWS docs: "General purpose bucket naming rules"). */
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens")
  .refine((v) => !/^\d+\.\d+\.\d+\.\d+$/.test(v) && !v.includes(".."), "expected an S3 bucket name that is not an IP address and has no '..'");

const availabilityZone = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "expected an availability zone name such as us-east-1a");

/** CloudWatch Logs accepted retention values (API reference, PutRetentionPolicy). */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const vpcEndpointService = z.string().regex(/^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]{17}$/, "expected a VPC endpoint service name such as com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0");

const networkSchema = z.strictObject({
  /** VPC range; AWS allows /16 to /28. */
  cidrBlock: cidrBlock.refine((v) => {
    const b = parseIpv4Cidr(v);
    return !b || (b.prefixLength >= 16 && b.prefixLength <= 28);
  }, "expected a VPC CIDR block between /16 and /28"),
  /** One workspace private subnet per zone, in this order; at least two (provider docs/resources/mws_networks.md). */
  availabilityZones: z.array(availabilityZone).min(2, "expected at least 2 availability zones"),
  privateSubnetCidrBlocks: z.array(cidrBlock),
  publicSubnetCidrBlocks: z.array(cidrBlock).min(1, "expected at least 1 public subnet"),
  privateLinkSubnetCidrBlocks: z.array(cidrBlock).optional(),
  /** Allowed netmask range of the workspace subnets; Databricks documents /17 to /26. */
  privateSubnetPrefixLength: z
    .strictObject({ min: z.number().int().min(16).max(28).default(17), max: z.number().int().min(16).max(28).default(26) })
    .default({ min: 17, max: 26 }),
  natGateways: z.enum(["single", "one-per-az"]).default("single"),
  vpcEndpoints: z
    .strictObject({ s3: z.boolean().default(true), sts: z.boolean().default(true), kinesisStreams: z.boolean().default(true) })
    .default({ s3: true, sts: true, kinesisStreams: true }),
  /** Destinations the workspace security group may reach on the Databricks egress ports. */
  egressCidrBlocks: z.array(cidrBlock).min(1).default(["0.0.0.0/0"]),
  flowLogs: z
    .strictObject({
      enabled: z.boolean().default(true),
      retentionDays: z
        .number()
        .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), `expected a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(", ")}`)
        .default(365),
      trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
    })
    .default({ enabled: true, retentionDays: 365, trafficType: "ALL" }),
});

const privateLinkSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** `public_access_enabled` of `databricks_mws_private_access_settings`. */
    publicAccessEnabled: z.boolean().default(true),
    privateAccessLevel: z.enum(["ACCOUNT", "ENDPOINT"]).default("ACCOUNT"),
    workspaceServiceName: vpcEndpointService.optional(),
    relayServiceName: vpcEndpointService.optional(),
  })
  .default({ enabled: false, publicAccessEnabled: true, privateAccessLevel: "ACCOUNT" });

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
  forceDestroy: z.boolean().default(false),
});

const iamPrincipalArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/, "expected an IAM principal ARN");

const encryptionSchema = z
  .strictObject({
    /** `deletion_window_in_days` of every CMK; AWS allows 7 to 30. */
    kmsKeyDeletionWindowDays: z.number().int().min(7).max(30).default(30),
    /** Further principals with `kms:*` on the keys, in addition to the account root (or the deployer). */
    kmsKeyAdminArns: z.array(iamPrincipalArn).default([]),
    /**
     * Keep the AWS default "Enable IAM User Permissions" statement (account root, `kms:*`) on every key.
     * `false` requires `kmsKeyDeployerArn`: KMS refuses a key policy that would lock the caller out.
     */
    kmsKeyAccountRootAdmin: z.boolean().default(true),
    /** The IAM role Terraform runs as; gets `kms:*` on every key when `kmsKeyAccountRootAdmin` is false. */
    kmsKeyDeployerArn: iamPrincipalArn.optional(),
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
  .default({ kmsKeyDeletionWindowDays: 30, kmsKeyAdminArns: [], kmsKeyAccountRootAdmin: true });

const backendSchema = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("local") }),
    z.strictObject({
      type: z.literal("s3"),
      bucket: bucketName,
      keyPrefix: z.string().regex(/^[A-Za-z0-9!_.*'()\/-]*$/, "expected an S3 key prefix").default("databricks-aws-cdktf"),
      region: z.string().regex(REGION, "expected an AWS region such as us-east-1"),
      kmsKeyId: z.string().optional(),
    }),
  ])
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
    /** Lifetime of the issued secret or token; it rotates at half of it. */
    lifetimeDays: z
      .number()
      .int("expected a whole number of days")
      .min(1, "expected a lifetime of at least 1 day")
      .max(MAX_CREDENTIAL_LIFETIME_DAYS, `expected a lifetime of at most ${MAX_CREDENTIAL_LIFETIME_DAYS} days (the Databricks maximum)`)
      .default(1),
  })
  .default({ mode: "oauth", lifetimeDays: 1 });

const clusterSchema = z.strictObject({
  /** EC2 instance type offered by Databricks, e.g. `m6i.xlarge`. */
  nodeTypeId: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "expected an EC2 node type such as m6i.xlarge"),
  /** Databricks Runtime version key, e.g. `15.4.x-scala2.12`. */
  sparkVersion: z.string().regex(/^\d+\.\d+\.x(-[a-z0-9-]+)?-scala\d+\.\d+$/, "expected a Databricks Runtime key such as 15.4.x-scala2.12"),
  minWorkers: z.number().int().min(0).default(1),
  maxWorkers: z.number().int().min(1).default(4),
  autoterminationMinutes: z.number().int().min(10).max(10000).default(30),
  /** On-demand nodes before spot (the driver is the first); the rest are spot with on-demand fallback. */
  firstOnDemand: z.number().int().min(1).default(1),
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
    })
    .optional(),
});

export const varsSchema = z
  .strictObject({
    region: z.string().regex(REGION, "expected an AWS region such as us-east-1"),
    /** Prefix of every resource name; lowercase so it is valid in bucket and IAM names alike. */
    namePrefix: z.string().regex(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/, "expected 3-24 lowercase letters, digits or hyphens, starting with a letter"),
    /** A protected environment refuses destructive helper scripts unless forced. */
    protected: z.boolean().default(false),
    tags: z.record(z.string().regex(/^[\w .:/=+@-]{1,128}$/, "expected an AWS tag key"), z.string().max(256)).default({}),
    aws: z.strictObject({ accountId: z.string().regex(/^\d{12}$/, "expected a 12-digit AWS account id") }),
    databricks: z.strictObject({
      accountId: z.uuid({ error: "expected a Databricks account id (UUID)" }),
      workspaceName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "expected a workspace name: letters, digits, '-' or '_'"),
      /** Customer-managed keys and PrivateLink need the Enterprise tier. */
      pricingTier: z.enum(["ENTERPRISE"]).default("ENTERPRISE"),
    }),
    network: networkSchema,
    privateLink: privateLinkSchema,
    storage: storageSchema,
    encryption: encryptionSchema,
    iam: z
      .strictObject({
        /** `policy_type` of `databricks_aws_crossaccount_policy`; never `managed` with a customer-managed VPC. */
        crossAccountPolicyType: z.enum(["customer", "restricted"]).default("customer"),
      })
      .default({ crossAccountPolicyType: "customer" }),
    backend: backendSchema,
    credentials: credentialsSchema,
    /** Account-level log delivery to the logging bucket (provider docs/resources/mws_log_delivery.md). */
    logDelivery: z
      .strictObject({
        /** Audit logs (JSON) of this workspace. */
        auditLogs: z.boolean().default(true),
        /** Billable usage (CSV) of the whole account: at most two enabled account-level configurations per type. */
        billableUsage: z.boolean().default(false),
      })
      .default({ auditLogs: true, billableUsage: false }),
    cluster: clusterSchema,
    workspaceSettings: z
      .strictObject({
        /** `databricks_disable_legacy_dbfs_setting`: no DBFS root or mounts for new compute. */
        disableLegacyDbfs: z.boolean().default(true),
        /**
         * Let the clusters' instance profile read and write the data-lake buckets, for legacy workloads that do
         * not go through Unity Catalog. Unity Catalog's storage credential is the data-access path.
         */
        legacyInstanceProfileDataAccess: z.boolean().default(false),
      })
      .default({ disableLegacyDbfs: true, legacyInstanceProfileDataAccess: false }),
    /** Account-level groups and their workspace assignment (see README, "Identities"). */
    identities: identitiesSchema,
    /** Unity Catalog metastore, storage credential, external locations and catalog (see docs/unity-catalog.md). */
    unityCatalog: unityCatalogSchema,
    /** Unity Catalog connections the management stack creates (see README, "Unity Catalog connections"). */
    connections: z.array(connectionEntrySchema).default([]),
    /** Consumers, their SQL warehouse and extractor jobs (config/consumers.ts; README, "Consumers"). */
    ...consumerBlocks,
  })
  .superRefine((vars, ctx) => {
    const net = vars.network;
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

    // Cross-field rules only compare values that are valid themselves, so one mistake gives one message.
    const vpcValid = parseIpv4Cidr(net.cidrBlock) !== undefined && isCanonical(net.cidrBlock);
    net.availabilityZones.forEach((az, i) => {
      if (REGION.test(vars.region) && !az.startsWith(vars.region)) problem(["network", "availabilityZones", i], `expected a zone of region ${vars.region}`);
      if (net.availabilityZones.indexOf(az) !== i) problem(["network", "availabilityZones", i], "expected each availability zone once");
    });

    const azCount = net.availabilityZones.length;
    if (net.privateSubnetCidrBlocks.length !== azCount) {
      problem(["network", "privateSubnetCidrBlocks"], `expected exactly one private subnet per availability zone (${azCount})`);
    }
    if (net.publicSubnetCidrBlocks.length > azCount) {
      problem(["network", "publicSubnetCidrBlocks"], `expected at most one public subnet per availability zone (${azCount})`);
    }
    if (net.natGateways === "one-per-az" && net.publicSubnetCidrBlocks.length !== azCount) {
      problem(["network", "publicSubnetCidrBlocks"], `expected one public subnet per availability zone (${azCount}) when natGateways is "one-per-az"`);
    }
    const plSubnets = net.privateLinkSubnetCidrBlocks ?? [];
    if (plSubnets.length > azCount) {
      problem(["network", "privateLinkSubnetCidrBlocks"], `expected at most one PrivateLink subnet per availability zone (${azCount})`);
    }
    if (net.privateSubnetPrefixLength.min > net.privateSubnetPrefixLength.max) {
      problem(["network", "privateSubnetPrefixLength"], "expected min <= max");
    }

    net.privateSubnetCidrBlocks.forEach((cidr, i) => {
      const b = parseIpv4Cidr(cidr);
      const { min, max } = net.privateSubnetPrefixLength;
      if (b && (b.prefixLength < min || b.prefixLength > max)) {
        problem(["network", "privateSubnetCidrBlocks", i], `expected a netmask between /${min} and /${max} (Databricks workspace subnet rule)`);
      }
    });

    const subnets: { path: (string | number)[]; cidr: string }[] = [
      ...net.privateSubnetCidrBlocks.map((cidr, i) => ({ path: ["network", "privateSubnetCidrBlocks", i], cidr })),
      ...net.publicSubnetCidrBlocks.map((cidr, i) => ({ path: ["network", "publicSubnetCidrBlocks", i], cidr })),
      ...plSubnets.map((cidr, i) => ({ path: ["network", "privateLinkSubnetCidrBlocks", i], cidr })),
    ];
    subnets.forEach((s, i) => {
      if (!parseIpv4Cidr(s.cidr)) return;
      if (vpcValid && !contains(net.cidrBlock, s.cidr)) problem(s.path, `expected a subnet inside the VPC ${net.cidrBlock}`);
      const clash = subnets.slice(0, i).find((o) => parseIpv4Cidr(o.cidr) && overlaps(o.cidr, s.cidr));
      if (clash) problem(s.path, `expected a subnet that does not overlap ${clash.path.join(".")} (${clash.cidr})`);
    });

    const pl = vars.privateLink;
    if (pl.enabled && !PRIVATE_LINK_SERVICE_NAMES[vars.region] && !(pl.workspaceServiceName && pl.relayServiceName)) {
      problem(
        ["privateLink", "enabled"],
        `expected a region with known Databricks PrivateLink services (${Object.keys(PRIVATE_LINK_SERVICE_NAMES).join(", ")}) or both workspaceServiceName and relayServiceName`,
      );
    }
    if (pl.enabled && plSubnets.length === 0) {
      problem(["network", "privateLinkSubnetCidrBlocks"], "expected at least 1 PrivateLink subnet when privateLink.enabled is true");
    }

    if (vars.cluster.minWorkers > vars.cluster.maxWorkers) problem(["cluster", "minWorkers"], `expected at most cluster.maxWorkers (${vars.cluster.maxWorkers})`);

    vars.connections.forEach((entry, i) => {
      if (vars.connections.findIndex((c) => c.name === entry.name) !== i) problem(["connections", i, "name"], "expected a connection name used once");
      for (const p of connectionProblems(entry)) problem(["connections", i, ...p.path], p.message);
    });

    // Unity Catalog principals are account-level identities the configuration knows (DESIGN.md, "Unity
    // Catalog and identities"): a name that is not one of identities.groups would be a workspace-local group
    // or a typo, and the grant would fail at deploy time.
    const groupNames = new Set(vars.identities.groups.map((g) => g.name));
    const knownPrincipal = (path: (string | number)[], principal: string | undefined) => {
      if (principal !== undefined && !groupNames.has(principal)) {
        problem(path, `expected an account group of identities.groups (${[...groupNames].join(", ")})`);
      }
    };
    for (const field of ["dataReadersGroup", "dataEngineersGroup"] as const) {
      if (!groupNames.has(vars.identities[field])) problem(["identities", field], "expected the name of one of identities.groups");
    }
    vars.identities.groups.forEach((g, i) => {
      if (vars.identities.groups.findIndex((o) => o.name === g.name) !== i) problem(["identities", "groups", i, "name"], "expected each group once");
    });
    vars.connections.forEach((c, i) => {
      knownPrincipal(["connections", i, "owner"], c.owner);
      (c.grants ?? []).forEach((g, j) => knownPrincipal(["connections", i, "grants", j, "principal"], g.principal));
      const fc = c.foreignCatalog as { owner?: unknown; grants?: unknown } | undefined;
      if (typeof fc?.owner === "string") knownPrincipal(["connections", i, "foreignCatalog", "owner"], fc.owner);
      if (Array.isArray(fc?.grants)) {
        fc.grants.forEach((g: unknown, j: number) => {
          const principal = (g as { principal?: unknown })?.principal;
          if (typeof principal === "string") knownPrincipal(["connections", i, "foreignCatalog", "grants", j, "principal"], principal);
        });
      }
    });
    const uc = vars.unityCatalog;
    if (uc.metastore.source === "create") knownPrincipal(["unityCatalog", "metastore", "owner"], uc.metastore.owner);
    uc.storageCredentialGrants.forEach((g, j) => knownPrincipal(["unityCatalog", "storageCredentialGrants", j, "principal"], g.principal));
    uc.externalLocationGrants.forEach((g, j) => knownPrincipal(["unityCatalog", "externalLocationGrants", j, "principal"], g.principal));
    if (uc.catalog) {
      uc.catalog.grants.forEach((g, j) => knownPrincipal(["unityCatalog", "catalog", "grants", j, "principal"], g.principal));
      if (!vars.storage.dataLakeBucketNames.includes(uc.catalog.managedLocationBucketName)) {
        problem(["unityCatalog", "catalog", "managedLocationBucketName"], `expected one of storage.dataLakeBucketNames (${vars.storage.dataLakeBucketNames.join(", ")})`);
      }
    }

    const buckets = [
      { path: ["storage", "rootBucketName"], name: vars.storage.rootBucketName },
      ...vars.storage.dataLakeBucketNames.map((name, i) => ({ path: ["storage", "dataLakeBucketNames", i], name })),
      { path: ["storage", "loggingBucketName"], name: vars.storage.loggingBucketName },
    ];
    buckets.forEach((b, i) => {
      if (buckets.slice(0, i).some((o) => o.name === b.name)) problem(b.path, "expected a bucket name used once");
    });

    // Consumers, their warehouse and extractor jobs: rules of their own (config/consumers.ts).
    for (const p of consumerProblems(vars)) problem(p.path, p.message);
  });

/** Parsed, defaulted settings of one environment. */
export type Vars = z.output<typeof varsSchema>;
/** What a vars file may contain (defaults not yet applied). */
export type VarsInput = z.input<typeof varsSchema>;
