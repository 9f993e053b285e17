/**
 * The AWS regions Databricks supports, and what the project accepts.
 *
 * Source: Databricks, "Databricks clouds and regions" (docs.databricks.com/aws/en/resources/supported-regions),
 * supported regions list for AWS. `us-gov-west-1` is Databricks on AWS GovCloud, in the `aws-us-gov` partition.
 *
 * Partition: the constructs hard-code the commercial partition (`arn:aws:` ARNs, `amazonaws.com` service
 * principals) and the commercial Databricks control-plane AWS account of the workspace key policies
 * (constructs/storage/keys.ts), so only regions of the `aws` partition are accepted; GovCloud, China and
 * the ISO partitions are refused with a message that says so, never half-deployed.
 */

export type AwsPartition = "aws" | "aws-us-gov" | "aws-cn" | "aws-iso";

export interface DatabricksAwsRegion {
  readonly region: string;
  readonly location: string;
  readonly partition: AwsPartition;
}

/** Every region of the Databricks supported-regions list for AWS, in its order. */
export const DATABRICKS_AWS_REGIONS: readonly DatabricksAwsRegion[] = [
  { region: "ap-northeast-1", location: "Asia Pacific (Tokyo)", partition: "aws" },
  { region: "ap-northeast-2", location: "Asia Pacific (Seoul)", partition: "aws" },
  { region: "ap-south-1", location: "Asia Pacific (Mumbai)", partition: "aws" },
  { region: "ap-southeast-1", location: "Asia Pacific (Singapore)", partition: "aws" },
  { region: "ap-southeast-2", location: "Asia Pacific (Sydney)", partition: "aws" },
  { region: "ap-southeast-3", location: "Asia Pacific (Jakarta)", partition: "aws" },
  { region: "ca-central-1", location: "Canada (Central)", partition: "aws" },
  { region: "eu-central-1", location: "EU (Frankfurt)", partition: "aws" },
  { region: "eu-west-1", location: "EU (Ireland)", partition: "aws" },
  { region: "eu-west-2", location: "EU (London)", partition: "aws" },
  { region: "eu-west-3", location: "EU (Paris)", partition: "aws" },
  { region: "sa-east-1", location: "South America (Sao Paulo)", partition: "aws" },
  { region: "us-east-1", location: "US East (Northern Virginia)", partition: "aws" },
  { region: "us-east-2", location: "US East (Ohio)", partition: "aws" },
  { region: "us-gov-west-1", location: "US Gov West (Pendleton)", partition: "aws-us-gov" },
  { region: "us-west-1", location: "US West (Northern California)", partition: "aws" },
  { region: "us-west-2", location: "US West (Oregon)", partition: "aws" },
];

/** The partition the constructs are written for. */
export const SUPPORTED_PARTITION: AwsPartition = "aws";

/** Databricks regions of {@link SUPPORTED_PARTITION}: where a workspace of this project can live. */
export const SUPPORTED_REGIONS: readonly string[] = DATABRICKS_AWS_REGIONS.filter((r) => r.partition === SUPPORTED_PARTITION).map((r) => r.region);

/**
 * AWS region names: `<area>-[gov-|iso…-]<direction>-<number>` (AWS General Reference, "Regions and
 * Zones"; partitions in "ARNs", partition list). Areas and directions of every region AWS has named.
 */
export const REGION_SHAPE = /^([a-z]{2})-(?:(gov|iso[a-z]?)-)?([a-z]+)-(\d{1,2})$/;
export const AWS_REGION_AREAS: readonly string[] = ["af", "ap", "ca", "cn", "eu", "il", "me", "mx", "sa", "us"];
export const AWS_REGION_DIRECTIONS: readonly string[] = ["central", "east", "north", "northeast", "northwest", "south", "southeast", "southwest", "west"];

/** True when `name` is shaped like an AWS region of any partition, with a known area and direction. */
export function isRegionName(name: string): boolean {
  const m = REGION_SHAPE.exec(name);
  return m !== null && AWS_REGION_AREAS.includes(m[1]) && AWS_REGION_DIRECTIONS.includes(m[3]);
}

/** The partition of a region name of {@link REGION_SHAPE}. */
export function partitionOf(region: string): AwsPartition {
  const m = REGION_SHAPE.exec(region);
  if (m?.[2] === "gov") return "aws-us-gov";
  if (m?.[2]?.startsWith("iso")) return "aws-iso";
  if (m?.[1] === "cn") return "aws-cn";
  return "aws";
}

const PARTITION_NAMES: Record<AwsPartition, string> = { aws: "commercial", "aws-us-gov": "AWS GovCloud (aws-us-gov)", "aws-cn": "AWS China (aws-cn)", "aws-iso": "an AWS ISO partition" };

/**
 * What is wrong with `region` as the region of a workspace (`databricksRegion`) or of any AWS resource
 * such as the state bucket; undefined when it is fine.
 */
export function regionProblem(region: string, databricksRegion: boolean): string | undefined {
  if (!isRegionName(region)) return "expected an AWS region name: <area>-<direction>-<number> such as us-east-1, eu-west-1 or ap-southeast-2";
  const partition = partitionOf(region);
  if (partition !== SUPPORTED_PARTITION) {
    return `expected a region of the commercial AWS partition: ${PARTITION_NAMES[partition]} is refused because the constructs hard-code arn:aws: ARNs and the commercial Databricks control-plane account`;
  }
  if (databricksRegion && !SUPPORTED_REGIONS.includes(region)) {
    return `expected a region where Databricks runs workspaces on AWS (Databricks "clouds and regions"): ${SUPPORTED_REGIONS.join(", ")}`;
  }
  return undefined;
}

/**
 * AWS availability zone names are the region's name and one letter; no region has more than six zones, so
 * the letter is a to f (AWS General Reference, "Regions and Zones"; us-east-1 has a to f). Zone letters
 * map to physical zones per account, so no finer check is possible offline.
 */
export const AVAILABILITY_ZONE = /^(.+)([a-f])$/;

/**
 * What is wrong with `zone` as a zone of `region` (undefined when the region itself is invalid: then any
 * zone of a real region passes, and the region gets the message); undefined when it is fine.
 */
export function availabilityZoneProblem(zone: string, region: string | undefined): string | undefined {
  const m = AVAILABILITY_ZONE.exec(zone);
  const ofRealRegion = m !== null && isRegionName(m[1]);
  if (ofRealRegion && (region === undefined || m[1] === region)) return undefined;
  if (ofRealRegion) return `expected a zone of region ${region} (${region}a, ${region}b, ...)`;
  return `expected an availability zone: a region name followed by a letter a-f, such as ${region ?? "us-east-1"}a`;
}
