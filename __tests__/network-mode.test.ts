/**
 * Network sleep and wake at the synth level: asleep differs from awake by exactly the pay-per-hour network
 * parts (NAT gateways, their EIPs, the NAT routes, the STS and Kinesis interface endpoints), everything
 * else is byte-for-byte identical, and waking yields exactly the awake synth again.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { loadEnvironments } from "../config/load";
import { addEnvironmentStacks } from "../stacks/app";
import { diffNetworkModes, formatNetworkModeDiff, type StackJson } from "../ops/network-diff";
import { HOURS_PER_MONTH, NETWORK_HOURLY_PRICES } from "../ops/network-prices";
import { readVars, REPO_ROOT, synthEnvs, synthEnvsFresh, synthMainInProcess, VARS_DIR, type TfJson } from "./helpers";
import { tempDir } from "./run-dir";

const awake = synthEnvs([], { networkMode: "awake" });
const asleep = synthEnvs([], { networkMode: "asleep" });
// Fresh synths, not the run's shared one: these compare a second synth with the first.
const awakeAgain = synthEnvsFresh([], { networkMode: "awake" });
const byDefault = synthEnvsFresh([]);

/** "type construct-path" (path without the stack id) -> resource body, for every resource of a stack. */
function resourcesByPath(json: TfJson): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const body of Object.values(byName)) {
      const p = (body["//"] as { metadata: { path: string } }).metadata.path;
      out.set(`${type} ${p.slice(p.indexOf("/") + 1)}`, body);
    }
  }
  return out;
}

/** Terraform addresses `type.name` of a stack's resources. */
function addresses(json: TfJson): string[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
}

const EXPECTED_REMOVED: Record<string, string[]> = {
  dev: [
    "aws_eip network/nat-us-east-1a-eip",
    "aws_nat_gateway network/nat-us-east-1a",
    "aws_route network/private-us-east-1a-nat-route",
    "aws_route network/private-us-east-1b-nat-route",
    "aws_vpc_endpoint network/kinesis-streams-endpoint",
    "aws_vpc_endpoint network/sts-endpoint",
  ],
  prod: [
    "aws_eip network/nat-eu-west-1a-eip",
    "aws_eip network/nat-eu-west-1b-eip",
    "aws_eip network/nat-eu-west-1c-eip",
    "aws_nat_gateway network/nat-eu-west-1a",
    "aws_nat_gateway network/nat-eu-west-1b",
    "aws_nat_gateway network/nat-eu-west-1c",
    "aws_route network/private-eu-west-1a-nat-route",
    "aws_route network/private-eu-west-1b-nat-route",
    "aws_route network/private-eu-west-1c-nat-route",
    "aws_vpc_endpoint network/kinesis-streams-endpoint",
    "aws_vpc_endpoint network/sts-endpoint",
  ],
};

test("every environment in vars/ is covered", () => {
  expect(Object.keys(awake).filter((id) => id.startsWith("provisioning-")).sort()).toEqual(Object.keys(EXPECTED_REMOVED).map((e) => `provisioning-${e}`).sort());
  expect(Object.keys(asleep).sort()).toEqual(Object.keys(awake).sort());
});

test("the management stacks do not depend on the network mode", () => {
  const management = Object.keys(awake).filter((id) => id.startsWith("management-"));
  expect(management.length).toBe(Object.keys(EXPECTED_REMOVED).length);
  for (const id of management) expect(JSON.stringify(asleep[id])).toBe(JSON.stringify(awake[id]));
});

