/**
 * One run per environment at a time: a lock file `<root>/.dbx-<env>.lock` created exclusively (O_EXCL), holding
 * who runs what since when. A second run is refused with the holder's details. A lock whose process no
 * longer exists on this host is stale (the run was killed or crashed, possibly part-way through an apply):
 * it is explained and left for the operator to remove after checking, never taken over silently.
 *
 * It covers runs on this machine (one checkout). Terraform's own state lock (local `.tfstate.lock.info`,
 * S3 `use_lockfile`) still guards the state across machines.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT, OpsError } from "./exit-codes";

export interface LockHolder {
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  /** ISO 8601 time the lock was taken. */
  readonly since: string;
  /** The command line, e.g. `dbx sleep dev`. */
  readonly command: string;
}

export function lockFileOf(root: string, envName: string): string {
  return path.join(root, `.dbx-${envName}.lock`);
}

/** True when `pid` is a running process on this host (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}

function age(since: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
  if (!Number.isFinite(seconds)) return "unknown time";
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * Takes the lock of `envName` for `command`; returns the function that releases it (idempotent, and it
 * removes the file only while it is still this run's).
 * @throws OpsError LOCKED naming the holder, or explaining a stale lock and how to clear it
 */
export function acquireLock(root: string, envName: string, command: string, now: Date = new Date()): () => void {
  const file = lockFileOf(root, envName);
  const holder: LockHolder = { user: currentUser(), host: os.hostname(), pid: process.pid, since: now.toISOString(), command };
  const content = `${JSON.stringify(holder, null, 2)}\n`;
  fs.mkdirSync(root, { recursive: true });
  try {
    fs.writeFileSync(file, content, { flag: "wx", mode: 0o644 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    throw lockedError(file, envName, now);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      if (fs.readFileSync(file, "utf8") === content) fs.rmSync(file);
    } catch {
      // Already removed.
    }
  };
}

function lockedError(file: string, envName: string, now: Date): OpsError {
  const shown = path.basename(file);
  let other: LockHolder | undefined;
  try {
    other = JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
  } catch {
    other = undefined;
  }
  if (!other || typeof other.pid !== "number") {
    return new OpsError(EXIT.LOCKED, `environment "${envName}" is locked by ${file}, which cannot be read: if no other dbx run is going on, remove it (rm ${file}) and retry`);
  }
  const who = `pid ${other.pid}, ${other.user} on ${other.host}, running "${other.command}" since ${other.since} (${age(other.since, now)} ago)`;
  if (other.host === os.hostname() && !processAlive(other.pid)) {
    return new OpsError(
      EXIT.LOCKED,
      `environment "${envName}" has a stale lock (${shown}): ${who}, and that process no longer exists. ` +
        `It ended without releasing the lock (killed or crashed), so "${envName}" may be part-way through that change. ` +
        `Remove the lock (rm ${file}), check with: dbx status ${envName}, then run the command again (Terraform may also report its own state lock: terraform force-unlock <ID> in the stack directory).`,
    );
  }
  return new OpsError(EXIT.LOCKED, `environment "${envName}" is locked by another run: ${who}. Wait for it to finish, then retry.`);
}
