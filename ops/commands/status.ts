/**
 * `dbx status <env>`: from the state of each stack (`terraform show -json`): deployed or not, the network
 * awake, asleep or part-way (which of the pay-per-hour parts are in state, and the `network_mode`
 * output), and when the automation credentials expire (`credentials_expire_time` output). Changes nothing.
 */
import type { Context, Output } from "../context";
import { requireTerraform, type Environment } from "../environment";
import { EXIT } from "../exit-codes";
import { networkDiffOf, withRun, type JsonOption } from "./common";

/** "in 3.5 h" / "2.0 h ago" from seconds. */
function relative(seconds: number): string {
  const abs = Math.abs(seconds);
  const text = abs < 120 ? `${Math.round(abs)} s` : abs < 7200 ? `${Math.round(abs / 60)} min` : abs < 172800 ? `${(abs / 3600).toFixed(1)} h` : `${(abs / 86400).toFixed(1)} days`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

export async function statusCommand(ctx: Context, out: Output, env: Environment, _options: JsonOption): Promise<number> {
  const binary = requireTerraform(ctx.env);
  return withRun(ctx, out, env, binary, `dbx status ${env.name}`, async (run) => {
    const { provisioning: prov, management: mgmt } = run.ids;
    const awake = run.synth("awake");
    const diff = networkDiffOf(env, awake, ctx.synthesizer.synthesizeInMemory(env, "asleep"));
    await run.init(prov);
    const p = await run.state(prov);
    await run.init(mgmt);
    const m = await run.state(mgmt);

    const present = diff.parts.filter((part) => p.addresses.has(part.address)).length;
    const network = !p.deployed ? "not deployed" : present === diff.parts.length ? "awake" : present === 0 ? "asleep" : "part-way";
    const lines: string[] = [];
    if (!p.deployed) {
      lines.push(`${prov}: not deployed (no resources in state). Deploy it with: dbx deploy ${env.name}`);
    } else {
      const detail = `${present} of ${diff.parts.length} pay-per-hour network parts in state, network_mode output ${JSON.stringify(p.networkMode ?? null)}`;
      lines.push(`${prov}: deployed, ${p.addresses.size} resources; network ${network} (${detail})`);
      if (network === "part-way") lines.push(`  an earlier sleep or wake stopped part-way: finish it with dbx sleep ${env.name} or dbx wake ${env.name}`);
      else if (p.networkMode !== undefined && p.networkMode !== network) lines.push(`  the network_mode output says ${p.networkMode}: the last run did not finish; dbx ${network === "asleep" ? "sleep" : "wake"} ${env.name} sets it`);
    }
    let expired: boolean | null = null;
    if (p.credentialsExpireTime) {
      const seconds = (Date.parse(p.credentialsExpireTime) - ctx.now().getTime()) / 1000;
      expired = seconds <= 0;
      lines.push(
        expired
          ? `  credentials EXPIRED ${p.credentialsExpireTime} (${relative(seconds)}): management cannot sign in; re-issue them with: dbx reset-tokens ${env.name}`
          : `  credentials expire ${p.credentialsExpireTime} (${relative(seconds)}); any provisioning deploy in the second half of their lifetime renews them`,
      );
    } else if (p.deployed) {
      lines.push("  credentials expiry unknown (no credentials_expire_time output in state)");
    }
    lines.push(m.deployed ? `${mgmt}: deployed, ${m.addresses.size} resources` : `${mgmt}: not deployed`);
    out.say(lines.join("\n"));
    out.result({
      env: env.name,
      ok: true,
      provisioning: {
        stack: prov,
        deployed: p.deployed,
        resources: p.addresses.size,
        network,
        networkModeOutput: p.networkMode ?? null,
        networkPartsInState: present,
        networkParts: diff.parts.length,
        credentialsExpireTime: p.credentialsExpireTime ?? null,
        credentialsExpired: expired,
      },
      management: { stack: mgmt, deployed: m.deployed, resources: m.addresses.size },
    });
    return EXIT.OK;
  });
}
