/**
 * `dbx check-connections <env>`: for each Unity Catalog connection of the environment's vars, confirms through
 * the workspace REST API that the connection exists and, when it has a foreign catalog and a SQL warehouse is
 * at hand, runs `SHOW SCHEMAS IN <catalog>` on that warehouse. A successful query proves that the connection
 * object and its foreign catalog answer through the warehouse. It does not by itself prove the source's
 * stored credentials or network path: Unity Catalog keeps metadata of foreign catalogs ("REFRESH FOREIGN
 * CATALOG ... refreshes the metadata maintained in Unity Catalog", Databricks SQL language reference,
 * docs.databricks.com/sql/language-manual/sql-ref-syntax-ddl-refresh-foreign.html), and the answer may be
 * served from it. One line per connection (ok / failed with the API's message / timed out, and the latency),
 * a summary, `--json`; exit CHECK_FAILED when any check fails. Changes nothing (a statement still running at
 * the deadline is canceled).
 *
 * Names come from the loaded vars through `connectionCatalogNames` and `sqlWarehouseName`, the functions the
 * management stack builds with. Before the checks, one authenticated call (`GET /api/2.0/preview/scim/v2/Me`)
 * signs in: credentials the workspace refuses (401, or 403 on that call) end the run with one message and exit
 * FAILURE, rather than one failed line per connection. Checks then run one after the other, each within
 * `--timeout-seconds`; 429, 503 and 504 answers are retried within that time (ops/databricks-api.ts).
 *
 * Who can run the statements: the project's warehouse permissions (constructs/consumers/warehouse.ts) give
 * `CAN_USE` to the consumer service principals only, and `databricks_permissions` is authoritative ("only
 * admins, authenticated principal and those declared within access_control blocks would have specified
 * access", provider docs/resources/permissions.md). So the automation service principal that management runs
 * as (a workspace admin, which creates the warehouse) or another workspace admin can run them; a non-admin
 * member of the owner groups cannot. A statement refused for the warehouse (403 `PERMISSION_DENIED`, or 404)
 * is reported once, as a warehouse problem, and the other catalog queries are skipped.
 *
 * REST API (Databricks REST API reference, workspace):
 * - Connections, Get: `GET /api/2.1/unity-catalog/connections/{name}` (docs.databricks.com/api/workspace/connections/get);
 *   a missing one is 404 `RESOURCE_DOES_NOT_EXIST`.
 * - SQL Warehouses, List: `GET /api/2.0/sql/warehouses` → `{warehouses: [{id, name, state, ...}], next_page_token}`,
 *   `page_token` for the next page (docs.databricks.com/api/workspace/warehouses/list).
 * - Statement Execution (docs.databricks.com/api/workspace/statementexecution; Databricks "Statement Execution
 *   API: Run SQL on warehouses"): `POST /api/2.0/sql/statements` with `warehouse_id`, `statement`,
 *   `wait_timeout` (`"0s"` or 5 to 50 seconds: how long the call blocks) and `on_wait_timeout` (`CONTINUE`:
 *   the statement goes on and the answer carries its `statement_id` to poll; `CANCEL`: "the statement
 *   execution is canceled and the call returns with a CANCELED state", databricks-sdk-go
 *   `service/sql/model.go`, `ExecuteStatementRequestOnWaitTimeout`); `GET /api/2.0/sql/statements/{statement_id}`
 *   until `status.state` is `SUCCEEDED`, `FAILED` (`status.error.message`), `CANCELED` or `CLOSED` (`PENDING`
 *   and `RUNNING` are not final); `POST .../{statement_id}/cancel` stops one. A result's row count is
 *   `manifest.total_row_count`. `status.error.error_code` is a `ServiceErrorCode` (no `PERMISSION_DENIED`
 *   among them: a refusal to use the warehouse is the HTTP error of the `POST`).
 * - Identifiers: a name in backticks, a backtick inside doubled (Databricks SQL language reference, "Identifiers").
 */
