/**
 * The CLI against the stub Terraform hanging in `apply`. As a process: a second run of the same environment
 * (in this process) is refused by the lock the first holds; SIGTERM is forwarded to Terraform once,
 * Terraform stops gracefully, nothing is left running or behind. In this process: a Terraform that ignores
 * the interrupt is killed after DBX_TERRAFORM_GRACE_SECONDS.
 */
import * as fs from "fs";
import * as path from "path";
import { EXIT } from "../ops/exit-codes";
import { PLAN_FILE } from "../ops/run";
import type { Interrupts } from "../ops/interrupts";
import { processAlive } from "../ops/lock";
import { addressesOf, exited, fileAppears, planOf, Sandbox, stateOf } from "./cli-helpers";
import { synthEnvs } from "./helpers";
import { memoizedSynthesizer } from "./synth-memo";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const PROV = "provisioning-dev";
const awake = addressesOf(synthEnvs(["dev"])[PROV]);
const asleep = addressesOf(synthEnvs(["dev"], { networkMode: "asleep" })[PROV]);
/** What the in-process run synthesizes with (the process started as a `dbx` synthesizes for itself). */
const synthesizer = memoizedSynthesizer();
const deletes = Object.fromEntries(awake.filter((a) => !asleep.includes(a)).map((a) => [a, ["delete"]]));

/**
 * A sandbox whose provisioning-dev is deployed and awake and whose stub Terraform hangs in `apply`; removed,
 * with any stub still running, when the test ends (`onTestFinished` of the test's own context: the two tests
 * run at the same time, so one's waits, a graceful stop and the grace period, overlap the other's work).
 */
function hangingSandbox(onTestFinished: (fn: () => void) => void): Sandbox {
  const box = new Sandbox(synthesizer);
  box.state(PROV, stateOf(awake, { network_mode: "awake" }));
  box.plan(PROV, planOf(awake, deletes));
  box.touch("hang-apply");
  onTestFinished(() => {
    const pidFile = path.join(box.stubDir, "apply.pid");
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, "utf8"));
      if (processAlive(pid)) process.kill(pid, "SIGKILL");
    }
    box.cleanup();
  });
  return box;
}

const applyPid = (box: Sandbox) => Number(fs.readFileSync(path.join(box.stubDir, "apply.pid"), "utf8"));

test.concurrent("a second run of the same environment is refused while the first applies; SIGTERM then stops terraform gracefully and leaves nothing behind", async ({ expect, onTestFinished }) => {
  const box = hangingSandbox(onTestFinished);
  const first = box.spawn(["sleep", "dev", "--auto-approve"]);
  await fileAppears(path.join(box.stubDir, "apply.pid"));
  const lockFile = path.join(box.root, ".dbx-dev.lock");
  const holder = JSON.parse(fs.readFileSync(lockFile, "utf8"));
  expect(holder).toMatchObject({ pid: first.pid, command: "dbx sleep dev" });

  // The second run is in this process: the lock is a file naming a live pid, whichever process asks.
  const second = await box.run(["wake", "dev", "--auto-approve"]);
  expect(second.code).toBe(EXIT.LOCKED);
  expect(second.stderr).toContain(`dbx wake: error: environment "dev" is locked by another run: pid ${first.pid}`);
  expect(second.stderr).toContain('running "dbx sleep dev" since');
  expect(box.calls().filter((c) => c.args[0] === "init")).toHaveLength(1);

  const terraform = applyPid(box);
  first.kill("SIGTERM");
  expect(await exited(first)).toBe(EXIT.INTERRUPTED_TERM);
  const { stderr } = first.output();
  expect(stderr).toContain("SIGTERM received: forwarding one interrupt to terraform");
  expect(fs.readFileSync(path.join(box.stubDir, "calls.log"), "utf8")).toContain("stub: interrupted");
  expect(stderr).toContain("terraform apply of provisioning-dev stopped gracefully: provisioning-dev may be part-way changed; Terraform saved in state what it finished and released its state lock.");
  expect(stderr).toContain("Next: dbx status dev, then dbx sleep dev (it plans only what is left).");
  expect(processAlive(terraform)).toBe(false);
  expect(fs.existsSync(lockFile)).toBe(false);
  expect(fs.existsSync(path.join(box.root, ".dbx-dev", "stacks", PROV, PLAN_FILE))).toBe(false);
});

test.concurrent("a terraform that ignores the interrupt is killed after DBX_TERRAFORM_GRACE_SECONDS; the message says its state lock may be left", async ({ expect, onTestFinished }) => {
  const box = hangingSandbox(onTestFinished);
  box.touch("ignore-int");
  // In this process: the signals go through the run's Interrupts, as its process's signal handler hands
  // them over (the first test sends a real one to a real process).
  let interrupts: Interrupts | undefined;
  const run = box.run(["sleep", "dev", "--auto-approve"], { env: { DBX_TERRAFORM_GRACE_SECONDS: "2" }, onContext: (ctx) => (interrupts = ctx.interrupts) });
  await fileAppears(path.join(box.stubDir, "apply.pid"));
  const terraform = applyPid(box);
  interrupts!.receive("SIGINT");
  interrupts!.receive("SIGINT");
  const { code, stderr } = await run;
  expect(code).toBe(EXIT.INTERRUPTED_INT);
  expect(stderr.match(/forwarding one interrupt/g)).toHaveLength(1);
  expect(stderr).toContain("SIGINT received again: still waiting for terraform to stop");
  expect(stderr).toContain("terraform did not stop within 2 s: killing it (SIGKILL)");
  expect(stderr).toContain("did not stop within 2 s and was killed: provisioning-dev may be part-way changed");
  expect(stderr).toContain("terraform force-unlock <ID>");
  expect(processAlive(terraform)).toBe(false);
  expect(fs.existsSync(path.join(box.root, ".dbx-dev.lock"))).toBe(false);
});
