/**
 * The bad-input table: hostile or careless mutations of the shipped vars files, each with the exact lines
 * the entry point prints. `{dev}`, `{prod}` and `{dir}` stand for the paths the loader names (relative to
 * the working directory). Used by bad-input.test.ts.
 */
import * as fs from "fs";
import * as path from "path";

/** Canary values that stand for secrets: no output may ever contain one. */
export const CANARIES = ["hunter2-canary", "s3cr3t-canary", "AKIAABCDEFGHIJKLMNOP", "dapi0123456789abcdef0123456789abcdef", "canary-port-70000"];
const PEM = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-canary\\n-----END PRIVATE KEY-----";

type Vars = Record<string, any>;
export interface BadInputCase {
  readonly name: string;
  /** Changes the parsed dev.json (default: nothing). */
  readonly dev?: (v: Vars) => void;
  /** Changes the parsed prod.json (default: nothing). */
  readonly prod?: (v: Vars) => void;
  /** Replaces the files of the vars directory: name -> object, text or bytes (null removes the file). */
  readonly files?: (dev: Vars, prod: Vars) => Record<string, unknown>;
  /** Environments requested (default: dev). */
  readonly envs?: string[];
  /** The vars directory given to the loader, from the one built (default: itself). */
  readonly varsDir?: (dir: string) => string;
}

const repeat = (n: number, s = "x") => s.repeat(n);
const deep = (levels: number) => `{"region": "us-east-1", "x": ${"[".repeat(levels)}${"]".repeat(levels)}}`;
const utf16 = (text: string, bigEndian: boolean, bom: boolean) => {
  const le = Buffer.from(text, "utf16le");
  const body = bigEndian ? Buffer.from(le.map((_, i) => le[i % 2 === 0 ? i + 1 : i - 1])) : le;
  return Buffer.concat([bom ? Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]) : Buffer.alloc(0), body]);
};
const text = (v: Vars) => JSON.stringify(v, null, 2);

export const CASES: BadInputCase[] = [];

/** Adds cases; kept in a function per class so each class reads as one table. */
function add(...cases: BadInputCase[]): void {
  CASES.push(...cases);
}

// ---- regions, zones, partitions ----------------------------------------------------------------
add(
  { name: "misspelt region", dev: (v) => (v.region = "us-esat-1") },
  { name: "not a region", dev: (v) => (v.region = "mars") },
  { name: "GovCloud region", dev: (v) => { v.region = "us-gov-west-1"; v.network.availabilityZones = ["us-gov-west-1a", "us-gov-west-1b"]; } },
  { name: "China region", dev: (v) => { v.region = "cn-north-1"; v.network.availabilityZones = ["cn-north-1a", "cn-north-1b"]; } },
  { name: "ISO region", dev: (v) => { v.region = "us-iso-east-1"; v.network.availabilityZones = ["us-iso-east-1a", "us-iso-east-1b"]; } },
  { name: "AWS region without Databricks", dev: (v) => { v.region = "af-south-1"; v.network.availabilityZones = ["af-south-1a", "af-south-1b"]; } },
  { name: "region in upper case", dev: (v) => (v.region = "US-EAST-1") },
  { name: "region as a number", dev: (v) => (v.region = 1) },
  { name: "zone letter no region has", dev: (v) => (v.network.availabilityZones[1] = "us-east-1z") },
  { name: "zone of a misspelt region", dev: (v) => (v.network.availabilityZones[1] = "us-esat-1a") },
  { name: "zone of another region", dev: (v) => (v.network.availabilityZones[1] = "eu-west-1b") },
  { name: "zone without a letter", dev: (v) => (v.network.availabilityZones[1] = "us-east-1") },
  { name: "zone given twice", dev: (v) => (v.network.availabilityZones[1] = "us-east-1a") },
  { name: "empty zone", dev: (v) => (v.network.availabilityZones[0] = "") },
  { name: "PrivateLink workspace service of another region", dev: (v) => { v.privateLink = { enabled: true, workspaceServiceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0da6ebf1461278016" }; v.network.privateLinkSubnetCidrBlocks = ["10.20.65.0/27"]; } },
  { name: "PrivateLink relay service of another region", dev: (v) => (v.privateLink = { enabled: false, relayServiceName: "com.amazonaws.vpce.us-west-2.vpce-svc-0158114c0c730c3bb" }) },
  { name: "PrivateLink in a region without known services", dev: (v) => { v.region = "sa-east-1"; v.network.availabilityZones = ["sa-east-1a", "sa-east-1b"]; v.privateLink = { enabled: true }; v.network.privateLinkSubnetCidrBlocks = ["10.20.65.0/27"]; } },
  { name: "PrivateLink service name malformed", dev: (v) => (v.privateLink.workspaceServiceName = "vpce-svc-0da6ebf1461278016") },
  { name: "PrivateLink without endpoint subnets", dev: (v) => (v.privateLink = { enabled: true }) },
  { name: "state bucket region misspelt", dev: (v) => (v.backend = { type: "s3", bucket: "acme-state-dev", region: "eu-wets-1" }) },
  { name: "state bucket in GovCloud", dev: (v) => (v.backend = { type: "s3", bucket: "acme-state-dev", region: "us-gov-east-1" }) },
);

// ---- CIDR blocks and subnet sizes ----------------------------------------------------------------
add(
  { name: "leading zero in a VPC octet", dev: (v) => (v.network.cidrBlock = "10.020.0.0/16") },
  { name: "leading zero in a prefix length", dev: (v) => (v.network.cidrBlock = "10.20.0.0/016") },
  { name: "leading zero in a private subnet", dev: (v) => (v.network.privateSubnetCidrBlocks[0] = "010.20.0.0/19") },
  { name: "leading zero in an egress destination", dev: (v) => (v.network.egressCidrBlocks = ["0.0.0.00/0"]) },
  { name: "prefix length 33", dev: (v) => (v.network.cidrBlock = "10.20.0.0/33") },
  { name: "VPC larger than /16", dev: (v) => (v.network.cidrBlock = "10.0.0.0/8") },
  { name: "VPC smaller than /28", dev: (v) => (v.network.cidrBlock = "10.20.0.0/29") },
  { name: "VPC with host bits", dev: (v) => (v.network.cidrBlock = "10.20.0.1/16") },
  { name: "public subnet smaller than /28", dev: (v) => (v.network.publicSubnetCidrBlocks[0] = "10.20.64.0/29") },
  { name: "public subnet larger than /16", dev: (v) => (v.network.publicSubnetCidrBlocks[0] = "10.0.0.0/15") },
  { name: "PrivateLink subnet smaller than /28", dev: (v) => (v.network.privateLinkSubnetCidrBlocks = ["10.20.65.0/30"]) },
  { name: "private subnet smaller than Databricks allows", dev: (v) => (v.network.privateSubnetCidrBlocks[0] = "10.20.0.0/27") },
  { name: "private subnet outside configured bounds", dev: (v) => { v.network.privateSubnetPrefixLength = { min: 17, max: 19 }; v.network.privateSubnetCidrBlocks[0] = "10.20.0.0/20"; } },
  { name: "workspace netmask bound beyond AWS", dev: (v) => (v.network.privateSubnetPrefixLength = { min: 17, max: 29 }) },
  { name: "workspace netmask bounds reversed", dev: (v) => (v.network.privateSubnetPrefixLength = { min: 20, max: 18 }) },
  { name: "egress destination twice", dev: (v) => (v.network.egressCidrBlocks = ["10.0.0.0/8", "10.0.0.0/8"]) },
  { name: "IPv6 block", dev: (v) => (v.network.cidrBlock = "fd00::/56") },
  { name: "CIDR with surrounding space", dev: (v) => (v.network.cidrBlock = " 10.20.0.0/16") },
  { name: "subnet outside the VPC", dev: (v) => (v.network.publicSubnetCidrBlocks[0] = "10.99.0.0/24") },
  { name: "overlapping subnets", dev: (v) => (v.network.privateSubnetCidrBlocks[1] = "10.20.16.0/20") },
  { name: "public subnet overlapping a private one", dev: (v) => (v.network.publicSubnetCidrBlocks[0] = "10.20.31.0/24") },
  { name: "one private subnet for two zones", dev: (v) => v.network.privateSubnetCidrBlocks.pop() },
  { name: "one NAT per zone without a public subnet per zone", dev: (v) => (v.network.natGateways = "one-per-az") },
  { name: "fewer than 2 zones", dev: (v) => { v.network.availabilityZones = ["us-east-1a"]; v.network.privateSubnetCidrBlocks = ["10.20.0.0/19"]; } },
);

// ---- S3 bucket names --------------------------------------------------------------------------
add(
  ...["xn--acme-root", "sthree-acme-root", "amzn-s3-demo-root"].map((b) => ({ name: `reserved bucket prefix ${b.split("-")[0]}`, dev: (v: Vars) => (v.storage.rootBucketName = b) })),
  ...["acme-logs-s3alias", "acme-logs--ol-s3", "acme.logs.mrap", "acme-logs--x-s3", "acme-logs--table-s3"].map((b) => ({ name: `reserved bucket suffix of ${b}`, dev: (v: Vars) => (v.storage.loggingBucketName = b) })),
  { name: "bucket named like an IP address", dev: (v) => (v.storage.rootBucketName = "192.168.5.4") },
  { name: "bucket with two adjacent periods", dev: (v) => (v.storage.rootBucketName = "acme..root") },
  { name: "bucket in upper case", dev: (v) => (v.storage.rootBucketName = "Acme_Root") },
  { name: "bucket of 64 characters", dev: (v) => (v.storage.dataLakeBucketNames[0] = repeat(64, "a")) },
  { name: "bucket of 2 characters", dev: (v) => (v.storage.dataLakeBucketNames[0] = "ab") },
  { name: "bucket used twice in one file", dev: (v) => (v.storage.loggingBucketName = v.storage.rootBucketName) },
  { name: "state bucket is a bucket of the same file", dev: (v) => (v.backend = { type: "s3", bucket: v.storage.loggingBucketName, region: "us-east-1" }) },
  { name: "no data-lake bucket", dev: (v) => (v.storage.dataLakeBucketNames = []) },
);

// ---- tags -------------------------------------------------------------------------------------
add(
  { name: "tag key with the aws: prefix", dev: (v) => (v.tags["aws:cost"] = "x") },
  { name: "tag key with the AWS: prefix in another case", dev: (v) => (v.tags["AWS:Team"] = "x") },
  { name: "empty tag key", dev: (v) => (v.tags[""] = "x") },
  { name: "more tags than the stacks leave room for", dev: (v) => { for (let i = 0; i < 44; i++) v.tags[`T${i}`] = "x"; } },
  { name: "tag key of 129 characters", dev: (v) => (v.tags[repeat(129, "k")] = "x") },
  { name: "tag value of 257 characters", dev: (v) => (v.tags.Owner = repeat(257, "v")) },
  { name: "tag key with a character AWS refuses", dev: (v) => (v.tags["cost*center"] = "x") },
  { name: "tag value with a character AWS refuses", dev: (v) => (v.tags.Owner = "<team>") },
  { name: "tag key the stacks set (Name)", dev: (v) => (v.tags.Name = "x") },
  { name: "tag key the stacks set (ManagedBy)", dev: (v) => (v.tags.ManagedBy = "x") },
  { name: "tag value that is not a string", dev: (v) => (v.tags.Owner = 42) },
  { name: "tag key naming a secret", dev: (v) => (v.tags.pwd = "hunter2-canary") },
  { name: "tag value shaped like an AWS access key", dev: (v) => (v.tags.Owner = "AKIAABCDEFGHIJKLMNOP") },
);

// ---- cluster sizes ----------------------------------------------------------------------------
add(
  { name: "more workers than the workspace subnet has addresses", dev: (v) => (v.cluster.maxWorkers = 9000) },
  { name: "more workers than any subnet could hold", dev: (v) => (v.cluster.maxWorkers = 1000000) },
  { name: "min above max workers", dev: (v) => (v.cluster.minWorkers = 9) },
  { name: "first on-demand beyond the cluster", dev: (v) => (v.cluster.firstOnDemand = 4) },
  { name: "auto-termination below 10 minutes", dev: (v) => (v.cluster.autoterminationMinutes = 5) },
  { name: "auto-termination above 10000 minutes", dev: (v) => (v.cluster.autoterminationMinutes = 20000) },
  { name: "fractional workers", dev: (v) => (v.cluster.maxWorkers = 1.5) },
  { name: "negative workers", dev: (v) => (v.cluster.minWorkers = -1) },
  { name: "workers of 1e999 (Infinity)", files: (dev) => ({ "dev.json": text(dev).replace('"maxWorkers": 2', '"maxWorkers": 1e999') }) },
  { name: "workers of -1e999 (-Infinity)", files: (dev) => ({ "dev.json": text(dev).replace('"minWorkers": 1', '"minWorkers": -1e999') }) },
  { name: "node type missing", dev: (v) => delete v.cluster.nodeTypeId },
  { name: "node type malformed", dev: (v) => (v.cluster.nodeTypeId = "large") },
);

// ---- encodings, JSON, files -------------------------------------------------------------------
add(
  { name: "UTF-8 byte-order mark", files: (dev) => ({ "dev.json": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text(dev))]) }) },
  { name: "UTF-16 LE with byte-order mark", files: (dev) => ({ "dev.json": utf16(text(dev), false, true) }) },
  { name: "UTF-16 BE with byte-order mark", files: (dev) => ({ "dev.json": utf16(text(dev), true, true) }) },
  { name: "UTF-16 LE without byte-order mark", files: (dev) => ({ "dev.json": utf16(text(dev), false, false) }) },
  { name: "UTF-16 BE without byte-order mark", files: (dev) => ({ "dev.json": utf16(text(dev), true, false) }) },
  { name: "UTF-32 LE", files: () => ({ "dev.json": Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x7b, 0, 0, 0, 0x7d, 0, 0, 0]) }) },
  { name: "Latin-1 text", files: (dev) => ({ "dev.json": Buffer.from(text({ ...dev, tags: { Owner: "Müller" } }), "latin1") }) },
  { name: "trailing comma", files: () => ({ "dev.json": '{\n  "region": "us-east-1",\n}' }) },
  { name: "syntax error next to a secret", files: () => ({ "dev.json": '{\n  "databricks": { "password": hunter2-canary }\n}' }) },
  { name: "empty file", files: () => ({ "dev.json": "" }) },
  { name: "a list instead of an object", files: () => ({ "dev.json": "[]" }) },
  { name: "null", files: () => ({ "dev.json": "null" }) },
  { name: "nesting 100000 levels deep", files: () => ({ "dev.json": deep(100000) }) },
  { name: "invalid JSON 100000 levels deep", files: () => ({ "dev.json": "[".repeat(100000) }) },
  { name: "nesting 20 levels deep", files: () => ({ "dev.json": deep(20) }) },
  { name: "vars file is a directory", files: () => ({ "dev.json": null, "dev.json/": true }) },
  { name: "vars directory is a file", varsDir: (dir) => path.join(dir, "dev.json") },
  { name: "vars directory is a path through a file", varsDir: (dir) => path.join(dir, "dev.json", "vars") },
  { name: "vars directory missing", varsDir: (dir) => path.join(dir, "missing") },
  { name: "vars file larger than 1 MiB", files: (dev) => ({ "dev.json": text(dev) + " ".repeat(1024 * 1024 + 1 - Buffer.byteLength(text(dev))) }) },
  { name: "file name that cannot be a stack id", files: (dev) => ({ "Dev.json": dev }), envs: [] },
);

