/**
 * `dbx check-connections <env>`: for each Unity Catalog connection of `vars/<env>.json`, confirms through the
 * workspace REST API that the connection exists and, when it has a foreign catalog and a SQL warehouse is at
 * hand, runs `SHOW SCHEMAS IN <catalog>` on it, which reaches the external source through the connection.
 * One line per connection (ok / failed with the API's message / timed out, and the latency), a summary,
 * `--json`; exit CHECK_FAILED when any check fails. Changes nothing (a timed-out statement is canceled).
 *
 * Names come from the loaded vars through `connectionCatalogNames` and `sqlWarehouseName`, the functions the
 * management stack builds with. Checks run one after the other, each within `--timeout-seconds`.
 *
 * REST API (Databricks REST API reference, workspace):
 * - Connections, Get: `GET /api/2.1/unity-catalog/connections/{name}` (docs.databricks.com/api/workspace/connections/get);
 *   a missing one is 404 `RESOURCE_DOES_NOT_EXIST`.
 * - SQL Warehouses, List: `GET /api/2.0/sql/warehouses` → `{warehouses: [{id, name, state, ...}], next_page_token}`,
 *   `page_token` for the next page (docs.databricks.com/api/workspace/warehouses/list).
 * - Statement Execution (docs.databricks.com/api/workspace/statementexecution; Databricks "Statement Execution
 *   API: Run SQL on warehouses"): `POST /api/2.0/sql/statements` with `warehouse_id`, `statement`,
 *   `wait_timeout` (`"0s"` or 5 to 50 seconds: how long the call blocks) and `on_wait_timeout` (`CONTINUE`:
 *   the statement goes on and the answer carries its `statement_id` to poll); `GET
 *   /api/2.0/sql/statements/{statement_id}` until `status.state` is `SUCCEEDED`, `FAILED` (`status.error.message`),
 *   `CANCELED` or `CLOSED` (`PENDING` and `RUNNING` are not final); `POST .../{statement_id}/cancel` stops one.
 *   A result's row count is `manifest.total_row_count`.
 * - Identifiers: a name in backticks, a backtick inside doubled (Databricks SQL language reference, "Identifiers").
 */
import { connectionCatalogNames, type ConnectionCatalogNames } from "../../config/connections";
import { sqlWarehouseName } from "../../config/consumers";
import type { Context, Output } from "../context";
import { DatabricksApiError, isAbort, oneLine, WorkspaceClient, workspaceAuthFromEnv } from "../databricks-api";
import { loadEnvironment } from "../environment";
import { EXIT, OpsError } from "../exit-codes";
import { Interrupted } from "../interrupts";
import type { JsonOption } from "./common";

/** Seconds each connection's check may take (lookup, statement and polling together): default and bounds of `--timeout-seconds`. */
export const CHECK_TIMEOUT_SECONDS = { default: 30, max: 3600 } as const;

/** Milliseconds between two polls of a running statement: default and bounds of `--poll-interval-ms`. */
export const POLL_INTERVAL_MS = { default: 1000, min: 10, max: 60_000 } as const;

/** `wait_timeout` of the Statement Execution API: `0s` (return at once) or 5 to 50 seconds. */
export const STATEMENT_WAIT_SECONDS = { min: 5, max: 50 } as const;

/** Milliseconds a cancel request of a timed-out statement may take (it runs after the connection's deadline). */
export const CANCEL_TIMEOUT_MS = 5000;

/** Pages of `GET /api/2.0/sql/warehouses` read at most while looking for the warehouse by name. */
const MAX_WAREHOUSE_PAGES = 50;

export interface CheckConnectionsOptions extends JsonOption {
  /** Run the catalog queries on this SQL warehouse instead of the environment's `sqlWarehouse`. */
  readonly warehouseId?: string;
  /** Seconds per connection, as typed. @default 30 */
  readonly timeoutSeconds?: string | number;
  /** Milliseconds between polls of a running statement, as typed. @default 1000 */
  readonly pollIntervalMs?: string | number;
}

/** `ok`: the connection exists and its catalog query succeeded, was skipped or not needed. */
export type ConnectionCheckStatus = "ok" | "failed" | "timed-out";

/** One line of the result (`--json`: the `connections` array). */
export interface ConnectionCheck {
  /** The connection's name. */
  readonly connection: string;
  /** Its foreign catalog, or null when the vars entry has none. */
  readonly catalog: string | null;
  readonly status: ConnectionCheckStatus;
  /** Milliseconds the whole check of this connection took. */
  readonly latencyMs: number;
  /** What was found, one line: the API's message when it failed. */
  readonly message: string;
  /** Schemas `SHOW SCHEMAS` returned, or null when the query did not run or did not succeed. */
  readonly schemas: number | null;
}

