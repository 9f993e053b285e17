/**
 * `dbx check-connections`, in-process against a local HTTP server that answers like the documented Databricks
 * workspace APIs: the OAuth M2M token endpoint, SCIM Me, Unity Catalog connections, SQL warehouses and the SQL
 * Statement Execution API (error bodies `{error_code, message}`). No synth, no Terraform.
 *
 * No test waits for wall-clock time to pass: each step's deadline is made by `deadlines.start`, which the
 * tests replace with one they end themselves (on a request the server sees), so a busy machine cannot turn a
 * slow answer into a timeout. The real deadline is tested on its own.
 */
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import {
  CHECK_TIMEOUT_SECONDS,
  deadlines,
  POLL_INTERVAL_MS,
  quoteIdentifier,
  showSchemasStatement,
  statementWait,
} from "../ops/commands/check-connections";
import { deadlineIn, endingAlsoWith, retryDelayMs, RETRY_BACKOFF_MS, workspaceAuthFromEnv, workspaceOrigin } from "../ops/databricks-api";
import { EXIT } from "../ops/exit-codes";
import { Sandbox, type CliResult } from "./cli-helpers";
import { readVars, tempVarsDir } from "./helpers";

vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

// Canaries: none of them may appear in any output.
const CLIENT_ID = "5f0c1d2e-canary-client-id";
const CLIENT_SECRET = "dose-CANARY-client-secret-7f3a";
const ACCESS_TOKEN = "CANARY-oauth-access-token-91b2";
const PAT = "dapiCANARYpersonalaccesstoken0123";
const REVOKED_PAT = "dapiCANARYrevokedtoken4567";
const PAT_USER = "ops-engineer@example.com";
const WAREHOUSE = { id: "wh0123456789abcd", name: "acme-dbx-dev-consumers" };
const ME = "/api/2.0/preview/scim/v2/Me";

/**
 * How `SHOW SCHEMAS IN <catalog>` behaves. The fake answers the POST as the API does for its
 * `on_wait_timeout`: with `CANCEL` the call blocks until the statement ends or the wait runs out (then
 * CANCELED); with `CONTINUE` an unfinished statement is PENDING and polled.
 * - ok: done within any wait; poll: done, but only after a `CONTINUE` wait (polled once); fail: FAILED;
 *   hang: never done; closed: CLOSED; canceled: canceled by someone else while polled.
 */
type Behaviour = "ok" | "poll" | "fail" | "hang" | "closed" | "canceled";

interface Call {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly body: string;
}

/** An error answer the fake gives instead of the normal one. */
interface Failure {
  readonly status: number;
  /** A JSON error document, or a raw body (a proxy's page). */
  readonly body: Record<string, unknown> | string;
  readonly retryAfter?: string;
}

/** What the fake workspace knows and how it answers; reset before each test. */
const api = {
  calls: [] as Call[],
  connections: new Set<string>(),
  /** How `SHOW SCHEMAS IN <catalog>` behaves, by catalog. */
  behaviour: {} as Record<string, Behaviour>,
  /** Connections whose lookup never answers. */
  silentConnections: new Set<string>(),
  warehousePages: [] as { id: string; name: string; state: string }[][],
  tokenRefused: false,
  /** Bearer tokens the workspace accepts. */
  bearers: new Set<string>(),
  statements: new Map<string, string>(),
  held: [] as http.ServerResponse[],
  /** Answers given once each, in order, to `METHOD path` before the normal ones. */
  scripted: new Map<string, Failure[]>(),
  /** Answers given to every `METHOD path` call. */
  persistent: new Map<string, Failure>(),
  /** Called with each call as it arrives, before it is answered. */
  onCall: undefined as ((call: Call) => void) | undefined,
};

function reset(): void {
  api.calls = [];
  api.connections = new Set(["mysql_analytics", "snowflake_finance", "synapse_customer360", "bigquery_analytics"]);
  api.behaviour = { mysql_analytics: "ok", snowflake_finance: "poll", synapse_customer360: "ok" };
  api.silentConnections = new Set();
  api.warehousePages = [[{ id: "whother", name: "someone-elses", state: "STOPPED" }], [{ ...WAREHOUSE, state: "RUNNING" }]];
  api.tokenRefused = false;
  api.bearers = new Set([ACCESS_TOKEN, PAT]);
  api.statements = new Map();
  api.scripted = new Map();
  api.persistent = new Map();
  api.onCall = undefined;
}

function send(res: http.ServerResponse, status: number, doc: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": typeof doc === "string" ? "text/html" : "application/json", ...headers });
  res.end(typeof doc === "string" ? doc : JSON.stringify(doc));
}

const SCHEMAS: Record<string, number> = { mysql_analytics: 3, snowflake_finance: 1, synapse_customer360: 7 };

/** A statement's answer: to its POST (`polled` false, with the request's `on_wait_timeout`) or to a poll. */
function statement(id: string, catalog: string, polled: boolean, onWaitTimeout?: string): Record<string, unknown> {
  const behaviour = api.behaviour[catalog] ?? "ok";
  const blocks = !polled && onWaitTimeout === "CANCEL";
  if (behaviour === "ok" || (behaviour === "poll" && (polled || blocks))) {
    const n = SCHEMAS[catalog] ?? 0;
    return { statement_id: id, status: { state: "SUCCEEDED" }, manifest: { total_row_count: n }, result: { row_count: n, data_array: Array.from({ length: n }, (_, i) => [`s${i}`]) } };
  }
  if (behaviour === "fail") {
    return { statement_id: id, status: { state: "FAILED", error: { error_code: "BAD_REQUEST", message: "[REMOTE_QUERY_ERROR] Login failed for user 'dbx_federation'." } } };
  }
  if (behaviour === "closed") return { statement_id: id, status: { state: "CLOSED" } };
  if (behaviour === "hang" && blocks) return { statement_id: id, status: { state: "CANCELED" } };
  if (behaviour === "canceled" && polled) return { statement_id: id, status: { state: "CANCELED", error: { error_code: "CANCELLED", message: "Query was canceled by user." } } };
  return { statement_id: id, status: { state: behaviour === "hang" && polled ? "RUNNING" : "PENDING" } };
}

function handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  const call = { method: req.method ?? "", path: `${url.pathname}${url.search}`, authorization: req.headers.authorization, body };
  api.calls.push(call);
  api.onCall?.(call);
  if (req.method === "POST" && url.pathname === "/oidc/v1/token") {
    const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
    if (api.tokenRefused || req.headers.authorization !== basic) return send(res, 401, { error: "invalid_client", error_description: "Client authentication failed" });
    return send(res, 200, { access_token: ACCESS_TOKEN, token_type: "Bearer", scope: "all-apis", expires_in: 3600 });
  }
  const bearer = /^Bearer (.*)$/.exec(req.headers.authorization ?? "")?.[1];
  if (bearer === undefined || !api.bearers.has(bearer)) {
    return send(res, 401, { error_code: "UNAUTHENTICATED", message: "Invalid access token." });
  }
  const key = `${req.method} ${url.pathname}`;
  const failure = api.scripted.get(key)?.shift() ?? api.persistent.get(key);
  if (failure) return send(res, failure.status, failure.body, failure.retryAfter === undefined ? {} : { "Retry-After": failure.retryAfter });
  if (req.method === "GET" && url.pathname === ME) {
    return send(res, 200, { id: "7788", userName: bearer === PAT ? PAT_USER : CLIENT_ID, active: true });
  }
  const connection = url.pathname.match(/^\/api\/2\.1\/unity-catalog\/connections\/([^/]+)$/);
  if (req.method === "GET" && connection) {
    const name = decodeURIComponent(connection[1]);
    if (api.silentConnections.has(name)) return void api.held.push(res);
    if (!api.connections.has(name)) return send(res, 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: `Connection '${name}' does not exist.` });
    return send(res, 200, { name, full_name: name, connection_type: "MYSQL", owner: "acme-dbx-dev-data-engineers", read_only: true });
  }
  if (req.method === "GET" && url.pathname === "/api/2.0/sql/warehouses") {
    const page = url.searchParams.get("page_token") === null ? 0 : Number(url.searchParams.get("page_token"));
    const next = page + 1 < api.warehousePages.length ? { next_page_token: String(page + 1) } : {};
    return send(res, 200, { warehouses: api.warehousePages[page] ?? [], ...next });
  }
  if (req.method === "POST" && url.pathname === "/api/2.0/sql/statements") {
    const doc = JSON.parse(body) as { statement: string; warehouse_id: string; on_wait_timeout?: string };
    const catalog = /^SHOW SCHEMAS IN `(.*)`$/.exec(doc.statement)?.[1].replace(/``/g, "`");
    if (!catalog || doc.warehouse_id === "") return send(res, 400, { error_code: "INVALID_PARAMETER_VALUE", message: "bad statement" });
    const id = `01ef-${api.statements.size + 1}-${catalog}`;
    api.statements.set(id, catalog);
    return send(res, 200, statement(id, catalog, false, doc.on_wait_timeout));
  }
  const stmt = url.pathname.match(/^\/api\/2\.0\/sql\/statements\/([^/]+)(\/cancel)?$/);
  if (stmt && api.statements.has(decodeURIComponent(stmt[1]))) {
    const id = decodeURIComponent(stmt[1]);
    if (req.method === "POST" && stmt[2]) return send(res, 200, {});
    if (req.method === "GET" && !stmt[2]) return send(res, 200, statement(id, api.statements.get(id)!, true));
  }
  send(res, 404, { error_code: "ENDPOINT_NOT_FOUND", message: `No API found for '${req.method} ${url.pathname}'` });
}

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => handle(req, body, res));
});
let host = "";
let varsDir = "";
let noWarehouseVarsDir = "";
let box: Sandbox;

/** dev's vars with its four connections (bigquery_analytics without a foreign catalog) and no consumers. */
function fixtureVars(withWarehouse: boolean): Record<string, unknown> {
  const vars = readVars("dev");
  vars.consumers = [];
  vars.extractorJobs = [];
  delete vars.tokenUsageGroups;
  if (!withWarehouse) delete vars.sqlWarehouse;
  vars.connections = vars.connections.map((c: Record<string, unknown>) => (c.name === "bigquery_analytics" ? { ...c, foreignCatalog: undefined } : c));
  return vars;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  varsDir = tempVarsDir({ "dev.json": fixtureVars(true) });
  noWarehouseVarsDir = tempVarsDir({ "dev.json": fixtureVars(false) });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  for (const dir of [varsDir, noWarehouseVarsDir]) fs.rmSync(dir, { recursive: true, force: true });
});
/** The deadlines made during the current test, in order (sign-in, warehouse lookup, then one per connection). */
let deadlinesMade: AbortController[] = [];

/** Ends the step that is running now (the newest deadline), as if its time had run out. */
function expireCurrentStep(): void {
  deadlinesMade.at(-1)!.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
}