// ---- requested environments ----------------------------------------------------------------------
add(
  { name: "environment given as a path", envs: ["../prod"] },
  { name: "environment given twice", envs: ["dev", "dev"] },
  { name: "environment with .json", envs: ["dev.json"] },
  { name: "the JSON Schema as an environment", envs: ["schema"] },
  { name: "environment in upper case", envs: ["Dev"] },
  { name: "environment without a file", envs: ["staging"] },
);

// ---- names shared between environments ------------------------------------------------------------
add(
  { name: "two environments with one name prefix", prod: (v) => (v.namePrefix = "acme-dbx-dev"), envs: ["dev", "prod"] },
  { name: "two environments with one bucket", prod: (v) => (v.storage.rootBucketName = "acme-dbx-dev-root-use1"), envs: ["dev", "prod"] },
  { name: "a data-lake bucket that is another environment's logging bucket", prod: (v) => (v.storage.dataLakeBucketNames[0] = "acme-dbx-dev-logs-use1"), envs: ["prod"] },
  { name: "two workspaces with one name in one Databricks account", prod: (v) => (v.databricks.workspaceName = "acme-analytics-dev"), envs: ["dev", "prod"] },
  { name: "state bucket that another environment creates", prod: (v) => (v.backend.bucket = "acme-dbx-dev-lake-raw-use1"), envs: ["dev", "prod"] },
  { name: "connection name shared in one metastore", prod: (v) => { v.region = "us-east-1"; v.network.availabilityZones = ["us-east-1a", "us-east-1b", "us-east-1c"]; v.connections = v.connections.filter((c: Vars) => c.name !== "mysql_analytics"); v.connections[0].name = "mysql_analytics"; }, envs: ["dev", "prod"] },
  { name: "catalog name shared in one metastore", prod: (v) => { v.region = "us-east-1"; v.network.availabilityZones = ["us-east-1a", "us-east-1b", "us-east-1c"]; v.connections = [{ ...v.connections[1], foreignCatalog: { ...v.connections[1].foreignCatalog, name: "SNOWFLAKE_FINANCE" } }]; }, envs: ["dev", "prod"] },
  { name: "collision with an environment not requested", prod: (v) => (v.namePrefix = "acme-dbx-dev"), envs: ["prod"] },
);

// ---- secrets: never in a vars file, never in a message -------------------------------------------
add(
  { name: "client secret field", dev: (v) => (v.databricks.clientSecret = "s3cr3t-canary") },
  { name: "password field", dev: (v) => (v.storage.password = "hunter2-canary") },
  { name: "connection password in options", dev: (v) => (v.connections[0].options.password = "hunter2-canary") },
  { name: "service account key in options", dev: (v) => (v.connections[3].options = { serviceAccountKeyJson: '{"type":"service_account","s3cr3t-canary":1}' }) },
  { name: "secret under an innocent-looking property key", dev: (v) => (v.connections[0].properties = { pwd: "hunter2-canary" }) },
  { name: "API key in catalog properties", dev: (v) => (v.connections[0].foreignCatalog.properties = { apiKey: "s3cr3t-canary" }) },
  { name: "PEM private key in a comment", dev: (v) => (v.connections[0].comment = PEM.replace(/\\n/g, "\n")) },
  { name: "Databricks token as an owner", dev: (v) => (v.connections[0].owner = "dapi0123456789abcdef0123456789abcdef") },
  { name: "access key as a connection user", dev: (v) => (v.connections[0].options.user = "AKIAABCDEFGHIJKLMNOP") },
  { name: "secret under an unknown top-level key", dev: (v) => (v.pwd = "hunter2-canary") },
  { name: "secret under an unknown option key", dev: (v) => (v.connections[0].options.pwd = "hunter2-canary") },
  { name: "connection option value out of range is not shown", dev: (v) => (v.connections[0].options.port = 70000) },
  { name: "connection host with a scheme is not shown", dev: (v) => (v.connections[0].options.host = "jdbc:mysql://canary-port-70000.acme.internal") },
  { name: "connection option of the wrong type is not shown", dev: (v) => (v.connections[0].options.user = ["hunter2-canary"]) },
);

