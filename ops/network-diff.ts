/**
 * What sleeping (or waking) the network of one environment removes (or adds), and what it costs per hour,
 * computed offline from the awake and asleep synth of `provisioning-<env>`.
 *
 * The difference allowed: NAT gateways, the EIPs they use, routes to them, and interface endpoints that no
 * `databricks_mws_vpc_endpoint` registers. Everything else (resources, data sources, providers, backend,
 * variables, outputs but `network_mode`) must be byte-for-byte the same in both modes; `dbx sleep` and
 * `dbx wake` refuse to plan otherwise, and then require Terraform's plan to change exactly these parts.
 */
import type { NetworkMode } from "../constructs/network";
import { HOURS_PER_MONTH, PRICES_RECORDED, pricesFor } from "./network-prices";

type Block = Record<string, Record<string, unknown>>;
/** The parts of a synthesized `cdk.tf.json` this module reads. */
export type StackJson = { resource?: Record<string, Block>; output?: Block } & Record<string, unknown>;

export interface NetworkPart {
  /** Terraform resource address, e.g. `aws_nat_gateway.network_nat-us-east-1a_B3C42541`. */
  readonly address: string;
  /** What it is, in AWS terms, e.g. `NAT gateway`, `interface endpoint sts, 2 AZs`. */
  readonly description: string;
  /** List price per hour in USD; 0 for what has no hourly charge; undefined when the region has no prices. */
  readonly hourlyUsd: number | undefined;
}

export interface NetworkModeDiff {
  readonly stackId: string;
  readonly region: string;
  /** Present awake, absent asleep: what sleeping removes and waking adds, NAT gateways first. */
  readonly parts: readonly NetworkPart[];
  /** Every other difference, one line each; `dbx sleep`/`dbx wake` refuse to plan unless this is empty. */
  readonly unexpected: readonly string[];
  /** Sum of `parts`; undefined when the region has no prices. */
  readonly hourlyUsd: number | undefined;
  /** Resources identical in both modes. */
  readonly unchangedCount: number;
}

const MODE_OUTPUT = "network_mode";
const KIND_ORDER = ["aws_nat_gateway", "aws_eip", "aws_route", "aws_vpc_endpoint"];

function resourceMap(json: StackJson): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, body);
  }
  return out;
}

const refTo = (address: string, attr: string) => `\${${address}.${attr}}`;

/** Compares the awake and asleep synth of one stack. Pure: no I/O. */
export function diffNetworkModes(stackId: string, region: string, awake: StackJson, asleep: StackJson): NetworkModeDiff {
  const prices = pricesFor(region);
  const a = resourceMap(awake);
  const s = resourceMap(asleep);
  const unexpected: string[] = [];
  let unchangedCount = 0;

  for (const [address, body] of s) {
    if (!a.has(address)) unexpected.push(`${address}: exists only asleep`);
    else if (JSON.stringify(a.get(address)) !== JSON.stringify(body)) unexpected.push(`${address}: differs between awake and asleep`);
    else unchangedCount++;
  }

  const removed = [...a.keys()].filter((address) => !s.has(address));
  const removedNat = new Set(removed.filter((address) => address.startsWith("aws_nat_gateway.")));
  const natAllocationIds = new Set([...removedNat].map((address) => String(a.get(address)!.allocation_id)));
  const registeredEndpoints = JSON.stringify(awake.resource?.databricks_mws_vpc_endpoint ?? {});

  const parts: NetworkPart[] = [];
  for (const address of removed) {
    const body = a.get(address)!;
    const type = address.slice(0, address.indexOf("."));
    const part = (description: string, price: number | undefined) => parts.push({ address, description, hourlyUsd: prices === undefined ? undefined : price });
    if (type === "aws_nat_gateway") {
      part("NAT gateway", prices?.natGatewayHour);
    } else if (type === "aws_eip" && natAllocationIds.has(refTo(address, "allocation_id"))) {
      part("Elastic IP of the NAT gateway (public IPv4)", prices?.publicIpv4Hour);
    } else if (type === "aws_route" && [...removedNat].some((nat) => body.nat_gateway_id === refTo(nat, "id"))) {
      part(`route ${String(body.destination_cidr_block)} to the NAT gateway`, 0);
    } else if (type === "aws_vpc_endpoint" && body.vpc_endpoint_type === "Interface" && !registeredEndpoints.includes(refTo(address, "id"))) {
      const azs = Array.isArray(body.subnet_ids) ? body.subnet_ids.length : 0;
      const service = String(body.service_name).replace(/^com\.amazonaws\.[a-z0-9-]+\./, "");
      part(`interface endpoint ${service}, ${azs} AZ${azs === 1 ? "" : "s"}`, prices === undefined ? undefined : prices.interfaceEndpointAzHour * azs);
    } else {
      unexpected.push(`${address}: would be removed, but it is not a NAT gateway, its EIP or route, or an interface endpoint unknown to Databricks`);
    }
  }
  parts.sort((x, y) => KIND_ORDER.indexOf(x.address.split(".")[0]) - KIND_ORDER.indexOf(y.address.split(".")[0]) || x.address.localeCompare(y.address));

  for (const key of new Set([...Object.keys(awake), ...Object.keys(asleep)])) {
    if (key === "resource") continue;
    if (key === "output") {
      const outputs = new Set([...Object.keys(awake.output ?? {}), ...Object.keys(asleep.output ?? {})]);
      for (const name of outputs) {
        const [x, y] = [awake.output?.[name], asleep.output?.[name]];
        if (name === MODE_OUTPUT) {
          if (x?.value !== "awake" || y?.value !== "asleep") unexpected.push(`output.${MODE_OUTPUT}: expected "awake" and "asleep", found ${JSON.stringify(x?.value)} and ${JSON.stringify(y?.value)}`);
        } else if (JSON.stringify(x) !== JSON.stringify(y)) {
          unexpected.push(`output.${name}: differs between awake and asleep`);
        }
      }
    } else if (JSON.stringify(awake[key]) !== JSON.stringify(asleep[key])) {
      unexpected.push(`${key}: differs between awake and asleep`);
    }
  }

  const hourlyUsd = prices === undefined ? undefined : parts.reduce((sum, p) => sum + (p.hourlyUsd ?? 0), 0);
  return { stackId, region, parts, unexpected, hourlyUsd, unchangedCount };
}

