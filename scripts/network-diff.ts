/**
 * What sleeping (or waking) the network of one environment removes (or adds), and what it costs per hour,
 * computed offline: `provisioning-<env>` is synthesized awake and asleep and the two are compared.
 *
 *   tsx scripts/network-diff.ts <env> [--to asleep|awake]     (default --to asleep)
 *
 * Exit codes: 0 the difference is exactly the pay-per-hour parts (printed); 1 invalid vars file, or any
 * other difference (then the sleep/wake scripts must not deploy); 2 usage error. VARS_DIR as for main.ts.
 *
 * The difference allowed: NAT gateways, the EIPs they use, routes to them, and interface endpoints that no
 * `databricks_mws_vpc_endpoint` registers. Everything else (resources, data sources, providers, backend,
 * variables, outputs but `network_mode`) must be byte-for-byte the same in both modes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { ConfigError, loadEnvironments, type Environment } from "../config/load";
import type { NetworkMode } from "../constructs/network";
import { addEnvironmentStacks } from "../stacks/app";
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
  /** Every other difference, one line each; the scripts refuse to deploy unless this is empty. */
  readonly unexpected: readonly string[];
  /** Sum of `parts`; undefined when the region has no prices. */
  readonly hourlyUsd: number | undefined;
  /** Resources identical in both modes. */
  readonly unchangedCount: number;
}

const MODE_OUTPUT = "network_mode";
const KIND_ORDER = ["aws_nat_gateway", "aws_eip", "aws_route", "aws_vpc_endpoint"];

/** Synthesizes `provisioning-<env>` in `mode` into a temporary directory and returns its parsed JSON. */
export function synthProvisioning(env: Environment, mode: NetworkMode): StackJson {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "network-diff-"));
  try {
    const app = new App({ outdir });
    addEnvironmentStacks(app, [env], { networkMode: mode });
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", `provisioning-${env.name}`, "cdk.tf.json"), "utf8")) as StackJson;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

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
    lines.push(`Hourly cost unknown: scripts/network-prices.ts has no prices for ${diff.region}.`);
  } else {
    lines.push(
      `${sleeping ? "Sleeping saves" : "Waking costs"} ${usd(diff.hourlyUsd, 3)} per hour, ${usd(diff.hourlyUsd * HOURS_PER_MONTH, 2)} per month (${HOURS_PER_MONTH} h), ` +
        `at ${diff.region} list prices recorded ${PRICES_RECORDED} (scripts/network-prices.ts; per-GB data processing not included).`,
    );
  }
  lines.push(`Unchanged, byte for byte: the other ${diff.unchangedCount} resources of ${diff.stackId}.`);
  return lines.join("\n");
}

/** Loads `env` from `varsDir`, synthesizes it awake and asleep, and compares. @throws ConfigError */
export function networkModeDiffForEnv(envName: string, varsDir: string): NetworkModeDiff {
  const [env] = loadEnvironments(varsDir, [envName]);
  return diffNetworkModes(`provisioning-${env.name}`, env.vars.region, synthProvisioning(env, "awake"), synthProvisioning(env, "asleep"));
}

function main(argv: string[]): number {
  const usage = "usage: tsx scripts/network-diff.ts <env> [--to asleep|awake]";
  let envName: string | undefined;
  let to: NetworkMode = "asleep";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      process.stdout.write(`${usage}\n`);
      return 0;
    } else if (arg === "--to" && (argv[i + 1] === "asleep" || argv[i + 1] === "awake")) {
      to = argv[++i] as NetworkMode;
    } else if (!arg.startsWith("-") && envName === undefined) {
      envName = arg;
    } else {
      process.stderr.write(`network-diff: unexpected argument ${JSON.stringify(arg)}\n${usage}\n`);
      return 2;
    }
  }
  if (envName === undefined) {
    process.stderr.write(`network-diff: missing environment\n${usage}\n`);
    return 2;
  }
  let diff: NetworkModeDiff;
  try {
    diff = networkModeDiffForEnv(envName, process.env.VARS_DIR ?? path.join(__dirname, "..", "vars"));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`Invalid configuration:\n${e.problems.map((p) => `  ${p}`).join("\n")}\n`);
    return 1;
  }
  process.stdout.write(`${formatNetworkModeDiff(diff, to)}\n`);
  if (diff.unexpected.length > 0) {
    process.stderr.write(`network-diff: refusing: awake and asleep differ in more than the pay-per-hour network parts:\n${diff.unexpected.map((u) => `  ${u}`).join("\n")}\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
