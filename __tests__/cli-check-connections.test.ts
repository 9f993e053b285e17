/**
 * `dbx check-connections`, in-process against a local HTTP server that answers like the documented Databricks
 * workspace APIs: the OAuth M2M token endpoint, Unity Catalog connections, SQL warehouses and the SQL
 * Statement Execution API (error bodies `{error_code, message}`). No synth, no Terraform.
 */
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { CHECK_TIMEOUT_SECONDS, POLL_INTERVAL_MS, quoteIdentifier, showSchemasStatement, statementWaitTimeout } from "../ops/commands/check-connections";
import { workspaceOrigin } from "../ops/databricks-api";
import { EXIT } from "../ops/exit-codes";
import { Sandbox, type CliResult } from "./cli-helpers";
import { readVars, tempVarsDir } from "./helpers";

jest.setTimeout(20_000);

// Canaries: none of them may appear in any output.
const CLIENT_ID = "5f0c1d2e-canary-client-id";
const CLIENT_SECRET = "dose-CANARY-client-secret-7f3a";
const ACCESS_TOKEN = "CANARY-oauth-access-token-91b2";
const PAT = "dapiCANARYpersonalaccesstoken0123";
const WAREHOUSE = { id: "wh0123456789abcd", name: "acme-dbx-dev-consumers" };

type Behaviour = "ok" | "poll" | "fail" | "hang";

interface Call {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  readonly body: string;
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
  statements: new Map<string, string>(),
  held: [] as http.ServerResponse[],
};

function reset(): void {
  api.calls = [];
  api.connections = new Set(["mysql_analytics", "snowflake_finance", "synapse_customer360", "bigquery_analytics"]);
  api.behaviour = { mysql_analytics: "ok", snowflake_finance: "poll", synapse_customer360: "ok" };
  api.silentConnections = new Set();
  api.warehousePages = [[{ id: "whother", name: "someone-elses", state: "STOPPED" }], [{ ...WAREHOUSE, state: "RUNNING" }]];
  api.tokenRefused = false;
  api.statements = new Map();
}

function send(res: http.ServerResponse, status: number, doc: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(doc));
}

const SCHEMAS: Record<string, number> = { mysql_analytics: 3, snowflake_finance: 1, synapse_customer360: 7 };

/** A statement's answer in its current state. */
function statement(id: string, catalog: string, polled: boolean): Record<string, unknown> {
  const behaviour = api.behaviour[catalog] ?? "ok";
  if (behaviour === "ok" || (behaviour === "poll" && polled)) {
    const n = SCHEMAS[catalog] ?? 0;
    return { statement_id: id, status: { state: "SUCCEEDED" }, manifest: { total_row_count: n }, result: { row_count: n, data_array: Array.from({ length: n }, (_, i) => [`s${i}`]) } };
  }
  if (behaviour === "fail") {
    return { statement_id: id, status: { state: "FAILED", error: { error_code: "BAD_REQUEST", message: "[REMOTE_QUERY_ERROR] Login failed for user 'dbx_federation'." } } };
  }
  return { statement_id: id, status: { state: behaviour === "hang" && polled ? "RUNNING" : "PENDING" } };
}

function handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  api.calls.push({ method: req.method ?? "", path: `${url.pathname}${url.search}`, authorization: req.headers.authorization, body });
  if (req.method === "POST" && url.pathname === "/oidc/v1/token") {
    const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
    if (api.tokenRefused || req.headers.authorization !== basic) return send(res, 401, { error: "invalid_client", error_description: "Client authentication failed" });
    return send(res, 200, { access_token: ACCESS_TOKEN, token_type: "Bearer", scope: "all-apis", expires_in: 3600 });
  }
  if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}` && req.headers.authorization !== `Bearer ${PAT}`) {
    return send(res, 401, { error_code: "UNAUTHENTICATED", message: "Invalid access token." });
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
    const doc = JSON.parse(body) as { statement: string; warehouse_id: string };
    const catalog = /^SHOW SCHEMAS IN `(.*)`$/.exec(doc.statement)?.[1].replace(/``/g, "`");
    if (!catalog || doc.warehouse_id === "") return send(res, 400, { error_code: "INVALID_PARAMETER_VALUE", message: "bad statement" });
    const id = `01ef-${api.statements.size + 1}-${catalog}`;
    api.statements.set(id, catalog);
    return send(res, 200, statement(id, catalog, false));
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
beforeEach(() => {
  reset();
  box = new Sandbox();
});
afterEach(() => {
  for (const res of api.held.splice(0)) res.destroy();
  box.cleanup();
});