import { connectionCatalogNames, type ConnectionCatalogNames } from "../../config/connections";
import { sqlWarehouseName } from "../../config/consumers";
import type { Context, Output } from "../context";
import {
  CURRENT_USER_PATH,
  DatabricksApiError,
  deadlineIn,
  endingAlsoWith,
  isAbort,
  oneLine,
  sleep,
  WorkspaceClient,
  workspaceAuthFromEnv,
  type CallDeadline,
} from "../databricks-api";
import { loadEnvironment, type Environment } from "../environment";
import { EXIT, OpsError } from "../exit-codes";
import { Interrupted } from "../interrupts";
import { CANCEL_TIMEOUT_MS, CHECK_TIMEOUT_SECONDS, POLL_INTERVAL_MS, STATEMENT_WAIT_SECONDS } from "./check-connections-defaults";
import type { JsonOption } from "./common";

export { CANCEL_TIMEOUT_MS, CHECK_TIMEOUT_SECONDS, POLL_INTERVAL_MS, STATEMENT_WAIT_SECONDS };

/** Pages of `GET /api/2.0/sql/warehouses` read at most while looking for the warehouse by name. */
const MAX_WAREHOUSE_PAGES = 50;

/**
 * How the deadline of each step (signing in, the warehouse lookup, each connection's check) is made:
 * {@link deadlineIn}. Tests replace `start` to end a step when they choose rather than after wall-clock time.
 */
export const deadlines = { start: (ms: number): CallDeadline => deadlineIn(ms) };

export interface CheckConnectionsOptions extends JsonOption {
  /** Run the catalog queries on this SQL warehouse instead of the environment's `sqlWarehouse`. */
  readonly warehouseId?: string;
  /** Seconds per connection, as typed. @default 30 ({@link CHECK_TIMEOUT_SECONDS}) */
  readonly timeoutSeconds?: string | number;
  /** Milliseconds between polls of a running statement, as typed. @default 1000 ({@link POLL_INTERVAL_MS}) */
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

/** `wait_timeout` and `on_wait_timeout` of a statement. */
export interface StatementWait {
  readonly wait_timeout: string;
  readonly on_wait_timeout: "CANCEL" | "CONTINUE";
}

/**
 * How a statement with `remainingMs` left waits: `wait_timeout` as long as the API allows (at most 50 s)
 * while leaving a second for the answer to arrive. When that covers the rest of the deadline,
 * `on_wait_timeout` is `CANCEL`: the warehouse stops the statement itself when the time is up and no poll
 * is needed; when the deadline is further away, `CONTINUE`, then polling. Below 5 s, `0s` (return at once,
 * `CONTINUE`, then poll).
 */
export function statementWait(remainingMs: number): StatementWait {
  const left = Math.floor(remainingMs / 1000) - 1;
  const seconds = Math.min(STATEMENT_WAIT_SECONDS.max, left);
  if (seconds < STATEMENT_WAIT_SECONDS.min) return { wait_timeout: "0s", on_wait_timeout: "CONTINUE" };
  return { wait_timeout: `${seconds}s`, on_wait_timeout: left <= STATEMENT_WAIT_SECONDS.max ? "CANCEL" : "CONTINUE" };
}

/** A number option within bounds. @throws OpsError USAGE naming the option and what was typed */
function numberOption(flag: string, raw: string | number | undefined, fallback: number, valid: (n: number) => boolean, expected: string): number {
  if (raw === undefined) return fallback;
  const n = typeof raw === "number" ? raw : raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(n) || !valid(n)) throw new OpsError(EXIT.USAGE, `${flag}: expected ${expected}, found ${JSON.stringify(String(raw))}`);
  return n;
}

/** An answer of the statement POST that is about the warehouse, not the catalog: no access to it, or no such warehouse. */
function isWarehouseRefusal(e: DatabricksApiError): boolean {
  return e.status === 403 || e.status === 404 || e.errorCode === "PERMISSION_DENIED";
}

/** Runs each check of one environment against one workspace. */
class ConnectionChecker {
  /** The line reporting that the warehouse refused a statement, once it did: later catalog queries are skipped. */
  warehouseError?: string;

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

  /** A new deadline of `--timeout-seconds`, ended early by an interrupt. */
  private deadline(): CallDeadline {
    return endingAlsoWith(deadlines.start(this.timeoutMs), this.interrupt);
  }

