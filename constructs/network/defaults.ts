/**
 * Defaults and limits of {@link WorkspaceNetwork}, written once: the construct and the vars schema
 * (config/schema.ts) both import them. No imports, so reading them loads no provider code.
 */

/** `natGateways` when omitted: one NAT gateway in the first public subnet. */
export const DEFAULT_NAT_GATEWAYS = "single";

/** `vpcEndpoints` when omitted: the S3 gateway endpoint and the STS and Kinesis Streams interface endpoints. */
export const DEFAULT_VPC_ENDPOINTS = { s3: true, sts: true, kinesisStreams: true } as const;

/** `egressCidrBlocks` when omitted: the Databricks egress ports to anywhere (through NAT). */
export const DEFAULT_EGRESS_CIDR_BLOCKS: readonly string[] = ["0.0.0.0/0"];

/** Flow logs: kept this many days when `retentionDays` is omitted. */
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 365;

/** Flow logs: traffic recorded when `trafficType` is omitted. */
export const DEFAULT_FLOW_LOG_TRAFFIC_TYPE = "ALL";

/**
 * `awake`: everything. `asleep`: without the parts that bill by the hour and hold no state (NAT gateways,
 * their EIPs and routes, the interface endpoints not registered with Databricks).
 */
export const NETWORK_MODES = ["awake", "asleep"] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

/** `mode` when omitted. */
export const DEFAULT_NETWORK_MODE: NetworkMode = "awake";

/**
 * Netmask range of a VPC and of any subnet in it: AWS allows /16 to /28
 * (Amazon VPC User Guide, "IP addressing for your VPCs and subnets", subnet sizing).
 */
export const AWS_SUBNET_PREFIX_LENGTH = { min: 16, max: 28 } as const;

/**
 * Netmask range of the workspace (private) subnets: Databricks documents /17 to /26
 * ("Configure a customer-managed VPC", subnets; provider docs/resources/mws_networks.md).
 */
export const DEFAULT_WORKSPACE_SUBNET_PREFIX_LENGTH = { min: 17, max: 26 } as const;

/** Addresses AWS reserves in every subnet: the first four and the last (Amazon VPC User Guide, "Subnet CIDR blocks"). */
export const AWS_RESERVED_ADDRESSES_PER_SUBNET = 5;
