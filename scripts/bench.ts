/**
 * `npm run bench`: wall time of the main job (synth of every environment through the real entry point),
 * repeated, reported as min/median/max. Usage: npm run bench -- [runs]   (default 5)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const runs = Number(process.argv[2] ?? 5);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench: runs: expected a whole number >= 1, found ${JSON.stringify(process.argv[2])}`);
  process.exit(2);
}
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-out-"));
  const start = process.hrtime.bigint();
  const r = spawnSync(tsx, ["main.ts"], { cwd: root, env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  times.push(ms);
  console.log(`run ${i + 1}/${runs}: ${ms.toFixed(0)} ms`);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`synth (all environments, all stacks): min ${times[0].toFixed(0)} ms, median ${median.toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms over ${runs} runs`);