describe.each(Object.keys(EXPECTED_REMOVED))("provisioning-%s asleep vs awake", (env) => {
  const id = `provisioning-${env}`;
  const a = awake[id];
  const s = asleep[id];
  const ra = resourcesByPath(a);
  const rs = resourcesByPath(s);

  test("asleep lacks exactly the NAT gateways, their EIPs, the NAT routes and the STS/Kinesis interface endpoints", () => {
    expect([...ra.keys()].filter((k) => !rs.has(k)).sort()).toEqual(EXPECTED_REMOVED[env]);
  });

  test("asleep adds nothing", () => {
    expect([...rs.keys()].filter((k) => !ra.has(k))).toEqual([]);
    expect(addresses(s).filter((addr) => !addresses(a).includes(addr))).toEqual([]);
  });

  test("every other resource is byte-for-byte identical (logical id and JSON)", () => {
    const kept = [...rs.keys()];
    expect(kept.length).toBe(ra.size - EXPECTED_REMOVED[env].length);
    expect(kept.filter((k) => JSON.stringify(ra.get(k)) !== JSON.stringify(rs.get(k)))).toEqual([]);
    for (const [type, byName] of Object.entries(s.resource!)) {
      for (const [name, body] of Object.entries(byName)) expect(JSON.stringify(body)).toBe(JSON.stringify(a.resource![type][name]));
    }
  });

  test("data sources, providers, backend, variables and metadata are identical", () => {
    const keys = new Set([...Object.keys(a), ...Object.keys(s)]);
    keys.delete("resource");
    keys.delete("output");
    expect([...keys].sort()).toEqual(expect.arrayContaining(["data", "provider", "terraform"]));
    for (const key of keys) expect(JSON.stringify((s as Record<string, unknown>)[key])).toBe(JSON.stringify((a as Record<string, unknown>)[key]));
  });

  test("outputs are identical but network_mode, which names the mode", () => {
    expect(a.output!.network_mode.value).toBe("awake");
    expect(s.output!.network_mode.value).toBe("asleep");
    const others = (json: TfJson) => JSON.stringify({ ...json.output, network_mode: undefined });
    expect(others(s)).toBe(others(a));
    expect(Object.keys(s.output!).sort()).toEqual(Object.keys(a.output!).sort());
  });

  test("what asleep keeps: internet gateway, S3 gateway endpoint on the private route tables, no route to a NAT", () => {
    expect(Object.keys(s.resource!.aws_nat_gateway ?? {})).toEqual([]);
    expect(Object.keys(s.resource!.aws_eip ?? {})).toEqual([]);
    expect(Object.values(s.resource!.aws_route).filter((r) => r.nat_gateway_id)).toEqual([]);
    expect(Object.values(s.resource!.aws_internet_gateway)).toHaveLength(1);
    const gateway = Object.values(s.resource!.aws_vpc_endpoint).filter((e) => e.vpc_endpoint_type === "Gateway");
    expect(gateway.map((e) => e.service_name)).toEqual([`com.amazonaws.${readVars(env).region}.s3`]);
    expect(gateway[0].route_table_ids).toHaveLength(readVars(env).network.availabilityZones.length);
  });

  test("the removed endpoints are interface endpoints Databricks does not know; the registered ones stay", () => {
    const removed = [...ra.entries()].filter(([k]) => k.startsWith("aws_vpc_endpoint ") && !rs.has(k)).map(([, b]) => b);
    const region = readVars(env).region;
    expect(removed.map((e) => [e.vpc_endpoint_type, e.service_name]).sort()).toEqual([
      ["Interface", `com.amazonaws.${region}.kinesis-streams`],
      ["Interface", `com.amazonaws.${region}.sts`],
    ]);
    const registered = JSON.stringify(s.resource!.databricks_mws_vpc_endpoint ?? {});
    const interfaceAsleep = Object.entries(s.resource!.aws_vpc_endpoint).filter(([, e]) => e.vpc_endpoint_type === "Interface");
    // Every interface endpoint left asleep is registered with Databricks (PrivateLink REST API and relay).
    expect(interfaceAsleep.filter(([name]) => !registered.includes(`aws_vpc_endpoint.${name}.id`))).toEqual([]);
    expect(interfaceAsleep).toHaveLength(readVars(env).privateLink.enabled ? 2 : 0);
  });

  test("waking after sleeping gives exactly the awake synth again; awake is the default", () => {
    expect(JSON.stringify(awakeAgain[id])).toBe(JSON.stringify(a));
    expect(JSON.stringify(byDefault[id])).toBe(JSON.stringify(a));
    expect(JSON.stringify(s)).not.toBe(JSON.stringify(a));
  });

  test("scripts/network-diff.ts finds the same resources, nothing unexpected, and prices them from the table", () => {
    const vars = readVars(env);
    const diff = diffNetworkModes(id, vars.region, a as StackJson, s as StackJson);
    expect(diff.unexpected).toEqual([]);
    const removedAddresses = addresses(a).filter((addr) => !addresses(s).includes(addr)).sort();
    expect(diff.parts.map((p) => p.address).sort()).toEqual(removedAddresses);
    expect(diff.unchangedCount).toBe(addresses(s).length);
    const price = NETWORK_HOURLY_PRICES[vars.region];
    const nats = vars.network.natGateways === "one-per-az" ? vars.network.availabilityZones.length : 1;
    const azs = vars.network.availabilityZones.length;
    expect(diff.hourlyUsd).toBeCloseTo(nats * (price.natGatewayHour + price.publicIpv4Hour) + 2 * azs * price.interfaceEndpointAzHour, 10);
  });
});

test("the README figures: dev saves $0.090/h ($65.70/month), prod $0.225/h ($164.25/month)", () => {
  const dev = diffNetworkModes("provisioning-dev", "us-east-1", awake["provisioning-dev"] as StackJson, asleep["provisioning-dev"] as StackJson);
  const prod = diffNetworkModes("provisioning-prod", "eu-west-1", awake["provisioning-prod"] as StackJson, asleep["provisioning-prod"] as StackJson);
  expect(dev.hourlyUsd).toBeCloseTo(0.09, 10);
  expect(prod.hourlyUsd).toBeCloseTo(0.225, 10);
  expect(HOURS_PER_MONTH).toBe(730);
  expect(formatNetworkModeDiff(dev, "asleep")).toContain("Sleeping saves $0.090 per hour, $65.70 per month (730 h)");
  expect(formatNetworkModeDiff(prod, "awake")).toContain("Waking costs $0.225 per hour, $164.25 per month (730 h)");
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  for (const figure of ["$0.090", "$65.70", "$0.225", "$164.25"]) expect(readme).toContain(figure);
});