beforeEach(() => {
  reset();
  box = new Sandbox();
  deadlinesMade = [];
  // Deadlines end only when a test ends them: the full time stays available until then.
  vi.spyOn(deadlines, "start").mockImplementation((ms: number) => {
    const controller = new AbortController();
    deadlinesMade.push(controller);
    return { signal: controller.signal, remainingMs: () => (controller.signal.aborted ? 0 : ms) };
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const res of api.held.splice(0)) res.destroy();
  box.cleanup();
});

/** Runs `dbx check-connections dev ...` with OAuth M2M credentials (plus `env`); asserts no secret was printed. */
async function check(args: string[] = [], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const r = await box.run(["check-connections", "dev", "--poll-interval-ms", "10", ...args], {
    env: { VARS_DIR: varsDir, DATABRICKS_HOST: host, DATABRICKS_CLIENT_ID: CLIENT_ID, DATABRICKS_CLIENT_SECRET: CLIENT_SECRET, ...env },
  });
  for (const secret of [CLIENT_SECRET, ACCESS_TOKEN, PAT, REVOKED_PAT, Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")]) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return r;
}

/** The environment of a run with a personal access token only (the sandbox sets client credentials). */
const patOnly = (token = PAT) => ({ DATABRICKS_TOKEN: token, DATABRICKS_CLIENT_ID: undefined, DATABRICKS_CLIENT_SECRET: undefined });

const calls = (method: string, prefix: string) => api.calls.filter((c) => c.method === method && c.path.startsWith(prefix));
const statementsRun = () => calls("POST", "/api/2.0/sql/statements").filter((c) => !c.path.endsWith("/cancel")).map((c) => JSON.parse(c.body) as Record<string, string>);
const lookupPath = (name: string) => `/api/2.1/unity-catalog/connections/${name}`;
const ALL = ["mysql_analytics", "snowflake_finance", "synapse_customer360", "bigquery_analytics"];
const FOREIGN = ["mysql_analytics", "snowflake_finance", "synapse_customer360"];

describe("check-connections against the documented API shapes", () => {
  test("success: OAuth M2M token once, sign-in (SCIM Me) first, the warehouse found by name across pages, one ok line per connection, exit 0", async () => {
    const r = await check();
    expect(r.code).toBe(EXIT.OK);
    const token = calls("POST", "/oidc/v1/token");
    expect(token).toHaveLength(1);
    expect(token[0].authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`);
    expect(new URLSearchParams(token[0].body).get("grant_type")).toBe("client_credentials");
    expect(new URLSearchParams(token[0].body).get("scope")).toBe("all-apis");
    for (const c of api.calls.filter((c) => c.path !== "/oidc/v1/token")) expect(c.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(api.calls.slice(0, 2).map((c) => `${c.method} ${c.path}`)).toEqual(["POST /oidc/v1/token", `GET ${ME}`]);
    expect(calls("GET", "/api/2.0/sql/warehouses").map((c) => c.path)).toEqual(["/api/2.0/sql/warehouses", "/api/2.0/sql/warehouses?page_token=1"]);
    expect(calls("GET", "/api/2.1/unity-catalog/connections/").map((c) => c.path)).toEqual(ALL.map(lookupPath));
    // One statement per foreign catalog, on the vars' warehouse. The 30 s default fits in one call: the
    // warehouse waits 29 s (a second left for the answer) and cancels the statement itself, so nothing is polled.
    expect(statementsRun()).toEqual(FOREIGN.map((c) => ({ warehouse_id: WAREHOUSE.id, statement: `SHOW SCHEMAS IN \`${c}\``, wait_timeout: "29s", on_wait_timeout: "CANCEL" })));
    expect(calls("GET", "/api/2.0/sql/statements/")).toEqual([]);
    expect(calls("POST", "/api/2.0/sql/statements/").filter((c) => c.path.endsWith("/cancel"))).toEqual([]);

    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^ok mysql_analytics \(mysql_analytics\): 3 schemas in \d+ ms$/);
    expect(lines[1]).toMatch(/^ok snowflake_finance \(snowflake_finance\): 1 schema in \d+ ms$/);
    expect(lines[2]).toMatch(/^ok synapse_customer360 \(synapse_customer360\): 7 schemas in \d+ ms$/);
    expect(lines[3]).toMatch(/^ok bigquery_analytics: connection exists; no foreign catalog to query \(\d+ ms\)$/);
    expect(lines[4]).toBe("dev: 4 of 4 connections ok");
    expect(r.stderr).toContain(`checking 4 connections of dev in ${host} as ${CLIENT_ID} (oauth-m2m), 30 s each; catalog queries on SQL warehouse "${WAREHOUSE.name}" (${WAREHOUSE.id}, RUNNING)`);
  });

  test("more time than one call may wait (--timeout-seconds 60): wait_timeout 50s with CONTINUE, the unfinished statement is polled until it succeeds", async () => {
    const r = await check(["--timeout-seconds", "60"]);
    expect(r.code).toBe(EXIT.OK);
    expect(statementsRun().map((s) => [s.wait_timeout, s.on_wait_timeout])).toEqual(Array(3).fill(["50s", "CONTINUE"]));
    expect(calls("GET", "/api/2.0/sql/statements/").map((c) => c.path)).toEqual(["/api/2.0/sql/statements/01ef-2-snowflake_finance"]);
    expect(r.stdout).toMatch(/^ok snowflake_finance \(snowflake_finance\): 1 schema in \d+ ms$/m);
  });

  test("a missing connection: the API's message and code, no query for its catalog, exit CHECK_FAILED", async () => {
    api.connections.delete("snowflake_finance");
    const r = await check();
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(r.stdout).toMatch(/^failed snowflake_finance \(snowflake_finance\): Connection 'snowflake_finance' does not exist\. \(RESOURCE_DOES_NOT_EXIST, HTTP 404\) \(\d+ ms\)$/m);
    expect(statementsRun().map((s) => s.statement)).not.toContain("SHOW SCHEMAS IN `snowflake_finance`");
    expect(r.stdout).toMatch(/^ok mysql_analytics \(mysql_analytics\): 3 schemas/m);
    expect(r.stdout).toContain("dev: 3 of 4 connections ok, 1 failed");
  });

  test("a failing query: status.error.message of the FAILED statement, exit CHECK_FAILED", async () => {
    api.behaviour.synapse_customer360 = "fail";
    const r = await check();
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(r.stdout).toMatch(/^failed synapse_customer360 \(synapse_customer360\): SHOW SCHEMAS failed: \[REMOTE_QUERY_ERROR\] Login failed for user 'dbx_federation'\. \(BAD_REQUEST\) \(\d+ ms\)$/m);
    expect(r.stdout).toContain("dev: 3 of 4 connections ok, 1 failed");
  });

  test("statement state CLOSED: the statement succeeded, its result was closed; ok", async () => {
    api.behaviour.mysql_analytics = "closed";
    const r = await check();
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toMatch(/^ok mysql_analytics \(mysql_analytics\): SHOW SCHEMAS succeeded \(its result was closed before it was read\) \(\d+ ms\)$/m);
  });

  test("statement state CANCELED while polled (canceled by someone else): failed with the API's message, not a timeout", async () => {
    api.behaviour.mysql_analytics = "canceled";
    const r = await check(["--timeout-seconds", "60"]);
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(r.stdout).toMatch(/^failed mysql_analytics \(mysql_analytics\): SHOW SCHEMAS was canceled: Query was canceled by user\. \(CANCELLED\) \(\d+ ms\)$/m);
    expect(calls("POST", "/api/2.0/sql/statements/01ef-1-mysql_analytics/cancel")).toEqual([]);
    expect(r.stdout).toContain("dev: 3 of 4 connections ok, 1 failed");
  });

  test("a statement that outlasts its wait_timeout with CANCEL: the warehouse cancels it, the line says timed out, nothing left to cancel", async () => {
    api.behaviour.mysql_analytics = "hang";
    const r = await check();
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(statementsRun()[0]).toMatchObject({ statement: "SHOW SCHEMAS IN `mysql_analytics`", wait_timeout: "29s", on_wait_timeout: "CANCEL" });
    expect(calls("GET", "/api/2.0/sql/statements/")).toEqual([]);
    expect(calls("POST", "/api/2.0/sql/statements/01ef-1-mysql_analytics/cancel")).toEqual([]);
    expect(r.stdout).toMatch(/^timed out mysql_analytics \(mysql_analytics\): SHOW SCHEMAS did not finish within its wait_timeout of 29 s: the warehouse canceled it \(on_wait_timeout CANCEL\) \(\d+ ms\)$/m);
    expect(r.stdout).toContain("dev: 3 of 4 connections ok, 1 timed out");
  });

  test("a polled statement still running at the deadline is canceled and the line says timed out; the other connections are still checked", async () => {
    api.behaviour.mysql_analytics = "hang";
    const id = "01ef-1-mysql_analytics";
    // The deadline of mysql_analytics' check ends once its statement is being polled.
    api.onCall = (c) => void (c.method === "GET" && c.path === `/api/2.0/sql/statements/${id}` && expireCurrentStep());
    const r = await check(["--timeout-seconds", "60"]);
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(statementsRun()[0]).toMatchObject({ statement: "SHOW SCHEMAS IN `mysql_analytics`", wait_timeout: "50s", on_wait_timeout: "CONTINUE" });
    expect(calls("POST", `/api/2.0/sql/statements/${id}/cancel`)).toHaveLength(1);
    expect(r.stdout).toMatch(new RegExp(`^timed out mysql_analytics \\(mysql_analytics\\): SHOW SCHEMAS did not finish within 60 s; statement ${id} canceled \\(\\d+ ms\\)$`, "m"));
    expect(r.stdout).toMatch(/^ok synapse_customer360 \(synapse_customer360\): 7 schemas/m);
    expect(r.stdout).toContain("dev: 3 of 4 connections ok, 1 timed out");
  });

  test("Ctrl-C while a statement runs: the statement is canceled, the run stops with the interrupt's exit code", async () => {
    api.behaviour.mysql_analytics = "hang";
    const r = await box.run(["check-connections", "dev", "--poll-interval-ms", "10", "--timeout-seconds", "60"], {
      env: { VARS_DIR: varsDir, DATABRICKS_HOST: host, ...patOnly() },
      // Sent once the statement is being polled (the hanging statement never finishes on its own).
      onContext: (ctx) => (api.onCall = (c) => void (c.method === "GET" && c.path.startsWith("/api/2.0/sql/statements/") && ctx.interrupts.receive("SIGINT"))),
    });
    expect(r.code).toBe(EXIT.INTERRUPTED_INT);
    expect(calls("POST", "/api/2.0/sql/statements/01ef-1-mysql_analytics/cancel")).toHaveLength(1);
    expect(r.stderr).toContain("dbx check-connections: interrupted by SIGINT");
    expect(calls("GET", "/api/2.1/unity-catalog/connections/").map((c) => c.path)).toEqual([lookupPath("mysql_analytics")]);
  });

  test("a lookup that never answers is ended by its deadline (AbortSignal), and the run goes on", async () => {
    api.silentConnections.add("synapse_customer360");
    api.onCall = (c) => void (c.path === lookupPath("synapse_customer360") && expireCurrentStep());
    const r = await check();
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(r.stdout).toMatch(/^timed out synapse_customer360 \(synapse_customer360\): the connection lookup did not answer within 30 s \(\d+ ms\)$/m);
    expect(r.stdout).toMatch(/^ok bigquery_analytics: connection exists/m);
  });

  test("--json: one document on stdout with one {connection, catalog, status, latencyMs, message, schemas} per connection; lines on stderr", async () => {
    api.connections.delete("snowflake_finance");
    const r = await check(["--json"]);
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      command: "check-connections", env: "dev", ok: false, host, auth: "oauth-m2m", principal: CLIENT_ID,
      warehouse: { id: WAREHOUSE.id, name: WAREHOUSE.name, source: "sqlWarehouse" }, queriesSkipped: null, warehouseError: null,
    });
    expect(doc.connections.map((c: Record<string, unknown>) => Object.keys(c).sort())).toEqual(Array(4).fill(["catalog", "connection", "latencyMs", "message", "schemas", "status"]));
    expect(doc.connections.map(({ latencyMs, ...rest }: Record<string, unknown>) => (expect(typeof latencyMs).toBe("number"), rest))).toEqual([
      { connection: "mysql_analytics", catalog: "mysql_analytics", status: "ok", message: "3 schemas", schemas: 3 },
      { connection: "snowflake_finance", catalog: "snowflake_finance", status: "failed", message: "Connection 'snowflake_finance' does not exist. (RESOURCE_DOES_NOT_EXIST, HTTP 404)", schemas: null },
      { connection: "synapse_customer360", catalog: "synapse_customer360", status: "ok", message: "7 schemas", schemas: 7 },
      { connection: "bigquery_analytics", catalog: null, status: "ok", message: "connection exists; no foreign catalog to query", schemas: null },
    ]);
    expect(r.stderr).toContain("failed snowflake_finance (snowflake_finance): Connection 'snowflake_finance' does not exist.");
  });

  test("a personal access token alone (DATABRICKS_TOKEN) is the bearer of every call; no token request", async () => {
    const r = await check([], patOnly());
    expect(r.code).toBe(EXIT.OK);
    expect(calls("POST", "/oidc/v1/token")).toEqual([]);
    expect(api.calls.every((c) => c.authorization === `Bearer ${PAT}`)).toBe(true);
    expect(r.stderr).toContain(`as ${PAT_USER} (pat)`);
  });

  test.each([
    ["pat", `Bearer ${PAT}`, "(pat)"],
    ["oauth-m2m", `Bearer ${ACCESS_TOKEN}`, "(oauth-m2m)"],
  ])("a token and client credentials with DATABRICKS_AUTH_TYPE=%s: that one is used", async (authType, bearer, shown) => {
    const r = await check([], { DATABRICKS_TOKEN: PAT, DATABRICKS_AUTH_TYPE: authType });
    expect(r.code).toBe(EXIT.OK);
    expect(api.calls.filter((c) => c.path !== "/oidc/v1/token").every((c) => c.authorization === bearer)).toBe(true);
    expect(r.stderr).toContain(shown);
  });

  test("--warehouse-id: the queries run there, no warehouse lookup", async () => {
    const r = await check(["--warehouse-id", "abc123"]);
    expect(r.code).toBe(EXIT.OK);
    expect(calls("GET", "/api/2.0/sql/warehouses")).toEqual([]);
    expect(statementsRun().map((s) => s.warehouse_id)).toEqual(["abc123", "abc123", "abc123"]);
  });

  test("no warehouse in vars and no --warehouse-id: connection checks only, each line names the vars file as the loader does", async () => {
    const r = await check([], { VARS_DIR: noWarehouseVarsDir });
    expect(r.code).toBe(EXIT.OK);
    expect(statementsRun()).toEqual([]);
    expect(calls("GET", "/api/2.0/sql/warehouses")).toEqual([]);
    // The environment's file under VARS_DIR, not a hard-coded vars/dev.json.
    const file = path.relative(process.cwd(), path.join(noWarehouseVarsDir, "dev.json"));
    expect(r.stdout).not.toContain("vars/dev.json");
    expect(r.stdout).toMatch(/^ok mysql_analytics \(mysql_analytics\): connection exists; catalog query skipped: no SQL warehouse \(pass --warehouse-id, or declare sqlWarehouse in .*\) \(\d+ ms\)$/m);
    expect(r.stdout).toContain(`declare sqlWarehouse in ${file})`);
    expect(r.stdout).toContain("dev: 4 of 4 connections ok; catalog queries skipped");
  });

  test("the vars' warehouse not in the workspace: a warning, queries skipped, connections still checked", async () => {
    api.warehousePages = [[{ id: "whother", name: "someone-elses", state: "RUNNING" }]];
    const r = await check();
    expect(r.code).toBe(EXIT.OK);
    expect(r.stderr).toContain(`dbx check-connections: warning: no SQL warehouse named "${WAREHOUSE.name}" in the workspace (is management-dev deployed? --warehouse-id names another): catalog queries skipped`);
    expect(statementsRun()).toEqual([]);
    expect(calls("GET", "/api/2.1/unity-catalog/connections/")).toHaveLength(4);
  });

  test("an error answer whose body is not JSON (a proxy's page): the status text, said to be no JSON, not retried", async () => {
    api.persistent.set(`GET ${lookupPath("snowflake_finance")}`, { status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" });
    const r = await check();
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(r.stdout).toMatch(/^failed snowflake_finance \(snowflake_finance\): Bad Gateway, with a body that is not JSON \(HTTP 502\) \(\d+ ms\)$/m);
    expect(calls("GET", lookupPath("snowflake_finance"))).toHaveLength(1);
  });
});

