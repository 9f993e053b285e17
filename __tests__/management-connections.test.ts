import { connectionCatalogNames, connectionVariableName } from "../config/connections";
import { sqlWarehouseName } from "../config/consumers";
import { SUPPORTED_CONNECTION_TYPES, connectionTypeSpec } from "../constructs/connections";
import { problemsAfter as problemsFor, readVars, resourceList, synthEnvs } from "./helpers";

const stacks = synthEnvs();

describe.each(["dev", "prod"])("management-%s: connections from vars", (env) => {
  const mgmt = stacks[`management-${env}`];
  const vars = readVars(env);

  test("carries the realistic sources: MySQL analytics, Snowflake finance, Synapse customer 360, BigQuery analytics", () => {
    const types = Object.fromEntries(resourceList(mgmt, "databricks_connection").map((c) => [c.name, c.connection_type]));
    expect(types).toMatchObject({ mysql_analytics: "MYSQL", snowflake_finance: "SNOWFLAKE", synapse_customer360: "SQLDW", bigquery_analytics: "BIGQUERY" });
    expect(Object.keys(types).sort()).toEqual(vars.connections.map((c: any) => c.name).sort());
  });

  test("one sensitive variable per secret, with the documented TF_VAR_ name, referenced by the connection", () => {
    const expected: Record<string, string> = {};
    for (const entry of vars.connections) {
      const spec = connectionTypeSpec(entry.connectionType)!;
      const fields = spec.secretOptions.filter((f) => spec.options.find((o) => o.field === f)!.required || f === (entry.auth ?? spec.exactlyOneOf[0]?.[0]));
      for (const f of fields) expected[connectionVariableName(entry.name, f)] = spec.options.find((o) => o.field === f)!.optionKey;
    }
    // Extractor jobs' secret variables (job_*) are asserted in consumers.test.ts.
    const connectionVariables = Object.entries(mgmt.variable ?? {}).filter(([name]) => name.startsWith("connection_"));
    expect(connectionVariables.map(([name]) => name).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, variable] of connectionVariables) {
      expect(variable).toMatchObject({ type: "string", sensitive: true, nullable: false });
      expect(variable.default).toBeUndefined();
      const connectionName = name.replace(/^connection_/, "").replace(/_(password|private_key|service_account_key_json|personal_access_token)$/, "");
      const connection = resourceList(mgmt, "databricks_connection").find((c) => c.name === connectionName)!;
      expect((connection.options as Record<string, string>)[expected[name]]).toBe(`\${var.${name}}`);
    }
  });

  test("no secret option key carries anything but a variable reference", () => {
    const secretKeys = new Set(Object.values(SUPPORTED_CONNECTION_TYPES).flatMap((s) => s.options.filter((o) => o.secret).map((o) => o.optionKey)));
    for (const c of resourceList(mgmt, "databricks_connection")) {
      for (const [k, v] of Object.entries(c.options as Record<string, string>)) if (secretKeys.has(k)) expect(v).toMatch(/^\$\{var\.connection_[a-z0-9_]+\}$/);
    }
  });

  test("foreign catalogs and grants as configured; everything waits for the automation principal's metastore privileges", () => {
    const catalogs = Object.fromEntries(resourceList(mgmt, "databricks_catalog").map((c) => [c.name, c.options]));
    expect(catalogs.snowflake_finance).toEqual({ database: "FINANCE" });
    expect(catalogs.synapse_customer360).toEqual({ database: "customer360" });
    expect(catalogs.bigquery_analytics).toEqual({ dataProjectId: "acme-marketing-analytics" });
    expect(catalogs.mysql_analytics).toBeUndefined();
    const grants = resourceList(mgmt, "databricks_grants");
    expect(grants.length).toBeGreaterThan(0);
    const connectionResources = [...grants, ...resourceList(mgmt, "databricks_connection"), ...resourceList(mgmt, "databricks_catalog")].filter((r) =>
      String((r["//"] as any).metadata.path).includes("/connection-"),
    );
    expect(connectionResources.length).toBeGreaterThan(0);
    for (const r of connectionResources) {
      expect(r.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^databricks_grant\.unity-catalog_automation-metastore-privileges_/)]));
    }
    const onConnection = grants.find((g) => g.foreign_connection)!;
    expect((onConnection.grant as any[])[0].privileges).toEqual(["USE_CONNECTION", "CREATE_FOREIGN_CATALOG"]);
  });

  test("dbx check-connections reads the names the stack creates: connections, their foreign catalogs, the SQL warehouse", () => {
    const connections = mgmt.resource?.databricks_connection ?? {};
    const synthesized = Object.values(connections).map((c) => {
      const catalog = resourceList(mgmt, "databricks_catalog").find((k) => k.connection_name === `\${databricks_connection.${Object.keys(connections).find((id) => connections[id] === c)}.name}`);
      return catalog ? { connection: c.name, foreignCatalog: catalog.name } : { connection: c.name };
    });
    const byName = (a: { connection: unknown }, b: { connection: unknown }) => String(a.connection).localeCompare(String(b.connection));
    expect([...connectionCatalogNames(vars.connections)].sort(byName)).toEqual(synthesized.sort(byName));
    expect(synthesized.some((n) => "foreignCatalog" in n)).toBe(true);
    const warehouses = resourceList(mgmt, "databricks_sql_endpoint").map((w) => w.name);
    expect(warehouses).toEqual(vars.sqlWarehouse ? [sqlWarehouseName(vars.namePrefix, vars.sqlWarehouse)] : []);
  });
});