  /** Throws the interruption when a signal arrived. */
  private stopIfInterrupted(): void {
    if (this.interrupt.aborted) throw this.interrupt.reason as Interrupted;
  }

  /** The run's end when the workspace refuses the credentials: one message naming the variables to check, never their values. */
  private refused(e: DatabricksApiError): OpsError {
    const whose =
      this.client.auth.type === "pat"
        ? ["DATABRICKS_TOKEN", "is the personal access token one of this workspace, not expired or revoked?"]
        : ["the OAuth token of DATABRICKS_CLIENT_ID", "is the service principal assigned to this workspace?"];
    return new OpsError(EXIT.FAILURE, `${this.client.host} refused ${whose[0]}: ${e.describe()}; ${whose[1]}`);
  }

  /**
   * Signs in (an OAuth M2M token when those are the credentials) and asks who the credentials belong to.
   * @returns the principal's `userName` (a service principal's is its application id), or null when the answer has none
   * @throws OpsError FAILURE when the workspace refuses the credentials (401 or 403), the token endpoint refuses
   *   them, or the call fails or does not answer in time; Interrupted on a signal
   */
  async signIn(): Promise<string | null> {
    try {
      const me = await this.client.request<{ userName?: unknown }>("GET", CURRENT_USER_PATH, undefined, this.deadline());
      return typeof me.userName === "string" && me.userName !== "" ? me.userName : null;
    } catch (e) {
      this.stopIfInterrupted();
      if (isAbort(e)) {
        const steps = `${this.client.auth.type === "oauth-m2m" ? "OAuth M2M token request, then " : ""}GET ${CURRENT_USER_PATH}`;
        throw new OpsError(EXIT.FAILURE, `signing in to ${this.client.host} did not finish within ${this.seconds} (${steps})`);
      }
      if (e instanceof DatabricksApiError) {
        if (e.status === 401 || e.status === 403) throw this.refused(e);
        throw new OpsError(EXIT.FAILURE, `signing in to ${this.client.host} failed: GET ${CURRENT_USER_PATH}: ${e.describe()}`);
      }
      throw e;
    }
  }

  /**
   * The warehouse `--warehouse-id` names, else the environment's own (found by name), else none, with why.
   * A failed lookup is a warning, not a failure: the connection checks still run.
   */
  async warehouse(options: CheckConnectionsOptions, name: string | undefined, out: Output, env: Environment): Promise<{ warehouse?: Warehouse; skipped?: string }> {
    if (options.warehouseId) return { warehouse: { id: options.warehouseId, name: null, state: null, source: "--warehouse-id" } };
    if (name === undefined) return { skipped: `no SQL warehouse (pass --warehouse-id, or declare sqlWarehouse in ${env.file})` };
    const deadline = this.deadline();
    try {
      let token: string | undefined;
      for (let page = 0; page < MAX_WAREHOUSE_PAGES; page++) {
        const list = await this.client.request<WarehouseList>("GET", `/api/2.0/sql/warehouses${token ? `?page_token=${encodeURIComponent(token)}` : ""}`, undefined, deadline);
        const found = (list.warehouses ?? []).find((w) => w.name === name && typeof w.id === "string");
        if (found) return { warehouse: { id: found.id!, name, state: found.state ?? null, source: "sqlWarehouse" } };
        token = list.next_page_token;
        if (!token) break;
      }
      const skipped = `no SQL warehouse named "${name}" in the workspace (is management-${env.name} deployed? --warehouse-id names another)`;
      out.warn(`${skipped}: catalog queries skipped`);
      return { skipped };
    } catch (e) {
      this.stopIfInterrupted();
      if (!isAbort(e) && !(e instanceof DatabricksApiError)) throw e;
      if (e instanceof DatabricksApiError && e.status === 401) throw this.refused(e);
      const skipped = `listing SQL warehouses failed: ${isAbort(e) ? `no answer within ${this.seconds}` : (e as DatabricksApiError).describe()}`;
      out.warn(`${skipped}: catalog queries skipped`);
      return { skipped };
    }
  }