describe("check-connections: a SQL warehouse that refuses the statement is one problem, reported once", () => {
  test.each([
    [
      "403 PERMISSION_DENIED (no CAN_USE)",
      [] as string[],
      { status: 403, body: { error_code: "PERMISSION_DENIED", message: "You do not have permission to use this SQL warehouse." } },
      `failed SQL warehouse "${WAREHOUSE.name}" (${WAREHOUSE.id}): the statement was refused: You do not have permission to use this SQL warehouse. (PERMISSION_DENIED, HTTP 403); no access to the warehouse: the project gives CAN_USE on it to the consumer service principals only, so run check-connections as the automation service principal (or a workspace admin)`,
    ],
    [
      "404 for --warehouse-id",
      ["--warehouse-id", "nosuchwarehouse"],
      { status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Warehouse nosuchwarehouse does not exist." } },
      "failed SQL warehouse nosuchwarehouse: the statement was refused: Warehouse nosuchwarehouse does not exist. (RESOURCE_DOES_NOT_EXIST, HTTP 404); does --warehouse-id name a SQL warehouse of this workspace?",
    ],
  ])("%s: one warehouse line, no further statements, each connection still looked up, exit CHECK_FAILED", async (_name, args, failure, line) => {
    api.persistent.set("POST /api/2.0/sql/statements", failure);
    const r = await check(["--json", ...args]);
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(calls("POST", "/api/2.0/sql/statements")).toHaveLength(1);
    expect(calls("GET", "/api/2.1/unity-catalog/connections/")).toHaveLength(4);
    const lines = r.stderr.split("\n");
    expect(lines.filter((l) => l.includes("SQL warehouse") && l.includes("refused: "))).toEqual([line]);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, warehouseError: line });
    expect(doc.connections.map((c: { status: string; message: string }) => [c.status, c.message])).toEqual([
      ...FOREIGN.map(() => ["ok", "connection exists; catalog query skipped: the SQL warehouse refused the statement (see its line above)"]),
      ["ok", "connection exists; no foreign catalog to query"],
    ]);
    expect(lines.indexOf(line)).toBeLessThan(lines.findIndex((l) => l.startsWith("ok mysql_analytics")));
    expect(r.stderr).toContain("dev: 4 of 4 connections ok; the SQL warehouse refused the statements: catalog queries not run");
  });
});