/** The SQL warehouse the catalog queries run on. */
interface Warehouse {
  readonly id: string;
  readonly name: string | null;
  readonly state: string | null;
  readonly source: "--warehouse-id" | "sqlWarehouse";
}

interface StatementResponse {
  readonly statement_id?: string;
  readonly status?: { readonly state?: string; readonly error?: { readonly error_code?: string; readonly message?: string } };
  readonly manifest?: { readonly total_row_count?: number };
  readonly result?: { readonly row_count?: number; readonly data_array?: readonly unknown[] };
}

interface WarehouseList {
  readonly warehouses?: readonly { readonly id?: string; readonly name?: string; readonly state?: string }[];
  readonly next_page_token?: string;
}

/** A Unity Catalog name as a SQL identifier: in backticks, each backtick inside doubled. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}

/** The metadata query run on a foreign catalog. */
export function showSchemasStatement(catalog: string): string {
  return `SHOW SCHEMAS IN ${quoteIdentifier(catalog)}`;
}

/**
 * The `wait_timeout` for a statement with `remainingMs` left: as long as the API allows (at most 50 s) while
 * leaving a second for the answer to arrive, or `0s` (return at once, then poll) below 5 s.
 */
export function statementWaitTimeout(remainingMs: number): string {
  const seconds = Math.min(STATEMENT_WAIT_SECONDS.max, Math.floor(remainingMs / 1000) - 1);
  return seconds >= STATEMENT_WAIT_SECONDS.min ? `${seconds}s` : "0s";
}

/** A number option within bounds. @throws OpsError USAGE naming the option and what was typed */
function numberOption(flag: string, raw: string | number | undefined, fallback: number, valid: (n: number) => boolean, expected: string): number {
  if (raw === undefined) return fallback;
  const n = typeof raw === "number" ? raw : raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(n) || !valid(n)) throw new OpsError(EXIT.USAGE, `${flag}: expected ${expected}, found ${JSON.stringify(String(raw))}`);
  return n;
}

/** Waits `ms`, or less when `signal` fires. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Runs each check of one environment against one workspace. */
class ConnectionChecker {
  constructor(
    private readonly client: WorkspaceClient,
    private readonly timeoutMs: number,
    private readonly pollIntervalMs: number,
    /** Fires (with an {@link Interrupted} reason) when SIGINT/SIGTERM/SIGHUP arrives. */
    private readonly interrupt: AbortSignal,
  ) {}

  private get seconds(): string {
    return `${this.timeoutMs / 1000} s`;
  }

  /** Throws the interruption when a signal arrived. */
  private stopIfInterrupted(): void {
    if (this.interrupt.aborted) throw this.interrupt.reason as Interrupted;
  }