  /** The line of a warehouse that refused the statement POST (reported once). */
  private warehouseRefusal(warehouse: Warehouse, e: DatabricksApiError): string {
    const label = warehouse.name ? `"${warehouse.name}" (${warehouse.id})` : warehouse.id;
    const hint =
      e.status === 404
        ? warehouse.source === "--warehouse-id"
          ? "does --warehouse-id name a SQL warehouse of this workspace?"
          : "was it deleted since it was listed?"
        : "no access to the warehouse: the project gives CAN_USE on it to the consumer service principals only, so run check-connections as the automation service principal (or a workspace admin)";
    return `failed SQL warehouse ${label}: the statement was refused: ${e.describe()}; ${hint}`;
  }

  /** Checks one connection: exists, then (with a catalog and a usable warehouse) `SHOW SCHEMAS`. */
  async check(names: ConnectionCatalogNames, warehouse: Warehouse | undefined, skipped: string | undefined): Promise<ConnectionCheck> {
    const started = performance.now();
    const deadline = this.deadline();
    const catalog = names.foreignCatalog ?? null;
    const finish = (status: ConnectionCheckStatus, message: string, schemas: number | null = null): ConnectionCheck => ({
      connection: names.connection, catalog, status, latencyMs: Math.round(performance.now() - started), message, schemas,
    });

    try {
      await this.client.request("GET", `/api/2.1/unity-catalog/connections/${encodeURIComponent(names.connection)}`, undefined, deadline);
    } catch (e) {
      this.stopIfInterrupted();
      if (isAbort(e)) return finish("timed-out", `the connection lookup did not answer within ${this.seconds}`);
      if (e instanceof DatabricksApiError) {
        if (e.status === 401) throw this.refused(e);
        return finish("failed", e.describe());
      }
      throw e;
    }
    if (catalog === null) return finish("ok", "connection exists; no foreign catalog to query");
    if (warehouse === undefined) return finish("ok", `connection exists; catalog query skipped: ${skipped}`);
    if (this.warehouseError) return finish("ok", "connection exists; catalog query skipped: the SQL warehouse refused the statement (see its line above)");

    const startingHint = warehouse.state && warehouse.state !== "RUNNING" ? `; the warehouse was ${warehouse.state} and may need longer to start (raise --timeout-seconds)` : "";
    let statementId: string | undefined;
    try {
      const wait = statementWait(deadline.remainingMs());
      let response = await this.client.request<StatementResponse>(
        "POST",
        "/api/2.0/sql/statements",
        { warehouse_id: warehouse.id, statement: showSchemasStatement(catalog), ...wait },
        deadline,
      );
      statementId = response.statement_id;
      for (let polls = 0; ; polls++) {
        const state = response.status?.state;
        const error = response.status?.error;
        const apiMessage = error?.message ? `${oneLine(error.message)}${error.error_code ? ` (${error.error_code})` : ""}` : undefined;
        if (state === "SUCCEEDED") {
          const count = response.manifest?.total_row_count ?? response.result?.row_count ?? response.result?.data_array?.length;
          return typeof count === "number" ? finish("ok", `${count} schema${count === 1 ? "" : "s"}`, count) : finish("ok", "SHOW SCHEMAS succeeded (no row count in the answer)");
        }
        if (state === "CLOSED") return finish("ok", "SHOW SCHEMAS succeeded (its result was closed before it was read)");
        if (state === "FAILED") return finish("failed", `SHOW SCHEMAS failed: ${apiMessage ?? "no message"}`);
        if (state === "CANCELED") {
          // With CANCEL, a CANCELED answer to the POST is the warehouse ending the statement at wait_timeout.
          if (polls === 0 && wait.on_wait_timeout === "CANCEL") {
            return finish("timed-out", `SHOW SCHEMAS did not finish within its wait_timeout of ${wait.wait_timeout.slice(0, -1)} s: the warehouse canceled it (on_wait_timeout CANCEL)${startingHint}`);
          }
          return finish("failed", `SHOW SCHEMAS was canceled${apiMessage ? `: ${apiMessage}` : ""}`);
        }
        if (state !== "PENDING" && state !== "RUNNING") return finish("failed", `SHOW SCHEMAS: unexpected statement state ${JSON.stringify(state ?? null)}`);
        if (!statementId) return finish("failed", `SHOW SCHEMAS: the statement is ${state} but the answer has no statement_id to poll`);
        const remaining = deadline.remainingMs();
        if (remaining <= 0) break;
        if (!(await sleep(Math.min(this.pollIntervalMs, remaining), deadline.signal))) break;
        response = await this.client.request<StatementResponse>("GET", `/api/2.0/sql/statements/${encodeURIComponent(statementId)}`, undefined, deadline);
      }
    } catch (e) {
      if (!isAbort(e) && !this.interrupt.aborted) {
        if (!(e instanceof DatabricksApiError)) throw e;
        if (e.status === 401) throw this.refused(e);
        if (statementId === undefined && isWarehouseRefusal(e)) {
          this.warehouseError = this.warehouseRefusal(warehouse, e);
          return finish("ok", "connection exists; catalog query skipped: the SQL warehouse refused the statement (see its line above)");
        }
        const canceled = statementId ? `; statement ${statementId} ${await this.cancel(statementId)}` : "";
        return finish("failed", `SHOW SCHEMAS failed: ${e.describe()}${canceled}`);
      }
    }
    // The deadline passed or a signal arrived while the statement ran: stop it, it must not run on.
    const canceled = statementId ? `; statement ${statementId} ${await this.cancel(statementId)}` : " (the statement was not accepted in time)";
    this.stopIfInterrupted();
    return finish("timed-out", `SHOW SCHEMAS did not finish within ${this.seconds}${canceled}${startingHint}`);
  }