describe("check-connections retries what the Databricks SDKs retry (429, 503, 504) within the deadline", () => {
  test("429 with Retry-After, 503 and 504 without: each retried once, then the checks succeed", async () => {
    api.scripted.set(`GET ${ME}`, [{ status: 504, body: { error_code: "TEMPORARILY_UNAVAILABLE", message: "Gateway timeout." } }]);
    api.scripted.set(`GET ${lookupPath("mysql_analytics")}`, [{ status: 429, body: { error_code: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests." }, retryAfter: "0" }]);
    api.scripted.set("POST /api/2.0/sql/statements", [{ status: 503, body: { error_code: "TEMPORARILY_UNAVAILABLE", message: "The service is temporarily unavailable." } }]);
    const r = await check();
    expect(r.code).toBe(EXIT.OK);
    expect(calls("GET", ME)).toHaveLength(2);
    expect(calls("GET", lookupPath("mysql_analytics"))).toHaveLength(2);
    expect(statementsRun()).toHaveLength(4);
    expect(r.stdout).toMatch(/^ok mysql_analytics \(mysql_analytics\): 3 schemas in \d+ ms$/m);
    expect(r.stdout).toContain("dev: 4 of 4 connections ok");
  });

  test("503 until the deadline: the line fails with the API's message and the attempts made, not a timeout or a hang", async () => {
    api.persistent.set(`GET ${lookupPath("mysql_analytics")}`, { status: 503, body: { error_code: "TEMPORARILY_UNAVAILABLE", message: "The service is temporarily unavailable." } });
    // The check's deadline ends as the third attempt arrives.
    api.onCall = (c) => void (c.path === lookupPath("mysql_analytics") && calls("GET", lookupPath("mysql_analytics")).length === 3 && expireCurrentStep());
    const r = await check();
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(calls("GET", lookupPath("mysql_analytics"))).toHaveLength(3);
    expect(r.stdout).toMatch(/^failed mysql_analytics \(mysql_analytics\): The service is temporarily unavailable\. \(TEMPORARILY_UNAVAILABLE, HTTP 503, \d attempts\) \(\d+ ms\)$/m);
    expect(r.stdout).toMatch(/^ok synapse_customer360 \(synapse_customer360\): 7 schemas/m);
    expect(r.stdout).toContain("dev: 3 of 4 connections ok, 1 failed");
  });

  test("a Retry-After past the deadline: no wait, the API's message says so", async () => {
    api.persistent.set(`GET ${lookupPath("mysql_analytics")}`, { status: 429, body: { error_code: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests." }, retryAfter: "120" });
    const r = await check();
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(calls("GET", lookupPath("mysql_analytics"))).toHaveLength(1);
    expect(r.stdout).toMatch(/^failed mysql_analytics \(mysql_analytics\): Too many requests\. \(REQUEST_LIMIT_EXCEEDED, HTTP 429; Retry-After 120 s is past the deadline\) \(\d+ ms\)$/m);
  });
});

describe("check-connections refuses before calling anything", () => {
  test.each([
    ["no DATABRICKS_HOST", { DATABRICKS_HOST: undefined }, "no Databricks workspace credentials: set DATABRICKS_HOST (the workspace URL: the workspace_url output of provisioning-<env>) and either DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (OAuth M2M)"],
    ["a host but no token nor client credentials", { DATABRICKS_CLIENT_ID: undefined, DATABRICKS_CLIENT_SECRET: undefined }, "no Databricks workspace credentials: set DATABRICKS_HOST"],
    ["only a client id", { DATABRICKS_CLIENT_SECRET: undefined }, "and either DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET"],
    ["oauth-m2m asked without the secret", { DATABRICKS_AUTH_TYPE: "oauth-m2m", DATABRICKS_CLIENT_SECRET: undefined, DATABRICKS_TOKEN: PAT }, "DATABRICKS_AUTH_TYPE=oauth-m2m needs DATABRICKS_CLIENT_SECRET"],
    ["the account console as host", { DATABRICKS_HOST: "https://accounts.cloud.databricks.com" }, "DATABRICKS_HOST is the account console (accounts.cloud.databricks.com)"],
    [
      "a token and client credentials without DATABRICKS_AUTH_TYPE",
      { DATABRICKS_TOKEN: PAT },
      "more than one authorization method configured: DATABRICKS_TOKEN (pat) and DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET (oauth-m2m) are both set; set DATABRICKS_AUTH_TYPE=pat|oauth-m2m to pick one, or unset the other",
    ],
    ["a token and a client id alone (the Go SDK counts it as oauth)", { DATABRICKS_TOKEN: PAT, DATABRICKS_CLIENT_SECRET: undefined }, "more than one authorization method configured"],
  ])("%s: exit NO_DATABRICKS_CREDENTIALS, one line naming the variables", async (_name, env, message) => {
    const r = await check([], env);
    expect(r.code).toBe(EXIT.NO_DATABRICKS_CREDENTIALS);
    expect(r.stderr).toMatch(/^dbx check-connections: error: /);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
    expect(api.calls).toEqual([]);
  });

  test("refused client credentials: the token endpoint's OAuth error in one line, exit FAILURE, no connection call", async () => {
    api.tokenRefused = true;
    const r = await check();
    expect(r.code).toBe(EXIT.FAILURE);
    expect(r.stderr).toContain(`dbx check-connections: error: OAuth M2M token request to ${host}/oidc/v1/token was refused: Client authentication failed (invalid_client, HTTP 401); check DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET`);
    expect(api.calls.map((c) => c.path)).toEqual(["/oidc/v1/token"]);
  });

  test.each([
    ["a personal access token the workspace refuses (401)", patOnly(REVOKED_PAT), undefined, `refused DATABRICKS_TOKEN: Invalid access token. (UNAUTHENTICATED, HTTP 401); is the personal access token one of this workspace, not expired or revoked?`],
    ["a personal access token answered 403 on sign-in", patOnly(), { status: 403, body: { error_code: "403", message: "Invalid access token." } }, "refused DATABRICKS_TOKEN: Invalid access token. (403, HTTP 403)"],
    ["an OAuth token the workspace refuses (401)", {}, { status: 401, body: { error_code: "UNAUTHENTICATED", message: "Token is not valid for this workspace." } }, "refused the OAuth token of DATABRICKS_CLIENT_ID: Token is not valid for this workspace. (UNAUTHENTICATED, HTTP 401); is the service principal assigned to this workspace?"],
  ])("%s: one message, exit FAILURE, no connection checked", async (_name, env, meAnswer, message) => {
    if (meAnswer) api.persistent.set(`GET ${ME}`, meAnswer);
    const r = await check([], env);
    expect(r.code).toBe(EXIT.FAILURE);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringContaining(`dbx check-connections: error: ${host} ${message}`)]);
    expect(r.stdout).toBe("");
    expect(calls("GET", "/api/2.1/unity-catalog/connections/")).toEqual([]);
    expect(statementsRun()).toEqual([]);
  });

  test("credentials refused during the checks (401 after sign-in): the run ends with one message, exit FAILURE", async () => {
    api.persistent.set(`GET ${lookupPath("snowflake_finance")}`, { status: 401, body: { error_code: "UNAUTHENTICATED", message: "Token expired." } });
    const r = await check();
    expect(r.code).toBe(EXIT.FAILURE);
    expect(r.stderr).toContain(`dbx check-connections: error: ${host} refused the OAuth token of DATABRICKS_CLIENT_ID: Token expired. (UNAUTHENTICATED, HTTP 401)`);
    expect(calls("GET", "/api/2.1/unity-catalog/connections/").map((c) => c.path)).toEqual([lookupPath("mysql_analytics"), lookupPath("snowflake_finance")]);
  });

  test.each([
    [["--timeout-seconds", "0"], "--timeout-seconds: expected a number of seconds greater than 0 and at most 3600, found \"0\""],
    [["--timeout-seconds", "soon"], "--timeout-seconds: expected a number of seconds"],
    [["--poll-interval-ms", "1"], "--poll-interval-ms: expected a whole number of milliseconds from 10 to 60000, found \"1\""],
    [["--warehouse-id", "../x"], "--warehouse-id: expected a SQL warehouse id"],
  ])("bad option %j: exit USAGE", async (args, message) => {
    const r = await check(args);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain(message);
    expect(api.calls).toEqual([]);
  });

  test("an environment without connections: nothing to check, no credentials needed", async () => {
    const vars = fixtureVars(true);
    vars.connections = [];
    const dir = tempVarsDir({ "dev.json": vars });
    const r = await check(["--json"], { VARS_DIR: dir, DATABRICKS_HOST: undefined });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(EXIT.OK);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, connections: [] });
    expect(api.calls).toEqual([]);
  });

  test("--help describes the command, its variables, who may run it and its exit codes (129 too), with the defaults the code uses", async () => {
    const r = await box.run(["check-connections", "--help"]);
    expect(r.code).toBe(EXIT.OK);
    const text = r.stdout.replace(/\s+/g, " ");
    for (const part of [
      "GET /api/2.1/unity-catalog/connections/<name>",
      "SHOW SCHEMAS",
      "DATABRICKS_HOST",
      "DATABRICKS_TOKEN",
      "DATABRICKS_CLIENT_SECRET",
      "DATABRICKS_AUTH_TYPE pat or oauth-m2m: required when a token and client credentials are both set",
      "DATABRICKS_CONFIG_PROFILE and ~/.databrickscfg, are not read",
      "may be served from the metadata Unity Catalog keeps",
      "run it as the automation service principal management runs as (or a workspace admin)",
      "GET /api/2.0/preview/scim/v2/Me",
      "Exit codes:",
    ]) {
      expect(text.toLowerCase()).toContain(part.toLowerCase());
    }
    for (const row of ["  7  no Databricks credentials", " 13  a check failed", "129  interrupted by SIGHUP", "130  interrupted by SIGINT", "143  interrupted by SIGTERM"]) expect(r.stdout).toContain(row);
    expect(text).not.toContain("proves the credentials");
    expect(text).toContain(`canceled (default ${CHECK_TIMEOUT_SECONDS.default})`);
    expect(text).toContain(`running query (default ${POLL_INTERVAL_MS.default})`);
    expect((await box.run(["--help"])).stdout).toContain("check-connections");
  });
});

describe("check-connections helpers", () => {
  test("catalog names are quoted as identifiers, backticks doubled, never interpolated bare", () => {
    expect(quoteIdentifier("mysql_analytics")).toBe("`mysql_analytics`");
    expect(quoteIdentifier("we`ird; DROP CATALOG x")).toBe("`we``ird; DROP CATALOG x`");
    expect(showSchemasStatement("a`b")).toBe("SHOW SCHEMAS IN `a``b`");
  });

  test("wait_timeout is 0s or 5-50 s, a second of the deadline left for the answer; CANCEL when it covers the rest of the deadline", () => {
    expect([500, 5999, 6000, 30_000, 51_999, 52_000, 120_000].map((ms) => Object.values(statementWait(ms)).join(" "))).toEqual([
      "0s CONTINUE",
      "0s CONTINUE",
      "5s CANCEL",
      "29s CANCEL",
      "50s CANCEL",
      "50s CONTINUE",
      "50s CONTINUE",
    ]);
  });

  test("retry delays: Retry-After in seconds when given, else a doubling backoff with a cap", () => {
    expect(retryDelayMs("3", 1)).toBe(3000);
    expect(retryDelayMs(" 0 ", 4)).toBe(0);
    expect([1, 2, 3, 10].map((n) => retryDelayMs(null, n))).toEqual([RETRY_BACKOFF_MS.first, RETRY_BACKOFF_MS.first * 2, RETRY_BACKOFF_MS.first * 4, RETRY_BACKOFF_MS.max]);
    expect(retryDelayMs("Wed, 21 Oct 2026 07:28:00 GMT", 1)).toBe(RETRY_BACKOFF_MS.first);
  });

  test("the real deadline: its signal fires once the time is up, and remainingMs counts down to it", async () => {
    vi.restoreAllMocks();
    const deadline = deadlines.start(20);
    expect(deadline.remainingMs()).toBeLessThanOrEqual(20);
    await new Promise((resolve) => deadline.signal.addEventListener("abort", resolve, { once: true }));
    expect(deadline.remainingMs()).toBeLessThanOrEqual(1);
    const interrupt = new AbortController();
    const both = endingAlsoWith(deadlineIn(60_000), interrupt.signal);
    expect(both.signal.aborted).toBe(false);
    interrupt.abort();
    expect([both.signal.aborted, both.remainingMs()]).toEqual([true, 0]);
  });

  test("credentials: a token and client credentials need DATABRICKS_AUTH_TYPE; configuration profiles are not read", () => {
    const base = { DATABRICKS_HOST: "https://dbc-1.cloud.databricks.com" };
    expect(() => workspaceAuthFromEnv({ ...base, DATABRICKS_TOKEN: PAT, DATABRICKS_CLIENT_ID: CLIENT_ID, DATABRICKS_CLIENT_SECRET: CLIENT_SECRET })).toThrow("more than one authorization method configured");
    expect(workspaceAuthFromEnv({ ...base, DATABRICKS_TOKEN: PAT, DATABRICKS_CLIENT_ID: CLIENT_ID, DATABRICKS_CLIENT_SECRET: CLIENT_SECRET, DATABRICKS_AUTH_TYPE: "pat" }).type).toBe("pat");
    expect(workspaceAuthFromEnv({ ...base, DATABRICKS_TOKEN: PAT, DATABRICKS_CLIENT_ID: CLIENT_ID, DATABRICKS_CLIENT_SECRET: CLIENT_SECRET, DATABRICKS_AUTH_TYPE: "oauth-m2m" }).type).toBe("oauth-m2m");
    expect(() => workspaceAuthFromEnv({ ...base, DATABRICKS_CONFIG_PROFILE: "DEFAULT" })).toThrow("no Databricks workspace credentials");
  });

  test("DATABRICKS_HOST: https added when missing; plain http only to this machine; no path", () => {
    expect(workspaceOrigin("dbc-1234abcd-5678.cloud.databricks.com")).toBe("https://dbc-1234abcd-5678.cloud.databricks.com");
    expect(workspaceOrigin("https://dbc-1234abcd-5678.cloud.databricks.com/")).toBe("https://dbc-1234abcd-5678.cloud.databricks.com");
    expect(workspaceOrigin("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(() => workspaceOrigin("http://dbc-1234abcd-5678.cloud.databricks.com")).toThrow("DATABRICKS_HOST must be an https:// URL (plain http:// only for localhost)");
    expect(() => workspaceOrigin("https://dbc-1.cloud.databricks.com/?o=1")).toThrow("the workspace URL alone");
  });

  test("the README documents the command with its variables, who may run it, and what SHOW SCHEMAS proves", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Operations CLI")).replace(/\s+/g, " ");
    expect(section).toMatch(/\| `check-connections <env>` \|/);
    for (const part of ["DATABRICKS_HOST", "DATABRICKS_AUTH_TYPE=pat", "`DATABRICKS_CONFIG_PROFILE`, `~/.databrickscfg`) are not read", "as the automation service principal management runs as", "`GET /api/2.0/preview/scim/v2/Me`", "The warehouse is `PRO`"]) {
      expect(section).toContain(part);
    }
    const all = readme.replace(/\s+/g, " ");
    for (const claim of ["as Databricks unified client authentication reads them", "proves the stored credentials and the network path", "a stopped classic warehouse", "or another member of those groups"]) {
      expect(all).not.toContain(claim);
    }
  });
});