// ---- connections --------------------------------------------------------------------------------
add(
  { name: "unknown connection type", dev: (v) => (v.connections[0].connectionType = "MONGODB") },
  { name: "SYNAPSE spelt as the API does not", dev: (v) => (v.connections[2].connectionType = "SYNAPSE") },
  { name: "connection type missing", dev: (v) => delete v.connections[0].connectionType },
  { name: "connection name unusable as a variable name", dev: (v) => (v.connections[0].name = "MySQL-Analytics") },
  { name: "connection name with a period", dev: (v) => (v.connections[0].name = "mysql.analytics") },
  { name: "connection name of 256 characters", dev: (v) => (v.connections[0].name = repeat(256, "a")) },
  { name: "connection name used twice", dev: (v) => (v.connections[1].name = v.connections[0].name) },
  { name: "two connections whose foreign catalogs share a name", dev: (v) => (v.connections[2].foreignCatalog.name = "mysql_analytics") },
  { name: "foreign catalogs sharing a name in another case", dev: (v) => (v.connections[2].foreignCatalog.name = "MySQL_Analytics") },
  { name: "catalog named system", dev: (v) => (v.connections[0].foreignCatalog.name = "system") },
  { name: "catalog named hive_metastore", dev: (v) => (v.connections[0].foreignCatalog.name = "hive_metastore") },
  { name: "catalog named samples", dev: (v) => (v.connections[0].foreignCatalog.name = "Samples") },
  { name: "catalog name with the databricks prefix", dev: (v) => (v.connections[0].foreignCatalog.name = "databricks_sales") },
  { name: "catalog name with a space", dev: (v) => (v.connections[0].foreignCatalog.name = "mysql analytics") },
  { name: "empty grants list", dev: (v) => (v.connections[0].grants = []) },
  { name: "empty catalog grants list", dev: (v) => (v.connections[0].foreignCatalog.grants = []) },
  { name: "empty privilege list", dev: (v) => (v.connections[0].grants[0].privileges = []) },
  { name: "principal granted twice", dev: (v) => v.connections[0].grants.push({ principal: "acme-dbx-dev-data-engineers", privileges: ["MANAGE"] }) },
  { name: "privilege listed twice", dev: (v) => (v.connections[0].grants[0].privileges = ["USE_CONNECTION", "USE_CONNECTION"]) },
  { name: "catalog privilege on a connection", dev: (v) => (v.connections[0].grants[0].privileges = ["SELECT"]) },
  { name: "connection privilege on a catalog", dev: (v) => (v.connections[0].foreignCatalog.grants[0].privileges = ["USE_CONNECTION"]) },
  { name: "grant without a principal", dev: (v) => delete v.connections[0].grants[0].principal },
  { name: "grant with an empty principal", dev: (v) => (v.connections[0].grants[0].principal = " ") },
  { name: "grant with an unknown field", dev: (v) => (v.connections[0].grants[0].privilege = "MANAGE") },
  { name: "auth on a source without alternatives", dev: (v) => (v.connections[0].auth = "privateKey") },
  { name: "auth that is not an alternative", dev: (v) => (v.connections[1].auth = "oauth") },
  { name: "option the source does not take", dev: (v) => (v.connections[0].options.warehouse = "WH") },
  { name: "provider option key instead of the field", dev: (v) => { delete v.connections[1].options.warehouse; v.connections[1].options.sfWarehouse = "WH"; } },
  { name: "required option missing", dev: (v) => delete v.connections[1].options.warehouse },
  { name: "port given as a string", dev: (v) => (v.connections[0].options.port = "3306") },
  { name: "host with a path", dev: (v) => (v.connections[0].options.host = "db.acme.internal/app") },
  { name: "trustServerCertificate not a boolean", dev: (v) => (v.connections[2].options.trustServerCertificate = "yes") },
  { name: "foreign catalog without its database", dev: (v) => delete v.connections[2].foreignCatalog.database },
  { name: "foreign catalog database on MySQL", dev: (v) => (v.connections[0].foreignCatalog.database = "app") },
  { name: "isolation mode unknown", dev: (v) => (v.connections[0].foreignCatalog.isolationMode = "PRIVATE") },
  { name: "comment of 1025 characters", dev: (v) => (v.connections[0].comment = repeat(1025, "c")) },
  { name: "catalog comment of 1025 characters", dev: (v) => (v.connections[0].foreignCatalog.comment = repeat(1025, "c")) },
  { name: "readOnly as a string", dev: (v) => (v.connections[0].readOnly = "true") },
  { name: "property value that is not a string", dev: (v) => (v.connections[0].properties = { retries: 3 }) },
  { name: "unknown connection field", dev: (v) => (v.connections[0].readonly = true) },
  { name: "connection that is not an object", dev: (v) => (v.connections[0] = "mysql") },
  { name: "empty owner", dev: (v) => (v.connections[0].owner = "") },
);

// ---- other fields -------------------------------------------------------------------------------
add(
  { name: "unknown top-level field", dev: (v) => (v.enviroment = "dev") },
  { name: "unknown nested field", dev: (v) => (v.network.colour = "blue") },
  { name: "name prefix in upper case", dev: (v) => (v.namePrefix = "Acme-Dev") },
  { name: "AWS account id of 11 digits", dev: (v) => (v.aws.accountId = "21098765432") },
  { name: "Databricks account id not a UUID", dev: (v) => (v.databricks.accountId = "1234") },
  { name: "workspace name with a space", dev: (v) => (v.databricks.workspaceName = "acme analytics") },
  { name: "key administrator in GovCloud", dev: (v) => (v.encryption.kmsKeyAdminArns = ["arn:aws-us-gov:iam::210987654321:role/admin"]) },
  { name: "key administrator twice", dev: (v) => (v.encryption.kmsKeyAdminArns = ["arn:aws:iam::210987654321:role/admin", "arn:aws:iam::210987654321:role/admin"]) },
  { name: "key deletion window of 6 days", dev: (v) => (v.encryption.kmsKeyDeletionWindowDays = 6) },
  { name: "credential lifetime above the maximum", dev: (v) => (v.credentials.lifetimeDays = 731) },
  { name: "credential lifetime of 0", dev: (v) => (v.credentials.lifetimeDays = 0) },
  { name: "unknown credential mode", dev: (v) => (v.credentials.mode = "password") },
  { name: "the removed pat credential mode", dev: (v) => (v.credentials.mode = "pat") },
  { name: "connection grant to a group the configuration does not know", dev: (v) => (v.connections[0].grants[0].principal = "acme-dbx-dev-data-engineer") },
  { name: "connection owner that is no account group of the configuration", dev: (v) => (v.connections[1].owner = "workspace-admins") },
  { name: "foreign-catalog grant to an unknown principal", dev: (v) => (v.connections[0].foreignCatalog.grants[0].principal = "users") },
  { name: "external-location grant to an unknown principal", dev: (v) => (v.unityCatalog.externalLocationGrants[1].principal = "readers") },
  { name: "catalog grant to an unknown principal", dev: (v) => (v.unityCatalog.catalog.grants[0].principal = "admins") },
  { name: "readers group that is not among the groups", dev: (v) => (v.identities.dataReadersGroup = "analysts") },
  { name: "the same account group twice", dev: (v) => v.identities.groups.push({ name: "acme-dbx-dev-data-readers" }) },
  { name: "unknown workspace permission of a group", dev: (v) => (v.identities.groups[0].workspacePermission = "OWNER") },
  { name: "group name with a trailing space", dev: (v) => (v.identities.groups[0].name = "acme-dbx-dev-data-readers ") },
  { name: "catalog on a bucket that is not a data-lake bucket", dev: (v) => (v.unityCatalog.catalog.managedLocationBucketName = "acme-dbx-dev-logs-use1") },
  { name: "metastore id that is not a UUID", dev: (v) => (v.unityCatalog.metastore.metastoreId = "main") },
  { name: "unknown metastore source", dev: (v) => (v.unityCatalog.metastore = { source: "shared" }) },
  { name: "created metastore owned by an unknown group", prod: (v) => (v.unityCatalog.metastore.owner = "uc-admins"), envs: ["prod"] },
  { name: "no unityCatalog block", dev: (v) => delete v.unityCatalog },
  { name: "grant without privileges", dev: (v) => (v.unityCatalog.storageCredentialGrants[0].privileges = []) },
  { name: "flow-log retention CloudWatch does not offer", dev: (v) => (v.network.flowLogs.retentionDays = 2) },
  { name: "$schema that is not a string", dev: (v) => (v.$schema = 1) },
  { name: "unknown backend type", dev: (v) => (v.backend = { type: "gcs" }) },
  { name: "pricing tier other than Enterprise", dev: (v) => (v.databricks.pricingTier = "PREMIUM") },
  { name: "managed cross-account policy", dev: (v) => (v.iam.crossAccountPolicyType = "managed") },
  { name: "protected as a string", dev: (v) => (v.protected = "yes") },
  { name: "required block missing", dev: (v) => delete v.storage },
  { name: "state objects key in GovCloud", dev: (v) => (v.backend = { type: "s3", bucket: "acme-state-dev", region: "us-east-1", kmsKeyId: "arn:aws-us-gov:kms:us-gov-west-1:210987654321:key/abc" }) },
  { name: "field given twice", files: (dev) => ({ "dev.json": text(dev).replace('"protected": false,', '"protected": false,\n  "protected": true,') }) },
  { name: "nested field given twice", files: (dev) => ({ "dev.json": text(dev).replace('"s3": true,', '"s3": true,\n      "s3": false,') }) },
  { name: "unknown field with a 10000-character name", dev: (v) => (v[repeat(10000, "f")] = 1) },
  { name: "every problem of a file at once", dev: (v) => { v.region = "mars"; v.network.privateSubnetCidrBlocks[1] = "10.20.16.0/20"; v.extra = 1; } },
);

// ---- vars/common.json: each <env>.json merged over it; a line names the file the value came from ----
/**
 * `v` (a complete environment) split into a common.json holding the top-level fields `shared` and a
 * dev.json holding the rest; `change` edits both before they are written.
 */
const layers = (v: Vars, shared: readonly string[], change: (common: Vars, env: Vars) => void = () => {}) => {
  const common = Object.fromEntries(Object.entries(v).filter(([k]) => shared.includes(k)));
  const env = Object.fromEntries(Object.entries(v).filter(([k]) => !shared.includes(k)));
  change(common, env);
  return { "common.json": common, "dev.json": env };
};
/** dev and prod each without the fields common.json (`common`) gives. */
const shared = (dev: Vars, prod: Vars, common: Vars, omit: (v: Vars) => void) => {
  omit(dev);
  omit(prod);
  return { "common.json": common, "dev.json": dev, "prod.json": prod };
};
add(
  { name: "bad value inherited from common.json", files: (dev) => layers(dev, ["cluster"], (c) => (c.cluster.nodeTypeId = "large")) },
  { name: "bad value overridden in the environment's file", files: (dev) => layers(dev, ["cluster"], (_c, e) => (e.cluster = { nodeTypeId: "large" })) },
  {
    name: "bad value in common.json inherited by two environments: one line",
    envs: ["dev", "prod"],
    files: (dev, prod) => shared(dev, prod, { cluster: { sparkVersion: "15.4" } }, (v) => delete v.cluster.sparkVersion),
  },
  { name: "unknown field in common.json", files: () => ({ "common.json": { clusterr: { nodeTypeId: "m6i.large" } } }) },
  { name: "required field in neither file", files: (dev) => layers(dev, ["storage"], (c) => delete c.storage.rootBucketName) },
  { name: "field missing from a list item inherited from common.json", files: (dev) => layers(dev, ["unityCatalog"], (c) => delete c.unityCatalog.storageCredentialGrants[0].privileges) },
  { name: "null in the environment's file is a value, not a deletion", files: (dev) => layers(dev, ["cluster"], (_c, e) => (e.cluster = null)) },
  {
    name: "a list in the environment's file replaces common's (not concatenated)",
    files: (dev) => layers(dev, ["network"], (_c, e) => (e.network = { availabilityZones: ["us-east-1a"] })),
  },
  { name: "malformed common.json", files: () => ({ "common.json": '{\n  "cluster": { "sparkVersion": "15.4.x-scala2.12", }\n}' }) },
  { name: "common.json in UTF-16", files: () => ({ "common.json": utf16('{ "protected": false }', false, true) }) },
  { name: "common.json holding a list", files: () => ({ "common.json": [] }) },
  { name: "common.json with a $schema that is not a string", files: () => ({ "common.json": { $schema: 1 } }) },
  { name: "common.json is a directory", files: () => ({ "common.json/": true }) },
  { name: "secret-looking field in common.json", files: () => ({ "common.json": { databricks: { clientSecret: "hunter2-canary" } } }) },
  { name: "credential-shaped tag value in common.json", files: () => ({ "common.json": { tags: { Deployer: "AKIAABCDEFGHIJKLMNOP" } } }) },
  {
    name: "connection password in common.json",
    files: (dev) => layers(dev, ["connections"], (c) => (c.connections[0].options.password = "s3cr3t-canary")),
  },
  { name: "common.json named as an environment", envs: ["common"] },
  {
    name: "name prefix in common.json shared by two environments",
    envs: ["dev", "prod"],
    files: (dev, prod) => shared(dev, prod, { namePrefix: "acme-dbx" }, (v) => delete v.namePrefix),
  },
);