  /** Cancels a statement (its own short deadline, even after an interrupt); says how it went. */
  private async cancel(statementId: string): Promise<string> {
    try {
      await this.client.request("POST", `/api/2.0/sql/statements/${encodeURIComponent(statementId)}/cancel`, undefined, deadlineIn(CANCEL_TIMEOUT_MS));
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
  const principal = await checker.signIn();
  const warehouseName = env.vars.sqlWarehouse ? sqlWarehouseName(env.vars.namePrefix, env.vars.sqlWarehouse) : undefined;
  const { warehouse, skipped } = await checker.warehouse(options, warehouseName, out, env);
  out.progress(
    `checking ${checks.length} connection${checks.length === 1 ? "" : "s"} of ${env.name} in ${client.host}${principal ? ` as ${principal}` : ""} (${client.auth.type}), ${timeoutSeconds} s each; ` +
      (warehouse ? `catalog queries on SQL warehouse ${warehouse.name ? `"${warehouse.name}" (${warehouse.id}${warehouse.state ? `, ${warehouse.state}` : ""})` : warehouse.id}` : `catalog queries skipped: ${skipped}`),
  );

  const results: ConnectionCheck[] = [];
  for (const names of checks) {
    ctx.interrupts.check();
    const reported = checker.warehouseError !== undefined;
    const result = await checker.check(names, warehouse, skipped);
    if (!reported && checker.warehouseError !== undefined) out.say(checker.warehouseError);
    results.push(result);
    out.say(checkLine(result));
  }
  const count = (s: ConnectionCheckStatus) => results.filter((r) => r.status === s).length;
  const warehouseError = checker.warehouseError ?? null;
  const ok = count("ok") === results.length && warehouseError === null;
  const problems = [count("failed") > 0 ? `${count("failed")} failed` : "", count("timed-out") > 0 ? `${count("timed-out")} timed out` : ""].filter(Boolean).join(", ");
  const queries = warehouseError ? "; the SQL warehouse refused the statements: catalog queries not run" : warehouse ? "" : "; catalog queries skipped";
  out.say(`${env.name}: ${count("ok")} of ${results.length} connections ok${problems ? `, ${problems}` : ""}${queries}`);
  out.result({
    env: env.name,
    ok,
    host: client.host,
    auth: client.auth.type,
    principal,
    warehouse: warehouse ?? null,
    queriesSkipped: skipped ?? null,
    warehouseError,
    connections: results,
  });
  return ok ? EXIT.OK : EXIT.CHECK_FAILED;
}