const usd = (n: number, digits: number) => `$${n.toFixed(digits)}`;

/** Human-readable summary for the direction `to` (asleep: what sleeping removes; awake: what waking adds). */
export function formatNetworkModeDiff(diff: NetworkModeDiff, to: NetworkMode): string {
  const sleeping = to === "asleep";
  const lines: string[] = [];
  lines.push(`${sleeping ? "Sleeping" : "Waking"} ${diff.stackId} (${diff.region}) ${sleeping ? "removes" : "adds"} ${diff.parts.length} resource${diff.parts.length === 1 ? "" : "s"}:`);
  const width = Math.max(0, ...diff.parts.map((p) => p.address.length));
  const descWidth = Math.max(0, ...diff.parts.map((p) => p.description.length));
  for (const p of diff.parts) {
    const cost = p.hourlyUsd === undefined ? "price unknown" : p.hourlyUsd === 0 ? "no hourly charge" : `${usd(p.hourlyUsd, 3)}/h`;
    lines.push(`  ${sleeping ? "-" : "+"} ${p.address.padEnd(width)}  ${p.description.padEnd(descWidth)}  ${cost}`);
  }
  if (diff.hourlyUsd === undefined) {
    lines.push(`Hourly cost unknown: ops/network-prices.ts has no prices for ${diff.region}.`);
  } else {
    lines.push(
      `${sleeping ? "Sleeping saves" : "Waking costs"} ${usd(diff.hourlyUsd, 3)} per hour, ${usd(diff.hourlyUsd * HOURS_PER_MONTH, 2)} per month (${HOURS_PER_MONTH} h), ` +
        `at ${diff.region} list prices recorded ${PRICES_RECORDED} (ops/network-prices.ts; per-GB data processing not included).`,
    );
  }
  lines.push(`Kept: the other ${diff.unchangedCount} resources of ${diff.stackId}, identical in the awake and asleep synth (the plan must not touch them).`);
  return lines.join("\n");
}

/**
 * `diff` limited to the parts at `addresses` (e.g. those still in state after an interrupted sleep), with
 * the hourly sum recomputed.
 */
export function onlyParts(diff: NetworkModeDiff, addresses: ReadonlySet<string>): NetworkModeDiff {
  const parts = diff.parts.filter((p) => addresses.has(p.address));
  const hourlyUsd = diff.hourlyUsd === undefined ? undefined : parts.reduce((sum, p) => sum + (p.hourlyUsd ?? 0), 0);
  return { ...diff, parts, hourlyUsd };
}

/** Monthly figure of an hourly one, as AWS's pricing examples count a month. */
export function monthlyUsd(hourlyUsd: number): number {
  return hourlyUsd * HOURS_PER_MONTH;
}

/** What stops and what keeps working while asleep (printed before sleeping), or what waking changes. */
export function networkModeNotice(envName: string, to: NetworkMode, privateLinkEnabled: boolean): string {
  if (to === "awake") {
    return [
      `After waking, clusters of ${envName} reach the internet again through new NAT gateways: their Elastic IPs are`,
      "new addresses, so update any allow-list that names the old egress IPs.",
    ].join("\n");
  }
  const controlPlane = privateLinkEnabled
    ? [
        "  - still working: the back-end PrivateLink endpoints registered with Databricks (REST API, secure cluster",
        "    connectivity relay), so clusters still reach the Databricks control plane.",
      ]
    : [`  - ${envName} has no back-end PrivateLink: clusters cannot reach the Databricks control plane either.`];
  return [
    `While ${envName} is asleep:`,
    "  - clusters cannot reach the internet (no NAT gateway): no package installs from PyPI/Maven/CRAN, no external",
    "    APIs or databases, and no AWS STS or Kinesis Streams (their interface endpoints are removed too).",
    ...controlPlane,
    "  - expect cluster starts and jobs that need those to fail: terminate clusters and pause scheduled jobs first.",
    "  - still working: S3 through the S3 gateway endpoint, the workspace UI and API for users, and everything",
    "    stateful (VPC, subnets, security groups, buckets and their data, KMS keys, IAM, the workspace).",
    `  - wake it with: dbx wake ${envName}   (or scripts/wake-network.sh ${envName})`,
  ].join("\n");
}