/** Runs `dbx check-connections dev ...` with OAuth M2M credentials (plus `env`); asserts no secret was printed. */
async function check(args: string[] = [], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const r = await box.run(["check-connections", "dev", "--poll-interval-ms", "10", ...args], {
    env: { VARS_DIR: varsDir, DATABRICKS_HOST: host, DATABRICKS_CLIENT_ID: CLIENT_ID, DATABRICKS_CLIENT_SECRET: CLIENT_SECRET, ...env },
  });
  for (const secret of [CLIENT_SECRET, ACCESS_TOKEN, PAT, Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")]) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return r;
}

/** Resolves once `condition` holds (polled; the test's timeout bounds it). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

const calls = (method: string, prefix: string) => api.calls.filter((c) => c.method === method && c.path.startsWith(prefix));
const statementsRun = () => calls("POST", "/api/2.0/sql/statements").filter((c) => !c.path.endsWith("/cancel")).map((c) => JSON.parse(c.body) as Record<string, string>);

describe("check-connections against the documented API shapes", () => {
  test("success: OAuth M2M token once, the warehouse found by name across pages, one ok line per connection, exit 0", async () => {
    const r = await check();
    expect(r.code).toBe(EXIT.OK);
    const token = calls("POST", "/oidc/v1/token");
    expect(token).toHaveLength(1);
    expect(token[0].authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`);
    expect(new URLSearchParams(token[0].body).get("grant_type")).toBe("client_credentials");
    expect(new URLSearchParams(token[0].body).get("scope")).toBe("all-apis");
    for (const c of api.calls.filter((c) => c.path !== "/oidc/v1/token")) expect(c.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(calls("GET", "/api/2.0/sql/warehouses").map((c) => c.path)).toEqual(["/api/2.0/sql/warehouses", "/api/2.0/sql/warehouses?page_token=1"]);
    expect(calls("GET", "/api/2.1/unity-catalog/connections/").map((c) => c.path)).toEqual(
      ["mysql_analytics", "snowflake_finance", "synapse_customer360", "bigquery_analytics"].map((n) => `/api/2.1/unity-catalog/connections/${n}`),
    );
    // One statement per foreign catalog, on the vars' warehouse, with a documented wait_timeout; the polled one was polled.
    // wait_timeout: as long as the API allows within the 30 s default, a second or two left for the answer.
    expect(statementsRun().map(({ wait_timeout, ...rest }) => (expect(Number(/^(\d+)s$/.exec(wait_timeout)?.[1])).toBeGreaterThanOrEqual(5), expect(Number(wait_timeout.slice(0, -1))).toBeLessThanOrEqual(29), rest))).toEqual(
      ["mysql_analytics", "snowflake_finance", "synapse_customer360"].map((c) => ({ warehouse_id: WAREHOUSE.id, statement: `SHOW SCHEMAS IN \`${c}\``, on_wait_timeout: "CONTINUE" })),
    );
    expect(calls("GET", "/api/2.0/sql/statements/").map((c) => c.path)).toEqual(["/api/2.0/sql/statements/01ef-2-snowflake_finance"]);
    expect(calls("POST", "/api/2.0/sql/statements/").filter((c) => c.path.endsWith("/cancel"))).toEqual([]);

    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^ok mysql_analytics \(mysql_analytics\): 3 schemas in \d+ ms$/);
    expect(lines[1]).toMatch(/^ok snowflake_finance \(snowflake_finance\): 1 schema in \d+ ms$/);
    expect(lines[2]).toMatch(/^ok synapse_customer360 \(synapse_customer360\): 7 schemas in \d+ ms$/);
    expect(lines[3]).toMatch(/^ok bigquery_analytics: connection exists; no foreign catalog to query \(\d+ ms\)$/);
    expect(lines[4]).toBe("dev: 4 of 4 connections ok");
    expect(r.stderr).toContain(`checking 4 connections of dev in ${host} (oauth-m2m), 30 s each; catalog queries on SQL warehouse "${WAREHOUSE.name}" (${WAREHOUSE.id}, RUNNING)`);
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

  test("a timeout: the statement stays PENDING/RUNNING past --timeout-seconds, is canceled, the line says timed out", async () => {
    api.behaviour.mysql_analytics = "hang";
    const r = await check(["--timeout-seconds", "0.5"]);
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    const id = "01ef-1-mysql_analytics";
    expect(statementsRun()[0]).toMatchObject({ statement: "SHOW SCHEMAS IN `mysql_analytics`", wait_timeout: "0s", on_wait_timeout: "CONTINUE" });
    expect(calls("GET", `/api/2.0/sql/statements/${id}`).length).toBeGreaterThan(0);
    expect(calls("POST", `/api/2.0/sql/statements/${id}/cancel`)).toHaveLength(1);
    expect(r.stdout).toMatch(new RegExp(`^timed out mysql_analytics \\(mysql_analytics\\): SHOW SCHEMAS did not finish within 0\\.5 s; statement ${id} canceled \\(\\d+ ms\\)$`, "m"));
    // The other connections are still checked.
    expect(r.stdout).toMatch(/^ok synapse_customer360 \(synapse_customer360\): 7 schemas/m);
    expect(r.stdout).toContain("dev: 3 of 4 connections ok, 1 timed out");
  });

  test("Ctrl-C while a statement runs: the statement is canceled, the run stops with the interrupt's exit code", async () => {
    api.behaviour.mysql_analytics = "hang";
    const r = await box.run(["check-connections", "dev", "--poll-interval-ms", "10", "--timeout-seconds", "10"], {
      env: { VARS_DIR: varsDir, DATABRICKS_HOST: host, DATABRICKS_TOKEN: PAT },
      // Sent once the statement is being polled (the hanging statement never finishes on its own).
      onContext: (ctx) => void waitFor(() => calls("GET", "/api/2.0/sql/statements/").length > 0).then(() => ctx.interrupts.receive("SIGINT")),
    });
    expect(r.code).toBe(EXIT.INTERRUPTED_INT);
    expect(calls("POST", "/api/2.0/sql/statements/01ef-1-mysql_analytics/cancel")).toHaveLength(1);
    expect(r.stderr).toContain("dbx check-connections: interrupted by SIGINT");
    expect(calls("GET", "/api/2.1/unity-catalog/connections/").map((c) => c.path)).toEqual(["/api/2.1/unity-catalog/connections/mysql_analytics"]);
  });

  test("a lookup that never answers is ended by the request timeout (AbortSignal), and the run goes on", async () => {
    api.silentConnections.add("synapse_customer360");
    const r = await check(["--timeout-seconds", "0.5"]);
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    expect(r.stdout).toMatch(/^timed out synapse_customer360 \(synapse_customer360\): the connection lookup did not answer within 0\.5 s \(\d+ ms\)$/m);
    expect(r.stdout).toMatch(/^ok bigquery_analytics: connection exists/m);
  });

  test("--json: one document on stdout with one {connection, catalog, status, latencyMs, message, schemas} per connection; lines on stderr", async () => {
    api.connections.delete("snowflake_finance");
    const r = await check(["--json"]);
    expect(r.code).toBe(EXIT.CHECK_FAILED);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ command: "check-connections", env: "dev", ok: false, host, auth: "oauth-m2m", warehouse: { id: WAREHOUSE.id, name: WAREHOUSE.name, source: "sqlWarehouse" }, queriesSkipped: null });
    expect(doc.connections.map((c: Record<string, unknown>) => Object.keys(c).sort())).toEqual(Array(4).fill(["catalog", "connection", "latencyMs", "message", "schemas", "status"]));
    expect(doc.connections.map(({ latencyMs, ...rest }: Record<string, unknown>) => (expect(typeof latencyMs).toBe("number"), rest))).toEqual([
      { connection: "mysql_analytics", catalog: "mysql_analytics", status: "ok", message: "3 schemas", schemas: 3 },
      { connection: "snowflake_finance", catalog: "snowflake_finance", status: "failed", message: "Connection 'snowflake_finance' does not exist. (RESOURCE_DOES_NOT_EXIST, HTTP 404)", schemas: null },
      { connection: "synapse_customer360", catalog: "synapse_customer360", status: "ok", message: "7 schemas", schemas: 7 },
      { connection: "bigquery_analytics", catalog: null, status: "ok", message: "connection exists; no foreign catalog to query", schemas: null },
    ]);
    expect(r.stderr).toContain("failed snowflake_finance (snowflake_finance): Connection 'snowflake_finance' does not exist.");
  });

  test("a personal access token (DATABRICKS_TOKEN) is used as the bearer, before client credentials; no token request", async () => {
    const r = await check([], { DATABRICKS_TOKEN: PAT });
    expect(r.code).toBe(EXIT.OK);
    expect(calls("POST", "/oidc/v1/token")).toEqual([]);
    expect(api.calls.every((c) => c.authorization === `Bearer ${PAT}`)).toBe(true);
    expect(r.stderr).toContain("(pat)");
  });

  test("--warehouse-id: the queries run there, no warehouse lookup", async () => {
    const r = await check(["--warehouse-id", "abc123"]);
    expect(r.code).toBe(EXIT.OK);
    expect(calls("GET", "/api/2.0/sql/warehouses")).toEqual([]);
    expect(statementsRun().map((s) => s.warehouse_id)).toEqual(["abc123", "abc123", "abc123"]);
  });

  test("no warehouse in vars and no --warehouse-id: connection checks only, each line says the query was skipped", async () => {
    const r = await check([], { VARS_DIR: noWarehouseVarsDir });
    expect(r.code).toBe(EXIT.OK);
    expect(statementsRun()).toEqual([]);
    expect(calls("GET", "/api/2.0/sql/warehouses")).toEqual([]);
    expect(r.stdout).toMatch(/^ok mysql_analytics \(mysql_analytics\): connection exists; catalog query skipped: no SQL warehouse \(pass --warehouse-id, or declare sqlWarehouse in vars\/dev\.json\) \(\d+ ms\)$/m);
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
});

describe("check-connections refuses before calling anything", () => {
  test.each([
    ["no DATABRICKS_HOST", { DATABRICKS_HOST: undefined }, "no Databricks workspace credentials: set DATABRICKS_HOST (the workspace URL: the workspace_url output of provisioning-<env>) and either DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (OAuth M2M)"],
    ["a host but no token nor client credentials", { DATABRICKS_CLIENT_ID: undefined, DATABRICKS_CLIENT_SECRET: undefined }, "no Databricks workspace credentials: set DATABRICKS_HOST"],
    ["only a client id", { DATABRICKS_CLIENT_SECRET: undefined }, "and either DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET"],
    ["oauth-m2m asked without the secret", { DATABRICKS_AUTH_TYPE: "oauth-m2m", DATABRICKS_CLIENT_SECRET: undefined, DATABRICKS_TOKEN: PAT }, "DATABRICKS_AUTH_TYPE=oauth-m2m needs DATABRICKS_CLIENT_SECRET"],
    ["the account console as host", { DATABRICKS_HOST: "https://accounts.cloud.databricks.com" }, "DATABRICKS_HOST is the account console (accounts.cloud.databricks.com)"],
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

  test("--help describes the command, its variables and exit codes, with the defaults the code uses", async () => {
    const r = await box.run(["check-connections", "--help"]);
    expect(r.code).toBe(EXIT.OK);
    for (const text of ["GET /api/2.1/unity-catalog/connections/<name>", "SHOW SCHEMAS", "DATABRICKS_HOST", "DATABRICKS_TOKEN", "DATABRICKS_CLIENT_SECRET", "Exit codes:", "  7  no Databricks credentials", " 13  a check failed"]) {
      expect(r.stdout).toContain(text);
    }
    expect(r.stdout.replace(/\s+/g, " ")).toContain(`canceled (default ${CHECK_TIMEOUT_SECONDS.default})`);
    expect(r.stdout.replace(/\s+/g, " ")).toContain(`running query (default ${POLL_INTERVAL_MS.default})`);
    expect((await box.run(["--help"])).stdout).toContain("check-connections");
  });
});

describe("check-connections helpers", () => {
  test("catalog names are quoted as identifiers, backticks doubled, never interpolated bare", () => {
    expect(quoteIdentifier("mysql_analytics")).toBe("`mysql_analytics`");
    expect(quoteIdentifier("we`ird; DROP CATALOG x")).toBe("`we``ird; DROP CATALOG x`");
    expect(showSchemasStatement("a`b")).toBe("SHOW SCHEMAS IN `a``b`");
  });

  test("wait_timeout is 0s or 5-50 s, leaving a second of the deadline for the answer", () => {
    expect([500, 5999, 6000, 30_000, 51_000, 120_000].map(statementWaitTimeout)).toEqual(["0s", "0s", "5s", "29s", "50s", "50s"]);
  });

  test("DATABRICKS_HOST: https added when missing; plain http only to this machine; no path", () => {
    expect(workspaceOrigin("dbc-1234abcd-5678.cloud.databricks.com")).toBe("https://dbc-1234abcd-5678.cloud.databricks.com");
    expect(workspaceOrigin("https://dbc-1234abcd-5678.cloud.databricks.com/")).toBe("https://dbc-1234abcd-5678.cloud.databricks.com");
    expect(workspaceOrigin("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(() => workspaceOrigin("http://dbc-1234abcd-5678.cloud.databricks.com")).toThrow("DATABRICKS_HOST must be an https:// URL (plain http:// only for localhost)");
    expect(() => workspaceOrigin("https://dbc-1.cloud.databricks.com/?o=1")).toThrow("the workspace URL alone");
  });

  test("the README documents the command with its variables", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Operations CLI"));
    expect(section).toMatch(/\| `check-connections <env>` \|/);
    expect(section).toContain("DATABRICKS_HOST");
  });
});