// ---- overlays: an object that does not merge into common.json's value replaces it whole ----
const METASTORE_ID = "3f9a6c2e-8b41-4d7a-9e0f-5c2d1b7a6e84";
add(
  {
    name: "metastore of another source than common.json's, without its required field",
    files: (dev) =>
      layers(dev, ["unityCatalog"], (c, e) => {
        c.unityCatalog.metastore = { source: "existing", metastoreId: METASTORE_ID };
        e.unityCatalog = { metastore: { source: "create" } };
      }),
  },
  {
    name: "backend of another type than common.json's, without its required field",
    files: (dev) =>
      layers(dev, ["backend"], (c, e) => {
        c.backend = { type: "local" };
        e.backend = { type: "s3", region: "us-east-1" };
      }),
  },
  {
    name: "object replacing a value of common.json that is no object, without its required field",
    files: (dev) =>
      layers(dev, ["storage"], (c, e) => {
        e.storage = { ...c.storage };
        delete e.storage.rootBucketName;
        c.storage = "default";
      }),
  },
  {
    name: "metastore field in common.json without a source, not allowed by the environment's source",
    files: (dev) =>
      layers(dev, ["unityCatalog"], (c, e) => {
        c.unityCatalog.metastore = { owner: "acme-dbx-admins" };
        e.unityCatalog = { metastore: { source: "existing", metastoreId: METASTORE_ID } };
      }),
  },
);

// ---- keys of free-form maps (tags, properties) that are JavaScript object internals ----
/** `target` with the own field `key` (a plain assignment of "__proto__" would change its prototype instead). */
const withOwn = (target: Vars, key: string, value: unknown) => Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
add(
  { name: "tag key __proto__", dev: (v) => withOwn(v.tags, "__proto__", "x") },
  { name: "tag key __proto__ in common.json", files: (dev) => layers(dev, ["tags"], (c) => withOwn(c.tags, "__proto__", "x")) },
  { name: "tag key constructor", dev: (v) => withOwn(v.tags, "constructor", "x") },
  { name: "tag key prototype", dev: (v) => (v.tags.prototype = "x") },
  { name: "connection property key __proto__", dev: (v) => (v.connections[0].properties = withOwn({ purpose: "reporting" }, "__proto__", "x")) },
  {
    name: "foreign catalog property keys constructor and prototype in common.json",
    files: (dev) => layers(dev, ["connections"], (c) => (c.connections[1].foreignCatalog.properties = withOwn({ prototype: "y" }, "constructor", "x"))),
  },
);