  /**
   * The warehouse `--warehouse-id` names, else the environment's own (found by name), else none, with why.
   * A failed lookup is a warning, not a failure: the connection checks still run.
   */
  async warehouse(options: CheckConnectionsOptions, name: string | undefined, out: Output, envName: string): Promise<{ warehouse?: Warehouse; skipped?: string }> {
    if (options.warehouseId) return { warehouse: { id: options.warehouseId, name: null, state: null, source: "--warehouse-id" } };
    if (name === undefined) return { skipped: `no SQL warehouse (pass --warehouse-id, or declare sqlWarehouse in vars/${envName}.json)` };
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.interrupt]);
    try {
      let token: string | undefined;
      for (let page = 0; page < MAX_WAREHOUSE_PAGES; page++) {
        const list = await this.client.request<WarehouseList>("GET", `/api/2.0/sql/warehouses${token ? `?page_token=${encodeURIComponent(token)}` : ""}`, undefined, signal);
        const found = (list.warehouses ?? []).find((w) => w.name === name && typeof w.id === "string");
        if (found) return { warehouse: { id: found.id!, name, state: found.state ?? null, source: "sqlWarehouse" } };
        token = list.next_page_token;
        if (!token) break;
      }
      const skipped = `no SQL warehouse named "${name}" in the workspace (is management-${envName} deployed? --warehouse-id names another)`;
      out.warn(`${skipped}: catalog queries skipped`);
      return { skipped };
    } catch (e) {
      this.stopIfInterrupted();
      if (!isAbort(e) && !(e instanceof DatabricksApiError)) throw e;
      const skipped = `listing SQL warehouses failed: ${isAbort(e) ? `no answer within ${this.seconds}` : (e as DatabricksApiError).describe()}`;
      out.warn(`${skipped}: catalog queries skipped`);
      return { skipped };
    }
  }

  /** Checks one connection: exists, then (with a catalog and a warehouse) `SHOW SCHEMAS`. */
  async check(names: ConnectionCatalogNames, warehouse: Warehouse | undefined, skipped: string | undefined): Promise<ConnectionCheck> {
    const started = performance.now();
    const deadline = Date.now() + this.timeoutMs;
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.interrupt]);
    const catalog = names.foreignCatalog ?? null;
    const finish = (status: ConnectionCheckStatus, message: string, schemas: number | null = null): ConnectionCheck => ({
      connection: names.connection, catalog, status, latencyMs: Math.round(performance.now() - started), message, schemas,
    });

    try {
      await this.client.request("GET", `/api/2.1/unity-catalog/connections/${encodeURIComponent(names.connection)}`, undefined, signal);
    } catch (e) {
      this.stopIfInterrupted();
      if (isAbort(e)) return finish("timed-out", `the connection lookup did not answer within ${this.seconds}`);
      if (e instanceof DatabricksApiError) return finish("failed", e.describe());
      throw e;
    }
    if (catalog === null) return finish("ok", "connection exists; no foreign catalog to query");
    if (warehouse === undefined) return finish("ok", `connection exists; catalog query skipped: ${skipped}`);

    let statementId: string | undefined;
    try {
      let response = await this.client.request<StatementResponse>(
        "POST",
        "/api/2.0/sql/statements",
        { warehouse_id: warehouse.id, statement: showSchemasStatement(catalog), wait_timeout: statementWaitTimeout(deadline - Date.now()), on_wait_timeout: "CONTINUE" },
        signal,
      );
      statementId = response.statement_id;
      for (;;) {
        const state = response.status?.state;
        const error = response.status?.error;
        const apiMessage = error?.message ? `${oneLine(error.message)}${error.error_code ? ` (${error.error_code})` : ""}` : undefined;
        if (state === "SUCCEEDED") {
          const count = response.manifest?.total_row_count ?? response.result?.row_count ?? response.result?.data_array?.length;
          return typeof count === "number" ? finish("ok", `${count} schema${count === 1 ? "" : "s"}`, count) : finish("ok", "SHOW SCHEMAS succeeded (no row count in the answer)");
        }
        if (state === "CLOSED") return finish("ok", "SHOW SCHEMAS succeeded (its result was closed before it was read)");
        if (state === "FAILED") return finish("failed", `SHOW SCHEMAS failed: ${apiMessage ?? "no message"}`);
        if (state === "CANCELED") return finish("failed", `SHOW SCHEMAS was canceled${apiMessage ? `: ${apiMessage}` : ""}`);
        if (state !== "PENDING" && state !== "RUNNING") return finish("failed", `SHOW SCHEMAS: unexpected statement state ${JSON.stringify(state ?? null)}`);
        if (!statementId) return finish("failed", `SHOW SCHEMAS: the statement is ${state} but the answer has no statement_id to poll`);
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        await sleep(Math.min(this.pollIntervalMs, remaining), signal);
        if (signal.aborted) break;
        response = await this.client.request<StatementResponse>("GET", `/api/2.0/sql/statements/${encodeURIComponent(statementId)}`, undefined, signal);
      }
    } catch (e) {
      if (!isAbort(e) && !this.interrupt.aborted) {
        if (!(e instanceof DatabricksApiError)) throw e;
        const canceled = statementId ? `; statement ${statementId} ${await this.cancel(statementId)}` : "";
        return finish("failed", `SHOW SCHEMAS failed: ${e.describe()}${canceled}`);
      }
    }
    // The deadline passed or a signal arrived while the statement ran: stop it, it must not run on.
    const canceled = statementId ? `; statement ${statementId} ${await this.cancel(statementId)}` : " (the statement was not accepted in time)";
    this.stopIfInterrupted();
    return finish("timed-out", `SHOW SCHEMAS did not finish within ${this.seconds}${canceled}${warehouse.state && warehouse.state !== "RUNNING" ? `; the warehouse was ${warehouse.state} and may need longer to start (raise --timeout-seconds)` : ""}`);
  }

  /** Cancels a statement (its own short deadline, even after an interrupt); says how it went. */
  private async cancel(statementId: string): Promise<string> {
    try {
      await this.client.request("POST", `/api/2.0/sql/statements/${encodeURIComponent(statementId)}/cancel`, undefined, AbortSignal.timeout(CANCEL_TIMEOUT_MS));
      return "canceled";
    } catch (e) {
      if (e instanceof DatabricksApiError) return `could not be canceled: ${e.describe()}`;
      if (isAbort(e)) return `could not be canceled: no answer within ${CANCEL_TIMEOUT_MS / 1000} s`;
      throw e;
    }
  }
}