describe("network-diff refuses any other difference", () => {
  const id = "provisioning-prod";
  const clone = (json: TfJson) => JSON.parse(JSON.stringify(json)) as StackJson;
  const diff = (s: StackJson) => diffNetworkModes(id, "eu-west-1", awake[id] as StackJson, s).unexpected;

  test("a changed kept resource", () => {
    const s = clone(asleep[id]);
    const [name] = Object.keys(s.resource!.aws_vpc);
    s.resource!.aws_vpc[name].cidr_block = "10.99.0.0/16";
    expect(diff(s)).toEqual([`aws_vpc.${name}: differs between awake and asleep`]);
  });

  test("a removed stateful resource", () => {
    const s = clone(asleep[id]);
    const [name] = Object.keys(s.resource!.aws_s3_bucket);
    delete s.resource!.aws_s3_bucket[name];
    expect(diff(s)).toEqual([`aws_s3_bucket.${name}: would be removed, but it is not a NAT gateway, its EIP or route, or an interface endpoint unknown to Databricks`]);
  });

  test("a removed PrivateLink endpoint registered with Databricks", () => {
    const s = clone(asleep[id]);
    const name = Object.keys(s.resource!.aws_vpc_endpoint).find((n) => n.includes("workspace-relay-endpoint"))!;
    delete s.resource!.aws_vpc_endpoint[name];
    expect(diff(s)).toEqual([`aws_vpc_endpoint.${name}: would be removed, but it is not a NAT gateway, its EIP or route, or an interface endpoint unknown to Databricks`]);
  });

  test("a removed internet gateway route (not a NAT route)", () => {
    const s = clone(asleep[id]);
    const name = Object.keys(s.resource!.aws_route).find((n) => n.includes("public-default-route"))!;
    delete s.resource!.aws_route[name];
    expect(diff(s)).toHaveLength(1);
  });

  test("an added resource, a changed output, a changed provider", () => {
    const s = clone(asleep[id]);
    s.resource!.aws_eip = { extra: { domain: "vpc" } };
    (s.output as Record<string, Record<string, unknown>>).vpc_id.value = "vpc-123";
    (s.provider as Record<string, Record<string, unknown>[]>).aws[0].region = "us-east-1";
    expect(diff(s)).toEqual(["aws_eip.extra: exists only asleep", "output.vpc_id: differs between awake and asleep", "provider: differs between awake and asleep"]);
  });
});

test("WorkspaceNetwork refuses a mode other than awake or asleep", () => {
  const app = new App({ outdir: tempDir("cdktf-out-") });
  const envs = loadEnvironments(VARS_DIR, ["dev"]);
  expect(() => addEnvironmentStacks(app, envs, { networkMode: "sleep" as never })).toThrow(
    'WorkspaceNetwork network: mode: expected one of "awake", "asleep", found "sleep"',
  );
});

describe("main.ts reads NETWORK_MODE", () => {
  const run = (mode: string) => {
    const outdir = tempDir("cdktf-out-");
    const r = synthMainInProcess({ NETWORK_MODE: mode, ENVS: "dev", CDKTF_OUTDIR: outdir });
    const read = (stack: string) => {
      const file = path.join(outdir, "stacks", stack, "cdk.tf.json");
      return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as TfJson) : undefined;
    };
    const json = read("provisioning-dev");
    const management = read("management-dev");
    fs.rmSync(outdir, { recursive: true, force: true });
    return { ...r, json, management };
  };

  // Also what lets the tests read a synth of some environments from the synth of all (synthEnvs in
  // helpers.ts): the stacks main.ts writes for ENVS=dev alone are those of dev in the synth of dev and prod.
  test("asleep synthesizes the asleep stacks, the same as in a synth of every environment", () => {
    const r = run("asleep");
    expect(r.status).toBe(0);
    expect(JSON.stringify(r.json)).toBe(JSON.stringify(asleep["provisioning-dev"]));
    expect(JSON.stringify(r.management)).toBe(JSON.stringify(asleep["management-dev"]));
  }, 60_000);

  test("anything else: one clear line naming the value, exit 1, no stack trace, nothing synthesized", () => {
    const r = run("sleep");
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('Invalid NETWORK_MODE: expected "awake" or "asleep", found "sleep"');
    expect(r.json).toBeUndefined();
    expect(r.management).toBeUndefined();
  }, 60_000);
});