/** Writes `files` into `dir` (objects as JSON; a name ending in "/" makes a directory; null skips). */
export function writeFiles(dir: string, files: Record<string, unknown>): void {
  for (const [name, content] of Object.entries(files)) {
    if (content === null) continue;
    const target = path.join(dir, name);
    if (name.endsWith("/")) fs.mkdirSync(target, { recursive: true });
    else fs.writeFileSync(target, Buffer.isBuffer(content) ? content : typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
}

/** The exact lines the entry point prints for each case (after "Invalid configuration:"), by case name. */
/** What a map key that is a JavaScript object internal is told (constructs/security/map-keys.ts), written out. */
const RESERVED_KEY =
  'expected a key other than "__proto__", "constructor", "prototype" (names of JavaScript object internals: such a key would be dropped or would change the map\'s prototype instead of becoming an entry)';

export const EXPECTED: Record<string, string[]> = {
  "misspelt region": [
    "{dev}: region: expected an AWS region name: <area>-<direction>-<number> such as us-east-1, eu-west-1 or ap-southeast-2, found \"us-esat-1\"",
  ],
  "not a region": [
    "{dev}: region: expected an AWS region name: <area>-<direction>-<number> such as us-east-1, eu-west-1 or ap-southeast-2, found \"mars\"",
  ],
  "GovCloud region": [
    "{dev}: region: expected a region of the commercial AWS partition: AWS GovCloud (aws-us-gov) is refused because the constructs hard-code arn:aws: ARNs and the commercial Databricks control-plane account, found \"us-gov-west-1\"",
  ],
  "China region": [
    "{dev}: region: expected a region of the commercial AWS partition: AWS China (aws-cn) is refused because the constructs hard-code arn:aws: ARNs and the commercial Databricks control-plane account, found \"cn-north-1\"",
  ],
  "ISO region": [
    "{dev}: region: expected a region of the commercial AWS partition: an AWS ISO partition is refused because the constructs hard-code arn:aws: ARNs and the commercial Databricks control-plane account, found \"us-iso-east-1\"",
  ],
  "AWS region without Databricks": [
    "{dev}: region: expected a region where Databricks runs workspaces on AWS (Databricks \"clouds and regions\"): ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, ap-southeast-3, ca-central-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3, sa-east-1, us-east-1, us-east-2, us-west-1, us-west-2, found \"af-south-1\"",
  ],
  "region in upper case": [
    "{dev}: region: expected an AWS region name: <area>-<direction>-<number> such as us-east-1, eu-west-1 or ap-southeast-2, found \"US-EAST-1\"",
  ],
  "region as a number": [
    "{dev}: region: expected an AWS region such as us-east-1, found 1",
  ],
  "zone letter no region has": [
    "{dev}: network.availabilityZones.1: expected an availability zone: a region name followed by a letter a-f, such as us-east-1a, found \"us-east-1z\"",
  ],
  "zone of a misspelt region": [
    "{dev}: network.availabilityZones.1: expected an availability zone: a region name followed by a letter a-f, such as us-east-1a, found \"us-esat-1a\"",
  ],
  "zone of another region": [
    "{dev}: network.availabilityZones.1: expected a zone of region us-east-1 (us-east-1a, us-east-1b, ...), found \"eu-west-1b\"",
  ],
  "zone without a letter": [
    "{dev}: network.availabilityZones.1: expected an availability zone: a region name followed by a letter a-f, such as us-east-1a, found \"us-east-1\"",
  ],
  "zone given twice": [
    "{dev}: network.availabilityZones.1: expected each availability zone once, found \"us-east-1a\"",
  ],
  "empty zone": [
    "{dev}: network.availabilityZones.0: expected an availability zone: a region name followed by a letter a-f, such as us-east-1a, found \"\"",
  ],
  "PrivateLink workspace service of another region": [
    "{dev}: privateLink.workspaceServiceName: expected an endpoint service of region us-east-1 (com.amazonaws.vpce.us-east-1.vpce-svc-...): an interface endpoint connects only to services of its own region, found \"com.amazonaws.vpce.eu-west-1.vpce-svc-0da6ebf1461278016\"",
  ],
  "PrivateLink relay service of another region": [
    "{dev}: privateLink.relayServiceName: expected an endpoint service of region us-east-1 (com.amazonaws.vpce.us-east-1.vpce-svc-...): an interface endpoint connects only to services of its own region, found \"com.amazonaws.vpce.us-west-2.vpce-svc-0158114c0c730c3bb\"",
  ],
  "PrivateLink in a region without known services": [
    "{dev}: privateLink.enabled: expected a region with known Databricks PrivateLink services (ap-northeast-1, ap-south-1, ap-southeast-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, us-east-1, us-east-2, us-west-2) or both workspaceServiceName and relayServiceName, found true",
  ],
  "PrivateLink service name malformed": [
    "{dev}: privateLink.workspaceServiceName: expected a VPC endpoint service name such as com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0, found \"vpce-svc-0da6ebf1461278016\"",
  ],
  "PrivateLink without endpoint subnets": [
    "{dev}: network.privateLinkSubnetCidrBlocks: expected at least 1 PrivateLink subnet when privateLink.enabled is true, found nothing (field missing)",
  ],
  "state bucket region misspelt": [
    "{dev}: backend.region: expected an AWS region name: <area>-<direction>-<number> such as us-east-1, eu-west-1 or ap-southeast-2, found \"eu-wets-1\"",
  ],
  "state bucket in GovCloud": [
    "{dev}: backend.region: expected a region of the commercial AWS partition: AWS GovCloud (aws-us-gov) is refused because the constructs hard-code arn:aws: ARNs and the commercial Databricks control-plane account, found \"us-gov-east-1\"",
  ],
  "leading zero in a VPC octet": [
    "{dev}: network.cidrBlock: expected an IPv4 CIDR block without leading zeros (010 is octal 8 to many tools; AWS rejects it), such as 10.0.0.0/16, found \"10.020.0.0/16\"",
  ],
  "leading zero in a prefix length": [
    "{dev}: network.cidrBlock: expected an IPv4 CIDR block without leading zeros (010 is octal 8 to many tools; AWS rejects it), such as 10.0.0.0/16, found \"10.20.0.0/016\"",
  ],
  "leading zero in a private subnet": [
    "{dev}: network.privateSubnetCidrBlocks.0: expected an IPv4 CIDR block without leading zeros (010 is octal 8 to many tools; AWS rejects it), such as 10.0.0.0/16, found \"010.20.0.0/19\"",
  ],
  "leading zero in an egress destination": [
    "{dev}: network.egressCidrBlocks.0: expected an IPv4 CIDR block without leading zeros (010 is octal 8 to many tools; AWS rejects it), such as 10.0.0.0/16, found \"0.0.0.00/0\"",
  ],
  "prefix length 33": [
    "{dev}: network.cidrBlock: expected an IPv4 CIDR block such as 10.0.0.0/16, found \"10.20.0.0/33\"",
  ],
  "VPC larger than /16": [
    "{dev}: network.cidrBlock: expected a VPC CIDR block (AWS VPC sizing) with a netmask from /16 to /28, found \"10.0.0.0/8\"",
  ],
  "VPC smaller than /28": [
    "{dev}: network.cidrBlock: expected a VPC CIDR block (AWS VPC sizing) with a netmask from /16 to /28, found \"10.20.0.0/29\"",
  ],
  "VPC with host bits": [
    "{dev}: network.cidrBlock: expected a network address with no host bits set (e.g. 10.0.0.0/16), found \"10.20.0.1/16\"",
  ],
  "public subnet smaller than /28": [
    "{dev}: network.publicSubnetCidrBlocks.0: expected a public subnet (AWS subnet sizing) with a netmask from /16 to /28, found \"10.20.64.0/29\"",
  ],
  "public subnet larger than /16": [
    "{dev}: network.publicSubnetCidrBlocks.0: expected a public subnet (AWS subnet sizing) with a netmask from /16 to /28, found \"10.0.0.0/15\"",
  ],
  "PrivateLink subnet smaller than /28": [
    "{dev}: network.privateLinkSubnetCidrBlocks.0: expected a PrivateLink subnet (AWS subnet sizing) with a netmask from /16 to /28, found \"10.20.65.0/30\"",
  ],
  "private subnet smaller than Databricks allows": [
    "{dev}: network.privateSubnetCidrBlocks.0: expected a netmask between /17 and /26 (Databricks workspace subnet rule), found \"10.20.0.0/27\"",
  ],
  "private subnet outside configured bounds": [
    "{dev}: network.privateSubnetCidrBlocks.0: expected a netmask between /17 and /19 (Databricks workspace subnet rule), found \"10.20.0.0/20\"",
  ],
  "workspace netmask bound beyond AWS": [
    "{dev}: network.privateSubnetPrefixLength.max: expected a value <= 28, found 29",
  ],
  "workspace netmask bounds reversed": [
    "{dev}: network.privateSubnetPrefixLength: expected min <= max, found {\"min\":20,\"max\":18}",
  ],
  "egress destination twice": [
    "{dev}: network.egressCidrBlocks.1: expected each destination once, found \"10.0.0.0/8\"",
  ],
  "IPv6 block": [
    "{dev}: network.cidrBlock: expected an IPv4 CIDR block such as 10.0.0.0/16, found \"fd00::/56\"",
  ],
  "CIDR with surrounding space": [
    "{dev}: network.cidrBlock: expected an IPv4 CIDR block such as 10.0.0.0/16, found \" 10.20.0.0/16\"",
  ],
  "subnet outside the VPC": [
    "{dev}: network.publicSubnetCidrBlocks.0: expected a subnet inside the VPC 10.20.0.0/16, found \"10.99.0.0/24\"",
  ],
  "overlapping subnets": [
    "{dev}: network.privateSubnetCidrBlocks.1: expected a subnet that does not overlap network.privateSubnetCidrBlocks.0 (10.20.0.0/19), found \"10.20.16.0/20\"",
  ],
  "public subnet overlapping a private one": [
    "{dev}: network.publicSubnetCidrBlocks.0: expected a subnet that does not overlap network.privateSubnetCidrBlocks.0 (10.20.0.0/19), found \"10.20.31.0/24\"",
  ],
  "one private subnet for two zones": [
    "{dev}: network.privateSubnetCidrBlocks: expected exactly one private subnet per availability zone (2), found [\"10.20.0.0/19\"]",
  ],
  "one NAT per zone without a public subnet per zone": [
    "{dev}: network.publicSubnetCidrBlocks: expected one public subnet per availability zone (2) when natGateways is \"one-per-az\", found [\"10.20.64.0/26\"]",
  ],
  "fewer than 2 zones": [
    "{dev}: network.availabilityZones: expected at least 2 availability zones, found [\"us-east-1a\"]",
  ],
  "reserved bucket prefix xn": [
    "{dev}: storage.rootBucketName: expected an S3 bucket name without the reserved prefix \"xn--\" (S3 general purpose bucket naming rules), found \"xn--acme-root\"",
  ],
  "reserved bucket prefix sthree": [
    "{dev}: storage.rootBucketName: expected an S3 bucket name without the reserved prefix \"sthree-\" (S3 general purpose bucket naming rules), found \"sthree-acme-root\"",
  ],
  "reserved bucket prefix amzn": [
    "{dev}: storage.rootBucketName: expected an S3 bucket name without the reserved prefix \"amzn-s3-demo-\" (S3 general purpose bucket naming rules), found \"amzn-s3-demo-root\"",
  ],
  "reserved bucket suffix of acme-logs-s3alias": [
    "{dev}: storage.loggingBucketName: expected an S3 bucket name without the reserved suffix \"-s3alias\" (S3 general purpose bucket naming rules), found \"acme-logs-s3alias\"",
  ],
  "reserved bucket suffix of acme-logs--ol-s3": [
    "{dev}: storage.loggingBucketName: expected an S3 bucket name without the reserved suffix \"--ol-s3\" (S3 general purpose bucket naming rules), found \"acme-logs--ol-s3\"",
  ],
  "reserved bucket suffix of acme.logs.mrap": [
    "{dev}: storage.loggingBucketName: expected an S3 bucket name without the reserved suffix \".mrap\" (S3 general purpose bucket naming rules), found \"acme.logs.mrap\"",
  ],
  "reserved bucket suffix of acme-logs--x-s3": [
    "{dev}: storage.loggingBucketName: expected an S3 bucket name without the reserved suffix \"--x-s3\" (S3 general purpose bucket naming rules), found \"acme-logs--x-s3\"",
  ],
  "reserved bucket suffix of acme-logs--table-s3": [
    "{dev}: storage.loggingBucketName: expected an S3 bucket name without the reserved suffix \"--table-s3\" (S3 general purpose bucket naming rules), found \"acme-logs--table-s3\"",
  ],
  "bucket named like an IP address": [
    "{dev}: storage.rootBucketName: expected an S3 bucket name that is not an IP address and has no '..', found \"192.168.5.4\"",
  ],
  "bucket with two adjacent periods": [
    "{dev}: storage.rootBucketName: expected an S3 bucket name that is not an IP address and has no '..', found \"acme..root\"",
  ],
  "bucket in upper case": [
    "{dev}: storage.rootBucketName: expected an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit, found \"Acme_Root\"",
  ],
  "bucket of 64 characters": [
    "{dev}: storage.dataLakeBucketNames.0: expected an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit, found \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
  ],
  "bucket of 2 characters": [
    "{dev}: storage.dataLakeBucketNames.0: expected an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit, found \"ab\"",
  ],
  "bucket used twice in one file": [
    "{dev}: storage.loggingBucketName: expected a bucket name used once, found \"acme-dbx-dev-root-use1\"",
  ],
  "state bucket is a bucket of the same file": [
    "{dev}: backend.bucket: expected a state bucket the stacks do not create (the state would live in a bucket its own stack manages and can destroy), found \"acme-dbx-dev-logs-use1\"",
  ],
  "no data-lake bucket": [
    "{dev}: storage.dataLakeBucketNames: expected at least 1 data-lake bucket, found []",
  ],
  "tag key with the aws: prefix": [
    "{dev}: tags.aws:cost: expected a tag key without the prefix \"aws:\" (reserved for AWS), found the key \"aws:cost\"",
  ],
  "tag key with the AWS: prefix in another case": [
    "{dev}: tags.AWS:Team: expected a tag key without the prefix \"aws:\" (reserved for AWS), found the key \"AWS:Team\"",
  ],
  "empty tag key": [
    "{dev}: tags.\"\": expected a tag key of 1-128 characters, not an empty one, found the key \"\"",
  ],
  "more tags than the stacks leave room for": [
    "{dev}: tags: expected at most 47 tags (AWS allows 50 per resource; the stacks add Name, ManagedBy, Stack), found 48",
  ],
  "tag key of 129 characters": [
    "{dev}: tags.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...: expected a tag key of at most 128 characters, found the key \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...\"",
  ],
  "tag value of 257 characters": [
    "{dev}: tags.Owner: expected a tag value of at most 256 characters, found \"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv...",
  ],
  "tag key with a character AWS refuses": [
    "{dev}: tags.cost*center: expected a tag key of letters, digits, spaces and + - = . _ : / @, found the key \"cost*center\"",
  ],
  "tag value with a character AWS refuses": [
    "{dev}: tags.Owner: expected a tag value of letters, digits, spaces and + - = . _ : / @, found \"<team>\"",
  ],
  "tag key the stacks set (Name)": [
    "{dev}: tags.Name: expected a tag key the stacks do not set themselves (Name, ManagedBy, Stack), found the key \"Name\"",
  ],
  "tag key the stacks set (ManagedBy)": [
    "{dev}: tags.ManagedBy: expected a tag key the stacks do not set themselves (Name, ManagedBy, Stack), found the key \"ManagedBy\"",
  ],
  "tag value that is not a string": [
    "{dev}: tags.Owner: expected a tag value (a string), found 42",
  ],
  "tag key naming a secret": [
    "{dev}: tags.pwd: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a value for a secret-looking field",
  ],
  "tag value shaped like an AWS access key": [
    "{dev}: tags.Owner: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found an AWS access key id (not shown)",
  ],
  "more workers than the workspace subnet has addresses": [
    "{dev}: cluster.maxWorkers: expected at most 8186 workers: a cluster runs in one availability zone and each node takes an address of its workspace subnet (the largest, /19, has 8187 usable addresses, one of them for the driver), found 9000",
  ],
  "more workers than any subnet could hold": [
    "{dev}: cluster.maxWorkers: expected a value <= 65530, found 1000000",
  ],
  "min above max workers": [
    "{dev}: cluster.minWorkers: expected at most cluster.maxWorkers (2), found 9",
  ],
  "first on-demand beyond the cluster": [
    "{dev}: cluster.firstOnDemand: expected at most cluster.maxWorkers + 1 (3, the driver and every worker), found 4",
  ],
  "auto-termination below 10 minutes": [
    "{dev}: cluster.autoterminationMinutes: expected a value >= 10, found 5",
  ],
  "auto-termination above 10000 minutes": [
    "{dev}: cluster.autoterminationMinutes: expected a value <= 10000, found 20000",
  ],
  "fractional workers": [
    "{dev}: cluster.maxWorkers: expected a whole number, found 1.5",
  ],
  "negative workers": [
    "{dev}: cluster.minWorkers: expected a value >= 0, found -1",
  ],
  "workers of 1e999 (Infinity)": [
    "{dev}: cluster.maxWorkers: expected a finite number, found Infinity (a number too large for a JSON number, such as 1e999)",
  ],
  "workers of -1e999 (-Infinity)": [
    "{dev}: cluster.minWorkers: expected a finite number, found -Infinity (a number too large for a JSON number, such as 1e999)",
  ],
  "node type missing": [
    "{dev}: cluster.nodeTypeId: expected a string, found nothing (field missing)",
  ],
  "node type malformed": [
    "{dev}: cluster.nodeTypeId: expected an EC2 node type such as m6i.xlarge, found \"large\"",
  ],
  "UTF-8 byte-order mark": [
    "{dev}: (top level): expected UTF-8 text without a byte-order mark, found a UTF-8 byte-order mark (EF BB BF) at the start; save the file as UTF-8",
  ],
  "UTF-16 LE with byte-order mark": [
    "{dev}: (top level): expected UTF-8 text without a byte-order mark, found UTF-16 little-endian text (byte-order mark FF FE); save the file as UTF-8",
  ],
  "UTF-16 BE with byte-order mark": [
    "{dev}: (top level): expected UTF-8 text without a byte-order mark, found UTF-16 big-endian text (byte-order mark FE FF); save the file as UTF-8",
  ],
  "UTF-16 LE without byte-order mark": [
    "{dev}: (top level): expected UTF-8 text without a byte-order mark, found UTF-16 little-endian text without a byte-order mark (zero bytes between the characters); save the file as UTF-8",
  ],
  "UTF-16 BE without byte-order mark": [
    "{dev}: (top level): expected UTF-8 text without a byte-order mark, found UTF-16 big-endian text without a byte-order mark (zero bytes between the characters); save the file as UTF-8",
  ],
  "UTF-32 LE": [
    "{dev}: (top level): expected UTF-8 text without a byte-order mark, found UTF-32 little-endian text (byte-order mark FF FE 00 00); save the file as UTF-8",
  ],
  "Latin-1 text": [
    "{dev}: (top level): expected UTF-8 text without a byte-order mark, found bytes that are not UTF-8 (for example Latin-1 or Windows-1252 text); save the file as UTF-8",
  ],
  "trailing comma": [
    "{dev}: (top level): expected valid JSON, found a syntax error at line 3, column 1 (property name expected)",
  ],
  "syntax error next to a secret": [
    "{dev}: (top level): expected valid JSON, found a syntax error at line 2, column 31 (invalid symbol)",
  ],
  "empty file": [
    "{dev}: (top level): expected valid JSON, found a syntax error at line 1, column 1 (value expected)",
  ],
  "a list instead of an object": [
    "{dev}: (top level): expected an object, found []",
  ],
  "null": [
    "{dev}: (top level): expected an object, found null",
  ],
  "nesting 100000 levels deep": [
    "{dev}: x.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0: expected at most 16 levels of nesting (the schema needs 7), found deeper nesting",
  ],
  "invalid JSON 100000 levels deep": [
    "{dev}: (top level): expected valid JSON, found a syntax error in nesting too deep to locate (more than 16 levels)",
  ],
  "nesting 20 levels deep": [
    "{dev}: x.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0: expected at most 16 levels of nesting (the schema needs 7), found deeper nesting",
  ],
  "vars file is a directory": [
    "{dev}: expected a vars file, found a directory",
  ],
  "vars directory is a file": [
    "{vars}: expected a directory of <env>.json files, found a file",
  ],
  "vars directory is a path through a file": [
    "{vars}: expected a directory of <env>.json files, found a path through a file that is not a directory (ENOTDIR)",
  ],
  "vars directory missing": [
    "{vars}: expected a directory of <env>.json files, found nothing",
  ],
  "vars file larger than 1 MiB": [
    "{dev}: expected a vars file of at most 1048576 bytes, found 1048577 bytes",
  ],
  "file name that cannot be a stack id": [
    "{rel}/Dev.json: expected a file name of lowercase letters, digits or hyphens, starting with a letter (it becomes a stack id), found \"Dev\"",
  ],
  "environment given as a path": [
    "ENVS: environment \"../prod\": expected an environment name (the base name of a vars file, e.g. \"dev\"), found a path",
  ],
  "environment given twice": [
    "ENVS: environment \"dev\": expected each environment once, found it again",
  ],
  "environment with .json": [
    "ENVS: environment \"dev.json\": expected an environment name without \".json\", e.g. \"dev\"",
  ],
  "the JSON Schema as an environment": [
    "ENVS: environment \"schema\": expected an environment name, found \"schema\": vars/schema.json is the JSON Schema of the vars files",
  ],
  "environment in upper case": [
    "ENVS: environment \"Dev\": expected lowercase letters, digits or hyphens, starting with a letter (at most 31)",
  ],
  "environment without a file": [
    "{rel}/staging.json: expected a vars file for environment \"staging\", found no such file (available: dev, prod)",
  ],
  "two environments with one name prefix": [
    "{prod}: namePrefix: expected a name prefix no other environment uses (IAM roles, KMS aliases and Databricks objects are named from it), found \"acme-dbx-dev\", also at {dev}: namePrefix",
  ],
  "two environments with one bucket": [
    "{prod}: storage.rootBucketName: expected a bucket name no other environment uses (S3 bucket names are global), found \"acme-dbx-dev-root-use1\", also at {dev}: storage.rootBucketName",
  ],
  "a data-lake bucket that is another environment's logging bucket": [
    "{prod}: storage.dataLakeBucketNames.0: expected a bucket name no other environment uses (S3 bucket names are global), found \"acme-dbx-dev-logs-use1\", also at {dev}: storage.loggingBucketName",
  ],
  "two workspaces with one name in one Databricks account": [
    "{prod}: databricks.workspaceName: expected a workspace name no other environment of this Databricks account uses, found \"acme-analytics-dev\", also at {dev}: databricks.workspaceName",
  ],
  "state bucket that another environment creates": [
    "{prod}: backend.bucket: expected a state bucket no stack creates (its stacks could destroy it with the state inside), found \"acme-dbx-dev-lake-raw-use1\", created by {dev}: storage.dataLakeBucketNames.0",
  ],
  "connection name shared in one metastore": [
    "{prod}: connections.0.name: expected a connection name no other environment of this Databricks account and region uses (they share the region's metastore), found \"mysql_analytics\", also at {dev}: connections.0.name",
    "{prod}: connections.1.name: expected a connection name no other environment of this Databricks account and region uses (they share the region's metastore), found \"snowflake_finance\", also at {dev}: connections.1.name",
    "{prod}: connections.2.name: expected a connection name no other environment of this Databricks account and region uses (they share the region's metastore), found \"synapse_customer360\", also at {dev}: connections.2.name",
    "{prod}: connections.3.name: expected a connection name no other environment of this Databricks account and region uses (they share the region's metastore), found \"bigquery_analytics\", also at {dev}: connections.3.name",
    "{prod}: connections.1.foreignCatalog.name: expected a catalog name no other environment of this Databricks account and region uses (they share the region's metastore), found \"snowflake_finance\", also at {dev}: connections.1.foreignCatalog.name",
    "{prod}: connections.2.foreignCatalog.name: expected a catalog name no other environment of this Databricks account and region uses (they share the region's metastore), found \"synapse_customer360\", also at {dev}: connections.2.foreignCatalog.name",
    "{prod}: connections.3.foreignCatalog.name: expected a catalog name no other environment of this Databricks account and region uses (they share the region's metastore), found \"bigquery_analytics\", also at {dev}: connections.3.foreignCatalog.name",
  ],
  "catalog name shared in one metastore": [
    "{prod}: connections.0.foreignCatalog.name: expected a catalog name no other environment of this Databricks account and region uses (they share the region's metastore), found \"snowflake_finance\", also at {dev}: connections.1.foreignCatalog.name",
  ],
  "collision with an environment not requested": [
    "{prod}: namePrefix: expected a name prefix no other environment uses (IAM roles, KMS aliases and Databricks objects are named from it), found \"acme-dbx-dev\", also at {dev}: namePrefix",
  ],
  "client secret field": [
    "{dev}: databricks.clientSecret: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a value for a secret-looking field",
  ],
  "password field": [
    "{dev}: storage.password: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a value for a secret-looking field",
  ],
  "connection password in options": [
    "{dev}: connections.0.options.password: expected no secret in a vars file: set TF_VAR_connection_mysql_analytics_password at deploy time instead, found a value (not shown)",
  ],
  "service account key in options": [
    "{dev}: connections.3.options.serviceAccountKeyJson: expected no secret in a vars file: set TF_VAR_connection_bigquery_analytics_service_account_key_json at deploy time instead, found a value (not shown)",
  ],
  "secret under an innocent-looking property key": [
    "{dev}: connections.0.properties.pwd: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a value for a secret-looking field",
  ],
  "API key in catalog properties": [
    "{dev}: connections.0.foreignCatalog.properties.apiKey: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a value for a secret-looking field",
  ],
  "PEM private key in a comment": [
    "{dev}: connections.0.comment: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a PEM private key (not shown)",
  ],
  "Databricks token as an owner": [
    "{dev}: connections.0.owner: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a Databricks personal access token (not shown)",
  ],
  "access key as a connection user": [
    "{dev}: connections.0.options.user: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found an AWS access key id (not shown)",
  ],
  "secret under an unknown top-level key": [
    "{dev}: pwd: expected no such field (unknown field), found a string of 14 characters (not shown)",
  ],
  "secret under an unknown option key": [
    "{dev}: connections.0.options.pwd: expected one of the MYSQL options host, port, user, password, found a string of 14 characters (not shown)",
  ],
  "connection option value out of range is not shown": [
    "{dev}: connections.0.options.port: expected port (optional for MYSQL): an integer from 1 to 65535, found a number (not shown)",
  ],
  "connection host with a scheme is not shown": [
    "{dev}: connections.0.options.host: expected host (required for MYSQL): a host name without a scheme such as \"jdbc:\" or \"https://\", found a string of 44 characters (not shown)",
  ],
  "connection option of the wrong type is not shown": [
    "{dev}: connections.0.options.user: expected user (required for MYSQL): a string, found a list (not shown)",
  ],
  "unknown connection type": [
    "{dev}: connections.0.connectionType: expected a supported connection type: MYSQL, POSTGRESQL, REDSHIFT, ORACLE, SQLSERVER, SQLDW, SNOWFLAKE, BIGQUERY, DATABRICKS, synapse, found \"MONGODB\"",
  ],
  "SYNAPSE spelt as the API does not": [
    "{dev}: connections.2.connectionType: expected a supported connection type (Azure Synapse is \"SQLDW\" in the API; \"synapse\" is accepted as an alias): MYSQL, POSTGRESQL, REDSHIFT, ORACLE, SQLSERVER, SQLDW, SNOWFLAKE, BIGQUERY, DATABRICKS, synapse, found \"SYNAPSE\"",
  ],
  "connection type missing": [
    "{dev}: connections.0.connectionType: expected a supported connection type: MYSQL, POSTGRESQL, REDSHIFT, ORACLE, SQLSERVER, SQLDW, SNOWFLAKE, BIGQUERY, DATABRICKS, synapse, found nothing (field missing)",
  ],
  "connection name unusable as a variable name": [
    "{dev}: connections.0.name: expected a connection name of lowercase letters, digits and '_', starting with a letter (it names TF_VAR_ variables), found \"MySQL-Analytics\"",
  ],
  "connection name with a period": [
    "{dev}: connections.0.name: expected a connection name without a period, space, forward slash or control character (Unity Catalog names), found \"mysql.analytics\"",
  ],
  "connection name of 256 characters": [
    "{dev}: connections.0.name: expected a connection name of at most 255 characters (Unity Catalog names), found \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...",
  ],
  "connection name used twice": [
    "{dev}: connections.1.name: expected a connection name used once, found \"mysql_analytics\"",
  ],
  "two connections whose foreign catalogs share a name": [
    "{dev}: connections.2.foreignCatalog.name: expected a foreign catalog name used once (catalog names are unique in a metastore, and Unity Catalog ignores case), found \"mysql_analytics\"",
  ],
  "foreign catalogs sharing a name in another case": [
    "{dev}: connections.2.foreignCatalog.name: expected a foreign catalog name used once (catalog names are unique in a metastore, and Unity Catalog ignores case), found \"MySQL_Analytics\"",
  ],
  "catalog named system": [
    "{dev}: connections.0.foreignCatalog.name: expected a catalog name Databricks does not reserve (names starting with \"sys\" are reserved by Databricks), found \"system\"",
  ],
  "catalog named hive_metastore": [
    "{dev}: connections.0.foreignCatalog.name: expected a catalog name Databricks does not reserve (\"hive_metastore\" is a catalog every workspace already has), found \"hive_metastore\"",
  ],
  "catalog named samples": [
    "{dev}: connections.0.foreignCatalog.name: expected a catalog name Databricks does not reserve (\"samples\" is a catalog every workspace already has), found \"Samples\"",
  ],
  "catalog name with the databricks prefix": [
    "{dev}: connections.0.foreignCatalog.name: expected a catalog name Databricks does not reserve (names starting with \"databricks\" are reserved by Databricks), found \"databricks_sales\"",
  ],
  "catalog name with a space": [
    "{dev}: connections.0.foreignCatalog.name: expected a foreign catalog name without a period, space, forward slash or control character (Unity Catalog names), found \"mysql analytics\"",
  ],
  "empty grants list": [
    "{dev}: connections.0.grants: expected at least one grant; omit grants to manage none (an empty databricks_grants would revoke every grant on the connection), found []",
  ],
  "empty catalog grants list": [
    "{dev}: connections.0.foreignCatalog.grants: expected at least one grant; omit grants to manage none (an empty databricks_grants would revoke every grant on the catalog), found []",
  ],
  "empty privilege list": [
    "{dev}: connections.0.grants.0.privileges: expected at least one privilege, found []",
  ],
  "principal granted twice": [
    "{dev}: connections.0.grants.1.principal: expected each principal once (merge its privileges into one grant), found \"acme-dbx-dev-data-engineers\"",
  ],
  "privilege listed twice": [
    "{dev}: connections.0.grants.0.privileges.1: expected each privilege once, found \"USE_CONNECTION\"",
  ],
  "catalog privilege on a connection": [
    "{dev}: connections.0.grants.0.privileges.0: expected a privilege on a connection: ALL_PRIVILEGES, MANAGE, USE_CONNECTION, CREATE_FOREIGN_CATALOG, found \"SELECT\"",
  ],
  "connection privilege on a catalog": [
    "{dev}: connections.0.foreignCatalog.grants.0.privileges.0: expected a privilege on a catalog: ALL_PRIVILEGES, APPLY_TAG, BROWSE, CREATE_CONNECTION, CREATE_FUNCTION, CREATE_SCHEMA, CREATE_TABLE, CREATE_VOLUME, EXECUTE, MANAGE, MODIFY, READ_VOLUME, REFRESH, SELECT, USE_CATALOG, USE_SCHEMA, WRITE_VOLUME, found \"USE_CONNECTION\"",
  ],
  "grant without a principal": [
    "{dev}: connections.0.grants.0.principal: expected a principal (user name, group name or service principal application id), found nothing (field missing)",
  ],
  "grant with an empty principal": [
    "{dev}: connections.0.grants.0.principal: expected a principal (user name, group name or service principal application id), not an empty string, found \" \"",
  ],
  "grant with an unknown field": [
    "{dev}: connections.0.grants.0.privilege: expected no such field (unknown field), found \"MANAGE\"",
  ],
  "auth on a source without alternatives": [
    "{dev}: connections.0.auth: expected no auth: MYSQL has no authentication alternatives, found \"privateKey\"",
  ],
  "auth that is not an alternative": [
    "{dev}: connections.1.auth: expected one of password, privateKey (the secret SNOWFLAKE authenticates with), found \"oauth\"",
  ],
  "option the source does not take": [
    "{dev}: connections.0.options.warehouse: expected one of the MYSQL options host, port, user, password, found a string of 2 characters (not shown)",
  ],
  "provider option key instead of the field": [
    "{dev}: connections.1.options.sfWarehouse: expected one of the SNOWFLAKE options host, port, warehouse, user, password, privateKey (did you mean \"warehouse\"?), found a string of 2 characters (not shown)",
    "{dev}: connections.1.options.warehouse: expected warehouse (required for SNOWFLAKE), found nothing (field missing)",
  ],
  "required option missing": [
    "{dev}: connections.1.options.warehouse: expected warehouse (required for SNOWFLAKE), found nothing (field missing)",
  ],
  "port given as a string": [
    "{dev}: connections.0.options.port: expected port (optional for MYSQL): an integer from 1 to 65535, found a string of 4 characters (not shown)",
  ],
  "host with a path": [
    "{dev}: connections.0.options.host: expected host (required for MYSQL): a host name without a path, found a string of 20 characters (not shown)",
  ],
  "trustServerCertificate not a boolean": [
    "{dev}: connections.2.options.trustServerCertificate: expected true or false, found a string of 3 characters (not shown)",
  ],
  "foreign catalog without its database": [
    "{dev}: connections.2.foreignCatalog.database: expected database (the remote entity, emitted as catalog option \"database\"; required for a SQLDW foreign catalog), found nothing (field missing)",
  ],
  "foreign catalog database on MySQL": [
    "{dev}: connections.0.foreignCatalog.database: expected one of the foreign catalog fields for MYSQL: name, comment, owner, properties, isolationMode, forceDestroy, grants, found \"app\"",
  ],
  "isolation mode unknown": [
    "{dev}: connections.0.foreignCatalog.isolationMode: expected \"ISOLATED\" or \"OPEN\", found \"PRIVATE\"",
  ],
  "comment of 1025 characters": [
    "{dev}: connections.0.comment: expected a comment of at most 1024 characters, found \"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc...",
  ],
  "catalog comment of 1025 characters": [
    "{dev}: connections.0.foreignCatalog.comment: expected a comment of at most 1024 characters, found \"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc...",
  ],
  "readOnly as a string": [
    "{dev}: connections.0.readOnly: expected true or false, found \"true\"",
  ],
  "property value that is not a string": [
    "{dev}: connections.0.properties.retries: expected a string value, found a number (not shown)",
  ],
  "unknown connection field": [
    "{dev}: connections.0.readonly: expected one of the connection fields name, connectionType, auth, comment, owner, properties, readOnly, grants, options, foreignCatalog, found true",
  ],
  "connection that is not an object": [
    "{dev}: connections.0: expected a connection object, found \"mysql\"",
  ],
  "empty owner": [
    "{dev}: connections.0.owner: expected an owner, not an empty string, found \"\"",
  ],
  "unknown top-level field": [
    "{dev}: enviroment: expected no such field (unknown field), found \"dev\"",
  ],
  "unknown nested field": [
    "{dev}: network.colour: expected no such field (unknown field), found \"blue\"",
  ],
  "name prefix in upper case": [
    "{dev}: namePrefix: expected 3-24 lowercase letters, digits or hyphens, starting with a letter, found \"Acme-Dev\"",
  ],
  "AWS account id of 11 digits": [
    "{dev}: aws.accountId: expected a 12-digit AWS account id, found \"21098765432\"",
  ],
  "Databricks account id not a UUID": [
    "{dev}: databricks.accountId: expected a Databricks account id (UUID), found \"1234\"",
  ],
  "workspace name with a space": [
    "{dev}: databricks.workspaceName: expected a workspace name: letters, digits, '-' or '_', found \"acme analytics\"",
  ],
  "key administrator in GovCloud": [
    "{dev}: encryption.kmsKeyAdminArns.0: expected an IAM principal ARN of the commercial partition (arn:aws:iam::<account>:root, :role/..., :user/...), found \"arn:aws-us-gov:iam::210987654321:role/admin\"",
  ],
  "key administrator twice": [
    "{dev}: encryption.kmsKeyAdminArns: expected each key administrator once, found [\"arn:aws:iam::210987654321:role/admin\",\"arn:aws:iam::210987654321:role/admin\"]",
  ],
  "key deletion window of 6 days": [
    "{dev}: encryption.kmsKeyDeletionWindowDays: expected a value >= 7, found 6",
  ],
  "credential lifetime above the maximum": [
    "{dev}: credentials.lifetimeDays: expected a lifetime of at most 730 days (the Databricks maximum), found 731",
  ],
  "credential lifetime of 0": [
    "{dev}: credentials.lifetimeDays: expected a lifetime of at least 1 day, found 0",
  ],
  "unknown credential mode": [
    "{dev}: credentials.mode: expected \"oauth\" (the \"pat\" mode was removed: the management stack signs in with OAuth M2M; a PAT for a tool that only takes PATs is created in the management stack), found \"password\"",
  ],
  "the removed pat credential mode": [
    "{dev}: credentials.mode: expected \"oauth\" (the \"pat\" mode was removed: the management stack signs in with OAuth M2M; a PAT for a tool that only takes PATs is created in the management stack), found \"pat\"",
  ],
  "connection grant to a group the configuration does not know": [
    "{dev}: connections.0.grants.0.principal: expected an account group of identities.groups (acme-dbx-dev-data-readers, acme-dbx-dev-data-engineers), found \"acme-dbx-dev-data-engineer\"",
  ],
  "connection owner that is no account group of the configuration": [
    "{dev}: connections.1.owner: expected an account group of identities.groups (acme-dbx-dev-data-readers, acme-dbx-dev-data-engineers), found \"workspace-admins\"",
  ],
  "foreign-catalog grant to an unknown principal": [
    "{dev}: connections.0.foreignCatalog.grants.0.principal: expected an account group of identities.groups (acme-dbx-dev-data-readers, acme-dbx-dev-data-engineers), found \"users\"",
  ],
  "external-location grant to an unknown principal": [
    "{dev}: unityCatalog.externalLocationGrants.1.principal: expected an account group of identities.groups (acme-dbx-dev-data-readers, acme-dbx-dev-data-engineers), found \"readers\"",
  ],
  "catalog grant to an unknown principal": [
    "{dev}: unityCatalog.catalog.grants.0.principal: expected an account group of identities.groups (acme-dbx-dev-data-readers, acme-dbx-dev-data-engineers), found \"admins\"",
  ],
  "readers group that is not among the groups": [
    "{dev}: identities.dataReadersGroup: expected the name of one of identities.groups, found \"analysts\"",
  ],
  "the same account group twice": [
    "{dev}: identities.groups.2.name: expected each group once, found \"acme-dbx-dev-data-readers\"",
  ],
  "unknown workspace permission of a group": [
    "{dev}: identities.groups.0.workspacePermission: expected one of \"USER\", \"ADMIN\", found \"OWNER\"",
  ],
  "group name with a trailing space": [
    "{dev}: identities.groups.0.name: expected a group name without leading or trailing spaces, found \"acme-dbx-dev-data-readers \"",
  ],
  "catalog on a bucket that is not a data-lake bucket": [
    "{dev}: unityCatalog.catalog.managedLocationBucketName: expected one of storage.dataLakeBucketNames (acme-dbx-dev-lake-raw-use1, acme-dbx-dev-lake-curated-use1), found \"acme-dbx-dev-logs-use1\"",
  ],
  "metastore id that is not a UUID": [
    "{dev}: unityCatalog.metastore.metastoreId: expected a metastore id (UUID), found \"main\"",
  ],
  "unknown metastore source": [
    "{dev}: unityCatalog.metastore.source: expected a metastore source of \"existing\", \"create\", \"automatic\", found \"shared\"",
  ],
  "created metastore owned by an unknown group": [
    "{prod}: unityCatalog.metastore.owner: expected an account group of identities.groups (acme-dbx-prod-data-readers, acme-dbx-prod-data-engineers, acme-data-platform-admins), found \"uc-admins\"",
  ],
  "no unityCatalog block": [
    "{dev}: unityCatalog: expected an object, found nothing (field missing)",
  ],
  "grant without privileges": [
    "{dev}: unityCatalog.storageCredentialGrants.0.privileges: expected at least 1 item(s), found []",
  ],
  "flow-log retention CloudWatch does not offer": [
    "{dev}: network.flowLogs.retentionDays: expected a CloudWatch Logs retention: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, found 2",
  ],
  "$schema that is not a string": [
    "{dev}: $schema: expected a string, found 1",
  ],
  "unknown backend type": [
    "{dev}: backend.type: expected a backend of type \"local\" or \"s3\", found \"gcs\"",
  ],
  "pricing tier other than Enterprise": [
    "{dev}: databricks.pricingTier: expected one of \"ENTERPRISE\", found \"PREMIUM\"",
  ],
  "managed cross-account policy": [
    "{dev}: iam.crossAccountPolicyType: expected one of \"customer\", \"restricted\", found \"managed\"",
  ],
  "protected as a string": [
    "{dev}: protected: expected true or false, found \"yes\"",
  ],
  "required block missing": [
    "{dev}: storage: expected an object, found nothing (field missing)",
  ],
  "state objects key in GovCloud": [
    "{dev}: backend.kmsKeyId: expected a KMS key id, alias (alias/...) or key ARN of the commercial partition (arn:aws:kms:...), found \"arn:aws-us-gov:kms:us-gov-west-1:210987654321:key/abc\"",
  ],
  "field given twice": [
    "{dev}: protected: expected each field once, found it again at line 6",
  ],
  "nested field given twice": [
    "{dev}: network.vpcEndpoints.s3: expected each field once, found it again at line 40",
  ],
  "unknown field with a 10000-character name": [
    "{dev}: fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff...: expected no such field (unknown field), found 1",
  ],
  "every problem of a file at once": [
    "{dev}: extra: expected no such field (unknown field), found 1",
    "{dev}: region: expected an AWS region name: <area>-<direction>-<number> such as us-east-1, eu-west-1 or ap-southeast-2, found \"mars\"",
    "{dev}: network.privateSubnetCidrBlocks.1: expected a subnet that does not overlap network.privateSubnetCidrBlocks.0 (10.20.0.0/19), found \"10.20.16.0/20\"",
  ],
  "bad value inherited from common.json": [
    "{common}: cluster.nodeTypeId: expected an EC2 node type such as m6i.xlarge, found \"large\" (inherited by dev)",
  ],
  "bad value overridden in the environment's file": [
    "{dev}: cluster.nodeTypeId: expected an EC2 node type such as m6i.xlarge, found \"large\"",
  ],
  "bad value in common.json inherited by two environments: one line": [
    "{common}: cluster.sparkVersion: expected a Databricks Runtime key such as 15.4.x-scala2.12, found \"15.4\" (inherited by dev, prod)",
  ],
  "unknown field in common.json": [
    "{common}: clusterr: expected no such field (unknown field), found {\"nodeTypeId\":\"m6i.large\"} (inherited by dev)",
  ],
  "required field in neither file": [
    "{dev}: storage.rootBucketName: expected an S3 bucket name (a string), found nothing (field missing; set it here or in {common})",
  ],
  "field missing from a list item inherited from common.json": [
    "{common}: unityCatalog.storageCredentialGrants.0.privileges: expected a list, found nothing (field missing) (inherited by dev)",
  ],
  "null in the environment's file is a value, not a deletion": [
    "{dev}: cluster: expected an object, found null",
  ],
  "a list in the environment's file replaces common's (not concatenated)": [
    "{dev}: network.availabilityZones: expected at least 2 availability zones, found [\"us-east-1a\"]",
    "{common}: network.privateSubnetCidrBlocks: expected exactly one private subnet per availability zone (1), found [\"10.20.0.0/19\",\"10.20.32.0/19\"] (inherited by dev)",
  ],
  "malformed common.json": [
    "{common}: (top level): expected valid JSON, found a syntax error at line 2, column 52 (property name expected)",
  ],
  "common.json in UTF-16": [
    "{common}: (top level): expected UTF-8 text without a byte-order mark, found UTF-16 little-endian text (byte-order mark FF FE); save the file as UTF-8",
  ],
  "common.json holding a list": [
    "{common}: (top level): expected an object, found []",
  ],
  "common.json with a $schema that is not a string": [
    "{common}: $schema: expected a string, found 1",
  ],
  "common.json is a directory": [
    "{common}: expected a vars file, found a directory",
  ],
  "secret-looking field in common.json": [
    "{common}: databricks.clientSecret: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found a value for a secret-looking field",
  ],
  "credential-shaped tag value in common.json": [
    "{common}: tags.Deployer: expected no secret in a vars file (pass it as a TF_VAR_* sensitive variable at deploy time), found an AWS access key id (not shown)",
  ],
  "connection password in common.json": [
    "{common}: connections.0.options.password: expected no secret in a vars file: set TF_VAR_connection_mysql_analytics_password at deploy time instead, found a value (not shown)",
  ],
  "common.json named as an environment": [
    "ENVS: environment \"common\": expected an environment name, found \"common\": vars/common.json holds the settings every environment shares (merged under each <env>.json)",
  ],
  "name prefix in common.json shared by two environments": [
    "{common}: namePrefix: expected a name prefix no other environment uses (IAM roles, KMS aliases and Databricks objects are named from it), found \"acme-dbx\" (inherited by prod), also at {common}: namePrefix (inherited by dev)",
  ],
  "metastore of another source than common.json's, without its required field": [
    "{dev}: unityCatalog.metastore.name: expected a string, found nothing (field missing; set it here: this unityCatalog.metastore replaces the one in {common} whole, its source differs)",
  ],
  "backend of another type than common.json's, without its required field": [
    "{dev}: backend.bucket: expected an S3 bucket name (a string), found nothing (field missing; set it here: this backend replaces the one in {common} whole, its type differs)",
  ],
  "object replacing a value of common.json that is no object, without its required field": [
    "{dev}: storage.rootBucketName: expected an S3 bucket name (a string), found nothing (field missing; set it here: this storage replaces the one in {common} whole)",
  ],
  "metastore field in common.json without a source, not allowed by the environment's source": [
    "{common}: unityCatalog.metastore.owner: expected no such field (unknown field), found \"acme-dbx-admins\" (inherited by dev)",
  ],
  "tag key __proto__": [
    `{dev}: tags.__proto__: ${RESERVED_KEY}, found the key "__proto__"`,
  ],
  "tag key __proto__ in common.json": [
    `{common}: tags.__proto__: ${RESERVED_KEY}, found the key "__proto__" (inherited by dev)`,
  ],
  "tag key constructor": [
    `{dev}: tags.constructor: ${RESERVED_KEY}, found the key "constructor"`,
  ],
  "tag key prototype": [
    `{dev}: tags.prototype: ${RESERVED_KEY}, found the key "prototype"`,
  ],
  "connection property key __proto__": [
    `{dev}: connections.0.properties.__proto__: ${RESERVED_KEY}, found the key "__proto__"`,
  ],
  "foreign catalog property keys constructor and prototype in common.json": [
    `{common}: connections.1.foreignCatalog.properties.prototype: ${RESERVED_KEY}, found the key "prototype" (inherited by dev)`,
    `{common}: connections.1.foreignCatalog.properties.constructor: ${RESERVED_KEY}, found the key "constructor" (inherited by dev)`,
  ],
};