/** The line printed for one check. */
export function checkLine(r: ConnectionCheck): string {
  const subject = r.catalog === null ? r.connection : `${r.connection} (${r.catalog})`;
  if (r.status === "ok" && r.schemas !== null) return `ok ${subject}: ${r.message} in ${r.latencyMs} ms`;
  return `${r.status === "timed-out" ? "timed out" : r.status} ${subject}: ${r.message} (${r.latencyMs} ms)`;
}

export async function checkConnectionsCommand(ctx: Context, out: Output, envName: string, options: CheckConnectionsOptions): Promise<number> {
  const timeoutSeconds = numberOption("--timeout-seconds", options.timeoutSeconds, CHECK_TIMEOUT_SECONDS.default, (n) => n > 0 && n <= CHECK_TIMEOUT_SECONDS.max, `a number of seconds greater than 0 and at most ${CHECK_TIMEOUT_SECONDS.max}`);
  const pollIntervalMs = numberOption("--poll-interval-ms", options.pollIntervalMs, POLL_INTERVAL_MS.default, (n) => Number.isInteger(n) && n >= POLL_INTERVAL_MS.min && n <= POLL_INTERVAL_MS.max, `a whole number of milliseconds from ${POLL_INTERVAL_MS.min} to ${POLL_INTERVAL_MS.max}`);
  if (options.warehouseId !== undefined && !/^[A-Za-z0-9_-]{1,100}$/.test(options.warehouseId)) {
    throw new OpsError(EXIT.USAGE, `--warehouse-id: expected a SQL warehouse id (letters and digits, as in /sql/warehouses/<id>), found ${JSON.stringify(options.warehouseId)}`);
  }
  const env = loadEnvironment(ctx, envName);
  const checks = connectionCatalogNames(env.vars.connections);
  if (checks.length === 0) {
    out.say(`${env.name}: no connections in its vars file: nothing to check`);
    out.result({ env: env.name, ok: true, warehouse: null, queriesSkipped: null, connections: [] });
    return EXIT.OK;
  }
  const client = new WorkspaceClient(workspaceAuthFromEnv(ctx.env));
  const interrupt = new AbortController();
  void ctx.interrupts.whenInterrupted().then((signal) => interrupt.abort(new Interrupted(signal)));
  ctx.interrupts.check();
  const checker = new ConnectionChecker(client, timeoutSeconds * 1000, pollIntervalMs, interrupt.signal);

  // Sign in once up front, so refused credentials are one message rather than one per connection.
  try {
    await client.authenticate(AbortSignal.any([AbortSignal.timeout(timeoutSeconds * 1000), interrupt.signal]));
  } catch (e) {
    ctx.interrupts.check();
    if (isAbort(e)) throw new OpsError(EXIT.FAILURE, `OAuth M2M token request to ${client.host}/oidc/v1/token did not answer within ${timeoutSeconds} s`);
    throw e;
  }
  const warehouseName = env.vars.sqlWarehouse ? sqlWarehouseName(env.vars.namePrefix, env.vars.sqlWarehouse) : undefined;
  const { warehouse, skipped } = await checker.warehouse(options, warehouseName, out, env.name);
  out.progress(
    `checking ${checks.length} connection${checks.length === 1 ? "" : "s"} of ${env.name} in ${client.host} (${client.auth.type}), ${timeoutSeconds} s each; ` +
      (warehouse ? `catalog queries on SQL warehouse ${warehouse.name ? `"${warehouse.name}" (${warehouse.id}${warehouse.state ? `, ${warehouse.state}` : ""})` : warehouse.id}` : `catalog queries skipped: ${skipped}`),
  );

  const results: ConnectionCheck[] = [];
  for (const names of checks) {
    ctx.interrupts.check();
    const result = await checker.check(names, warehouse, skipped);
    results.push(result);
    out.say(checkLine(result));
  }
  const count = (s: ConnectionCheckStatus) => results.filter((r) => r.status === s).length;
  const ok = count("ok") === results.length;
  const problems = [count("failed") > 0 ? `${count("failed")} failed` : "", count("timed-out") > 0 ? `${count("timed-out")} timed out` : ""].filter(Boolean).join(", ");
  out.say(`${env.name}: ${count("ok")} of ${results.length} connections ok${problems ? `, ${problems}` : ""}${warehouse ? "" : "; catalog queries skipped"}`);
  out.result({
    env: env.name,
    ok,
    host: client.host,
    auth: client.auth.type,
    warehouse: warehouse ?? null,
    queriesSkipped: skipped ?? null,
    connections: results,
  });
  return ok ? EXIT.OK : EXIT.CHECK_FAILED;
}