describe("connection config errors name the entry and field, never an option's value", () => {
  const problemsAfter = (mutate: (c: any[]) => void) => problemsFor("dev", (v) => mutate(v.connections));
  const F = "vars/dev.json";

  test.each([
    ["unknown connection type", (c: any[]) => (c[0].connectionType = "MONGODB"), `${F}: connections.0.connectionType: expected a supported connection type: MYSQL, POSTGRESQL, REDSHIFT, ORACLE, SQLSERVER, SQLDW, SNOWFLAKE, BIGQUERY, DATABRICKS, synapse, found "MONGODB"`],
    ["secret in options", (c: any[]) => (c[3].options = { serviceAccountKeyJson: "{\"type\":\"service_account\"}" }), `${F}: connections.3.options.serviceAccountKeyJson: expected no secret in a vars file: set TF_VAR_connection_bigquery_analytics_service_account_key_json at deploy time instead, found a value (not shown)`],
    ["port out of range", (c: any[]) => (c[0].options.port = 70000), `${F}: connections.0.options.port: expected port (optional for MYSQL): an integer from 1 to 65535, found a number (not shown)`],
    ["host with a scheme", (c: any[]) => (c[0].options.host = "jdbc:mysql://db.acme.internal"), `${F}: connections.0.options.host: expected host (required for MYSQL): a host name without a scheme such as "jdbc:" or "https://", found a string of 29 characters (not shown)`],
    ["option not valid for the type", (c: any[]) => (c[0].options.warehouse = "WH"), `${F}: connections.0.options.warehouse: expected one of the MYSQL options host, port, user, password, found a string of 2 characters (not shown)`],
    ["missing required option", (c: any[]) => delete c[1].options.warehouse, `${F}: connections.1.options.warehouse: expected warehouse (required for SNOWFLAKE), found nothing (field missing)`],
    ["auth not offered by the type", (c: any[]) => (c[0].auth = "privateKey"), `${F}: connections.0.auth: expected no auth: MYSQL has no authentication alternatives, found "privateKey"`],
    ["bad privilege", (c: any[]) => (c[0].grants[0].privileges = ["SELECT"]), `${F}: connections.0.grants.0.privileges.0: expected a privilege on a connection: ALL_PRIVILEGES, MANAGE, USE_CONNECTION, CREATE_FOREIGN_CATALOG, found "SELECT"`],
    ["name unusable as a variable name", (c: any[]) => (c[0].name = "MySQL-Analytics"), `${F}: connections.0.name: expected a connection name of lowercase letters, digits and '_', starting with a letter (it names TF_VAR_ variables), found "MySQL-Analytics"`],
    ["duplicate name", (c: any[]) => (c[1].name = c[0].name), `${F}: connections.1.name: expected a connection name used once, found "mysql_analytics"`],
  ] as [string, (c: any[]) => void, string][])("%s", (_name, mutate, expected) => {
    expect(problemsAfter(mutate)).toEqual([expected]);
  });
});
