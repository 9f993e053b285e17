import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  ConnectionConfigError,
  SUPPORTED_CONNECTION_TYPES,
  UnityCatalogConnection,
  UnityCatalogConnectionProps,
} from "../index";
import { RESERVED_MAP_KEY_MESSAGE } from "../constructs/security/map-keys";
import { tempDir } from "./run-dir";
import { synthScope, testApp } from "./helpers";

// ------------------------------------------------------------------------------------------------
// helpers
// ------------------------------------------------------------------------------------------------

type Json = Record<string, any>;

function sensitive(scope: Construct, name: string): string {
  return new TerraformVariable(scope, name, { type: "string", sensitive: true }).stringValue;
}

/** Synthesizes one construct built by `props(scope)` and returns the parsed JSON. */
function synth(props: (scope: Construct) => UnityCatalogConnectionProps): Json {
  return JSON.parse(synthScope((scope) => new UnityCatalogConnection(scope, "conn", props(scope))));
}

/** The single resource of `type` in `json`. */
function only(json: Json, type: string): Json {
  const resources = json.resource?.[type] ?? {};
  const keys = Object.keys(resources);
  expect(keys).toHaveLength(1);
  return resources[keys[0]];
}

function resources(json: Json, type: string): Json[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** Builds the construct with untyped props (as config-driven use would) and returns the error thrown. */
function errorOf(props: (scope: Construct) => unknown): ConnectionConfigError {
  let caught: unknown;
  try {
    synthScope((scope) => new UnityCatalogConnection(scope, "conn", props(scope) as UnityCatalogConnectionProps));
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ConnectionConfigError);
  return caught as ConnectionConfigError;
}

const mysql = (scope: Construct, over: Json = {}, options: Json = {}): Json => ({
  name: "mysql_conn",
  connectionType: "MYSQL",
  options: { host: "db.example.com", user: "fed", password: sensitive(scope, "pw"), ...options },
  ...over,
});

// ------------------------------------------------------------------------------------------------
// per source: connection_type, option keys, string values
// ------------------------------------------------------------------------------------------------

describe("connection per source", () => {
  const cases: [string, (s: Construct) => UnityCatalogConnectionProps, string, Json][] = [
    [
      "MySQL with default port",
      (s) => ({ name: "my", connectionType: "MYSQL", options: { host: "my.example.com", user: "u", password: sensitive(s, "pw") } }),
      "MYSQL",
      { host: "my.example.com", port: "3306", user: "u", password: "${var.pw}" },
    ],
    [
      "PostgreSQL with explicit port",
      (s) => ({ name: "pg", connectionType: "POSTGRESQL", options: { host: "pg.example.com", port: 6543, user: "u", password: sensitive(s, "pw") } }),
      "POSTGRESQL",
      { host: "pg.example.com", port: "6543", user: "u", password: "${var.pw}" },
    ],
    [
      "PostgreSQL with default port",
      (s) => ({ name: "pg", connectionType: "POSTGRESQL", options: { host: "10.0.1.25", user: "u", password: sensitive(s, "pw") } }),
      "POSTGRESQL",
      { host: "10.0.1.25", port: "5432", user: "u", password: "${var.pw}" },
    ],
    [
      "Redshift",
      (s) => ({ name: "rs", connectionType: "REDSHIFT", options: { host: "rs.abc.eu-west-1.redshift.amazonaws.com", user: "u", password: sensitive(s, "pw") } }),
      "REDSHIFT",
      { host: "rs.abc.eu-west-1.redshift.amazonaws.com", port: "5439", user: "u", password: "${var.pw}" },
    ],
    [
      "Oracle",
      (s) => ({ name: "ora", connectionType: "ORACLE", options: { host: "ora.example.com", user: "u", password: sensitive(s, "pw") } }),
      "ORACLE",
      { host: "ora.example.com", port: "1521", user: "u", password: "${var.pw}" },
    ],
    [
      "SQL Server with trustServerCertificate",
      (s) => ({
        name: "mssql",
        connectionType: "SQLSERVER",
        options: { host: "sql.example.com", user: "u", password: sensitive(s, "pw"), trustServerCertificate: true },
      }),
      "SQLSERVER",
      { host: "sql.example.com", port: "1433", user: "u", password: "${var.pw}", trustServerCertificate: "true" },
    ],
    [
      "Synapse as SQLDW",
      (s) => ({ name: "syn", connectionType: "SQLDW", options: { host: "ws.sql.azuresynapse.net", user: "u", password: sensitive(s, "pw") } }),
      "SQLDW",
      { host: "ws.sql.azuresynapse.net", port: "1433", user: "u", password: "${var.pw}" },
    ],
    [
      "Synapse via the 'synapse' alias, trustServerCertificate false",
      (s) => ({
        name: "syn",
        connectionType: "synapse",
        options: { host: "ws.sql.azuresynapse.net", user: "u", password: sensitive(s, "pw"), trustServerCertificate: false },
      }),
      "SQLDW",
      { host: "ws.sql.azuresynapse.net", port: "1433", user: "u", password: "${var.pw}", trustServerCertificate: "false" },
    ],
    [
      "Snowflake with password",
      (s) => ({
        name: "sf",
        connectionType: "SNOWFLAKE",
        options: { host: "xy12345.eu-west-1.snowflakecomputing.com", warehouse: "COMPUTE_WH", user: "u", password: sensitive(s, "pw") },
      }),
      "SNOWFLAKE",
      { host: "xy12345.eu-west-1.snowflakecomputing.com", port: "443", sfWarehouse: "COMPUTE_WH", user: "u", password: "${var.pw}" },
    ],
    [
      "Snowflake with private key",
      (s) => ({
        name: "sf",
        connectionType: "SNOWFLAKE",
        options: { host: "xy12345.snowflakecomputing.com", warehouse: "WH", user: "svc", privateKey: sensitive(s, "sf_key") },
      }),
      "SNOWFLAKE",
      { host: "xy12345.snowflakecomputing.com", port: "443", sfWarehouse: "WH", user: "svc", pem_private_key: "${var.sf_key}" },
    ],
    [
      "BigQuery",
      (s) => ({ name: "bq", connectionType: "BIGQUERY", options: { serviceAccountKeyJson: sensitive(s, "bq_key") } }),
      "BIGQUERY",
      { GoogleServiceAccountKeyJson: "${var.bq_key}" },
    ],
    [
      "Databricks",
      (s) => ({
        name: "dbx",
        connectionType: "DATABRICKS",
        options: { host: "dbc-1234abcd-5678.cloud.databricks.com", httpPath: "/sql/1.0/warehouses/abc123", personalAccessToken: sensitive(s, "pat") },
      }),
      "DATABRICKS",
      { host: "dbc-1234abcd-5678.cloud.databricks.com", httpPath: "/sql/1.0/warehouses/abc123", personalAccessToken: "${var.pat}" },
    ],
  ];

  it.each(cases)("%s", (_label, props, connectionType, options) => {
    const json = synth(props);
    const conn = only(json, "databricks_connection");
    expect(conn.connection_type).toBe(connectionType);
    expect(conn.options).toEqual(options);
    for (const v of Object.values(conn.options)) expect(typeof v).toBe("string");
    expect(json.resource.databricks_catalog).toBeUndefined();
    expect(json.resource.databricks_grants).toBeUndefined();
  });

  it("emits common props: name, comment, owner, properties, read_only", () => {
    const conn = only(
      synth((s) => ({
        ...(mysql(s) as UnityCatalogConnectionProps),
        comment: "orders db",
        owner: "platform-admins",
        properties: { purpose: "reporting" },
        readOnly: true,
      })),
      "databricks_connection",
    );
    expect(conn).toMatchObject({
      name: "mysql_conn",
      comment: "orders db",
      owner: "platform-admins",
      properties: { purpose: "reporting" },
      read_only: true,
    });
  });

  it("omits optional common props that were not given", () => {
    const conn = only(synth((s) => mysql(s) as UnityCatalogConnectionProps), "databricks_connection");
    expect(Object.keys(conn).sort()).toEqual(["connection_type", "name", "options"]);
  });

  it("accepts tokens for host and port (e.g. an RDS endpoint)", () => {
    const conn = only(
      synth((s) => {
        const host = new TerraformVariable(s, "db_host", { type: "string" });
        const port = new TerraformVariable(s, "db_port", { type: "number" });
        return { name: "pg", connectionType: "POSTGRESQL", options: { host: host.stringValue, port: port.numberValue, user: "u", password: sensitive(s, "pw") } };
      }),
      "databricks_connection",
    );
    expect(conn.options.host).toBe("${var.db_host}");
    expect(conn.options.port).toBe("${var.db_port}");
  });

  it("exposes the resources and the emitted connection type", () => {
    const stack = new TerraformStack(testApp(), "s");
    const c = new UnityCatalogConnection(stack, "c", {
      name: "syn",
      connectionType: "synapse",
      options: { host: "h.example.com", user: "u", password: sensitive(stack, "pw") },
      foreignCatalog: { name: "syn_cat", database: "dw", grants: [{ principal: "a", privileges: ["SELECT"] }] },
      grants: [{ principal: "b", privileges: ["USE_CONNECTION"] }],
    });
    expect(c.connectionType).toBe("SQLDW");
    expect(c.connection.connectionTypeInput).toBe("SQLDW");
    expect(c.foreignCatalog?.nameInput).toBe("syn_cat");
    expect(c.connectionGrants?.foreignConnectionInput).toBeDefined();
    expect(c.catalogGrants?.catalogInput).toBeDefined();
  });
});

// ------------------------------------------------------------------------------------------------
// foreign catalog
// ------------------------------------------------------------------------------------------------

describe("foreign catalog", () => {
  it("PostgreSQL: connection_name and options.database", () => {
    const json = synth((s) => ({
      name: "pg",
      connectionType: "POSTGRESQL",
      options: { host: "pg.example.com", user: "u", password: sensitive(s, "pw") },
      foreignCatalog: { name: "orders", database: "orders_db", comment: "mirrors orders", owner: "analysts-admins", isolationMode: "ISOLATED", forceDestroy: true },
    }));
    const connKey = Object.keys(json.resource.databricks_connection)[0];
    const cat = only(json, "databricks_catalog");
    expect(cat).toEqual({
      name: "orders",
      connection_name: `\${databricks_connection.${connKey}.name}`,
      options: { database: "orders_db" },
      comment: "mirrors orders",
      owner: "analysts-admins",
      isolation_mode: "ISOLATED",
      force_destroy: true,
    });
  });

  const keyCases: [string, (s: Construct) => UnityCatalogConnectionProps, Json | undefined][] = [
    [
      "Snowflake -> database",
      (s) => ({
        name: "sf",
        connectionType: "SNOWFLAKE",
        options: { host: "a.snowflakecomputing.com", warehouse: "WH", user: "u", password: sensitive(s, "pw") },
        foreignCatalog: { name: "sf_cat", database: "SALES" },
      }),
      { database: "SALES" },
    ],
    [
      "Redshift -> database",
      (s) => ({ name: "rs", connectionType: "REDSHIFT", options: { host: "rs.example.com", user: "u", password: sensitive(s, "pw") }, foreignCatalog: { name: "rs_cat", database: "dev" } }),
      { database: "dev" },
    ],
    [
      "SQL Server -> database",
      (s) => ({ name: "ms", connectionType: "SQLSERVER", options: { host: "ms.example.com", user: "u", password: sensitive(s, "pw") }, foreignCatalog: { name: "ms_cat", database: "erp" } }),
      { database: "erp" },
    ],
    [
      "Synapse -> database",
      (s) => ({ name: "syn", connectionType: "synapse", options: { host: "syn.example.com", user: "u", password: sensitive(s, "pw") }, foreignCatalog: { name: "syn_cat", database: "dw" } }),
      { database: "dw" },
    ],
    [
      "Oracle -> service_name",
      (s) => ({ name: "ora", connectionType: "ORACLE", options: { host: "ora.example.com", user: "u", password: sensitive(s, "pw") }, foreignCatalog: { name: "ora_cat", serviceName: "ORCLPDB1" } }),
      { service_name: "ORCLPDB1" },
    ],
    [
      "BigQuery -> dataProjectId",
      (s) => ({ name: "bq", connectionType: "BIGQUERY", options: { serviceAccountKeyJson: sensitive(s, "k") }, foreignCatalog: { name: "bq_cat", dataProjectId: "my-gcp-project" } }),
      { dataProjectId: "my-gcp-project" },
    ],
    [
      "BigQuery without dataProjectId -> no options",
      (s) => ({ name: "bq", connectionType: "BIGQUERY", options: { serviceAccountKeyJson: sensitive(s, "k") }, foreignCatalog: { name: "bq_cat" } }),
      undefined,
    ],
    [
      "Databricks -> catalog",
      (s) => ({
        name: "dbx",
        connectionType: "DATABRICKS",
        options: { host: "dbc-1.cloud.databricks.com", httpPath: "/sql/1.0/warehouses/x", personalAccessToken: sensitive(s, "pat") },
        foreignCatalog: { name: "remote_main", catalog: "main" },
      }),
      { catalog: "main" },
    ],
    [
      "MySQL -> no options",
      (s) => ({ name: "my", connectionType: "MYSQL", options: { host: "my.example.com", user: "u", password: sensitive(s, "pw") }, foreignCatalog: { name: "my_cat" } }),
      undefined,
    ],
  ];

  it.each(keyCases)("%s", (_label, props, options) => {
    const cat = only(synth(props), "databricks_catalog");
    expect(cat.options).toEqual(options);
    expect(cat.connection_name).toMatch(/^\$\{databricks_connection\..+\.name\}$/);
  });
});

// ------------------------------------------------------------------------------------------------
// grants
// ------------------------------------------------------------------------------------------------

describe("grants", () => {
  it("connection grants use foreign_connection; catalog grants use catalog", () => {
    const json = synth((s) => ({
      name: "pg",
      connectionType: "POSTGRESQL",
      options: { host: "pg.example.com", user: "u", password: sensitive(s, "pw") },
      grants: [
        { principal: "data-engineers", privileges: ["USE_CONNECTION", "CREATE_FOREIGN_CATALOG"] },
        { principal: "platform-admins", privileges: ["MANAGE"] },
      ],
      foreignCatalog: {
        name: "orders",
        database: "orders",
        grants: [{ principal: "analysts", privileges: ["USE_CATALOG", "USE_SCHEMA", "SELECT", "BROWSE"] }],
      },
    }));
    const connKey = Object.keys(json.resource.databricks_connection)[0];
    const catKey = Object.keys(json.resource.databricks_catalog)[0];
    const grants = resources(json, "databricks_grants");
    expect(grants).toHaveLength(2);
    const onConnection = grants.find((g) => g.foreign_connection);
    const onCatalog = grants.find((g) => g.catalog);
    expect(onConnection).toEqual({
      foreign_connection: `\${databricks_connection.${connKey}.name}`,
      grant: [
        { principal: "data-engineers", privileges: ["USE_CONNECTION", "CREATE_FOREIGN_CATALOG"] },
        { principal: "platform-admins", privileges: ["MANAGE"] },
      ],
    });
    expect(onCatalog).toEqual({
      catalog: `\${databricks_catalog.${catKey}.name}`,
      grant: [{ principal: "analysts", privileges: ["USE_CATALOG", "USE_SCHEMA", "SELECT", "BROWSE"] }],
    });
  });

  it("no grants resource without grants", () => {
    const json = synth((s) => mysql(s, { foreignCatalog: { name: "c" } }) as UnityCatalogConnectionProps);
    expect(json.resource.databricks_grants).toBeUndefined();
  });
});

// ------------------------------------------------------------------------------------------------
// validation
// ------------------------------------------------------------------------------------------------

describe("validation", () => {
  it("unknown connection type names the field and the value", () => {
    const e = errorOf((s) => mysql(s, { connectionType: "MONGODB" }));
    expect(e.field).toBe("connectionType");
    expect(e.message).toMatch(/connectionType: expected a supported connection type: .*, found "MONGODB"/);
    expect(e.message).toContain("SQLDW");
    expect(e.message).toContain("conn"); // the construct path
  });

  it("'SYNAPSE' is not an API type; the error points at SQLDW", () => {
    const e = errorOf((s) => mysql(s, { connectionType: "SYNAPSE" }));
    expect(e.message).toMatch(/Azure Synapse is "SQLDW" in the API.*found "SYNAPSE"/);
  });

  it.each([
    ["host", "options.host"],
    ["user", "options.user"],
    ["password", "options.password"],
  ])("missing required option %s", (missing, field) => {
    const e = errorOf((s) => {
      const p = mysql(s);
      delete p.options[missing];
      return p;
    });
    expect(e.field).toBe(field);
    expect(e.message).toContain(`${field}: expected ${missing} (required for MYSQL`);
    expect(e.message).toContain("found nothing");
  });

  it("missing required options of other types: warehouse, httpPath, serviceAccountKeyJson", () => {
    expect(
      errorOf((s) => ({ name: "sf", connectionType: "SNOWFLAKE", options: { host: "a.snowflakecomputing.com", user: "u", password: sensitive(s, "pw") } })).message,
    ).toContain("options.warehouse: expected warehouse (required for SNOWFLAKE), found nothing");
    expect(
      errorOf((s) => ({ name: "d", connectionType: "DATABRICKS", options: { host: "d.cloud.databricks.com", personalAccessToken: sensitive(s, "pat") } })).message,
    ).toContain("options.httpPath: expected httpPath (required for DATABRICKS), found nothing");
    expect(errorOf(() => ({ name: "b", connectionType: "BIGQUERY", options: {} })).message).toContain(
      "options.serviceAccountKeyJson: expected serviceAccountKeyJson (required for BIGQUERY; a secret",
    );
  });

  it("missing options object", () => {
    const e = errorOf(() => ({ name: "x", connectionType: "MYSQL" }));
    expect(e.field).toBe("options");
  });

  it("option not valid for the type", () => {
    const e = errorOf((s) => mysql(s, {}, { warehouse: "WH" }));
    expect(e.field).toBe("options.warehouse");
    expect(e.message).toContain('options.warehouse: expected one of the MYSQL options host, port, user, password, found unknown field "warehouse" with a string');
    expect(e.message).not.toContain('"WH"');
  });

  it("trustServerCertificate is not a PostgreSQL option", () => {
    const e = errorOf((s) => mysql(s, { connectionType: "POSTGRESQL" }, { trustServerCertificate: true }));
    expect(e.field).toBe("options.trustServerCertificate");
  });

  it("a provider option key instead of the friendly field gets a hint", () => {
    const e = errorOf((s) => ({
      name: "sf",
      connectionType: "SNOWFLAKE",
      options: { host: "a.snowflakecomputing.com", sfWarehouse: "WH", user: "u", password: sensitive(s, "pw") },
    }));
    expect(e.field).toBe("options.sfWarehouse");
    expect(e.message).toContain('did you mean "warehouse"?');
  });

  it("unknown top-level prop", () => {
    const e = errorOf((s) => mysql(s, { readonly: true }));
    expect(e.field).toBe("readonly");
  });

  it.each([0, 65536, -1, 3306.5, "3306", null])("port %o is rejected", (port) => {
    const e = errorOf((s) => mysql(s, {}, { port }));
    expect(e.field).toBe("options.port");
    expect(e.message).toContain("options.port: expected port (optional for MYSQL): an integer from 1 to 65535, found ");
    if (port !== null) expect(e.message).not.toContain(`found ${JSON.stringify(port)}`);
  });

  it.each([1, 65535])("port %o is accepted", (port) => {
    const conn = only(synth((s) => mysql(s, {}, { port }) as UnityCatalogConnectionProps), "databricks_connection");
    expect(conn.options.port).toBe(String(port));
  });

  it.each([
    ["jdbc:mysql://db.example.com:3306/app", /a host name without a scheme/],
    ["https://db.example.com", /a host name without a scheme/],
    ["db.example.com/app", /a host name without a path/],
    ["db.example.com:3306", /a host name without a port/],
    ["db example.com", /a host name or IPv4 address of letters, digits/],
    ["", /not an empty string/],
  ])("host %o is rejected", (host, reason) => {
    const e = errorOf((s) => mysql(s, {}, { host }));
    expect(e.field).toBe("options.host");
    expect(e.message).toMatch(reason);
    // options are sensitive as a whole in the provider: the value is never shown
    if (host) expect(e.message).not.toContain(host);
  });

  it("Databricks host with https:// is rejected", () => {
    const e = errorOf((s) => ({
      name: "d",
      connectionType: "DATABRICKS",
      options: { host: "https://dbc-1.cloud.databricks.com", httpPath: "/sql/1.0/warehouses/x", personalAccessToken: sensitive(s, "pat") },
    }));
    expect(e.field).toBe("options.host");
  });

  it("httpPath must start with /", () => {
    const e = errorOf((s) => ({
      name: "d",
      connectionType: "DATABRICKS",
      options: { host: "dbc-1.cloud.databricks.com", httpPath: "sql/1.0/warehouses/x", personalAccessToken: sensitive(s, "pat") },
    }));
    expect(e.field).toBe("options.httpPath");
    expect(e.message).toContain('a path starting with "/"');
    expect(e.message).not.toContain("sql/1.0/warehouses/x");
  });

  it("trustServerCertificate must be a boolean", () => {
    const e = errorOf((s) => mysql(s, { connectionType: "SQLSERVER" }, { trustServerCertificate: "true" }));
    expect(e.field).toBe("options.trustServerCertificate");
    expect(e.message).toContain("options.trustServerCertificate: expected true or false, found a string");
  });

  it.each([
    ["orders.db", /without a period, space, forward slash or control character/],
    ["orders db", /without a period, space, forward slash or control character/],
    ["orders/db", /without a period, space, forward slash or control character/],
    ["orders\tdb", /without a period, space, forward slash or control character/],
    ["orders\u007fdb", /without a period, space, forward slash or control character/],
    ["x".repeat(256), /of at most 255 characters \(Unity Catalog names\)/],
    ["", /not an empty string/],
    [42, /: a string, found 42/],
  ])("connection name %o is rejected", (name, reason) => {
    const e = errorOf((s) => mysql(s, { name }));
    expect(e.field).toBe("name");
    expect(e.message).toMatch(reason);
  });

  it("a 255-character name with dashes and underscores is accepted", () => {
    const name = "a-b_" + "c".repeat(251);
    const conn = only(synth((s) => mysql(s, { name }) as UnityCatalogConnectionProps), "databricks_connection");
    expect(conn.name).toBe(name);
  });

  it("foreign catalog name follows the same rule", () => {
    const e = errorOf((s) => mysql(s, { foreignCatalog: { name: "my.catalog" } }));
    expect(e.field).toBe("foreignCatalog.name");
  });

  describe("secrets given as literals", () => {
    const literal = "hunter2-literal";
    it.each<[string, (s: Construct) => unknown, string]>([
      ["password", (s) => mysql(s, {}, { password: literal }), "options.password"],
      [
        "Snowflake privateKey",
        () => ({ name: "sf", connectionType: "SNOWFLAKE", options: { host: "a.snowflakecomputing.com", warehouse: "WH", user: "u", privateKey: literal } }),
        "options.privateKey",
      ],
      ["BigQuery serviceAccountKeyJson", () => ({ name: "bq", connectionType: "BIGQUERY", options: { serviceAccountKeyJson: literal } }), "options.serviceAccountKeyJson"],
      [
        "Databricks personalAccessToken",
        () => ({ name: "d", connectionType: "DATABRICKS", options: { host: "d.cloud.databricks.com", httpPath: "/sql/1.0/warehouses/x", personalAccessToken: literal } }),
        "options.personalAccessToken",
      ],
    ])("%s", (_label, props, field) => {
      const e = errorOf(props);
      expect(e.field).toBe(field);
      expect(e.message).toContain(`${field}: ${field.slice("options.".length)} is a secret: expected a reference to an input that holds no value at synth time`);
      expect(e.message).toContain("found a literal");
      expect(e.message).not.toContain(literal);
    });

    it("a secret that is not a string", () => {
      const e = errorOf((s) => mysql(s, {}, { password: 12345 }));
      expect(e.field).toBe("options.password");
      expect(e.message).not.toContain("12345");
    });
  });

  it("Snowflake needs exactly one of password and privateKey", () => {
    const both = errorOf((s) => ({
      name: "sf",
      connectionType: "SNOWFLAKE",
      options: { host: "a.snowflakecomputing.com", warehouse: "WH", user: "u", password: sensitive(s, "pw"), privateKey: sensitive(s, "k") },
    }));
    expect(both.message).toContain("expected exactly one of password, privateKey for SNOWFLAKE, found password and privateKey");
    const none = errorOf(() => ({ name: "sf", connectionType: "SNOWFLAKE", options: { host: "a.snowflakecomputing.com", warehouse: "WH", user: "u" } }));
    expect(none.message).toContain("found none");
  });

  it("invalid connection privilege", () => {
    const e = errorOf((s) => mysql(s, { grants: [{ principal: "a", privileges: ["USE_CONNECTION", "SELECT"] }] }));
    expect(e.field).toBe("grants[0].privileges[1]");
    expect(e.message).toContain('expected a privilege on a connection: ALL_PRIVILEGES, MANAGE, USE_CONNECTION, CREATE_FOREIGN_CATALOG, found "SELECT"');
  });

  it("invalid catalog privilege", () => {
    const e = errorOf((s) => mysql(s, { foreignCatalog: { name: "c", grants: [{ principal: "a", privileges: ["USE_CONNECTION"] }] } }));
    expect(e.field).toBe("foreignCatalog.grants[0].privileges[0]");
    expect(e.message).toMatch(/expected a privilege on a catalog: .*, found "USE_CONNECTION"/);
  });

  it("empty privilege list and missing principal", () => {
    expect(errorOf((s) => mysql(s, { grants: [{ principal: "a", privileges: [] }] })).field).toBe("grants[0].privileges");
    expect(errorOf((s) => mysql(s, { grants: [{ privileges: ["MANAGE"] }] })).field).toBe("grants[0].principal");
  });

  it("foreign catalog: required remote name per type", () => {
    const pg = errorOf((s) => mysql(s, { connectionType: "POSTGRESQL", foreignCatalog: { name: "c" } }));
    expect(pg.message).toContain('foreignCatalog.database: expected database (the remote entity, emitted as catalog option "database"; required for a POSTGRESQL foreign catalog), found nothing');
    const ora = errorOf((s) => mysql(s, { connectionType: "ORACLE", foreignCatalog: { name: "c", database: "x" } }));
    expect(ora.field).toBe("foreignCatalog.database");
    expect(ora.message).toContain("expected one of the foreign catalog fields for ORACLE: name, comment, owner, properties, isolationMode, forceDestroy, grants, serviceName");
  });

  it("foreign catalog: MySQL takes no database", () => {
    const e = errorOf((s) => mysql(s, { foreignCatalog: { name: "c", database: "app" } }));
    expect(e.field).toBe("foreignCatalog.database");
  });

  it("foreign catalog: isolationMode", () => {
    const e = errorOf((s) => mysql(s, { foreignCatalog: { name: "c", isolationMode: "PRIVATE" } }));
    expect(e.field).toBe("foreignCatalog.isolationMode");
    expect(e.message).toContain('"PRIVATE"');
  });

  it("properties values must be strings", () => {
    const e = errorOf((s) => mysql(s, { properties: { retries: 3 } }));
    expect(e.field).toBe("properties.retries");
  });

  it("properties keys that are JavaScript object internals are refused by name (zod's record alone drops __proto__ and refuses the whole map for constructor)", () => {
    const properties = JSON.parse('{"purpose": "reporting", "__proto__": "x", "constructor": "y", "prototype": "z"}');
    const e = errorOf((s) => mysql(s, { properties }));
    expect(e.problems.map((p) => p.field).sort()).toEqual(["properties.__proto__", "properties.constructor", "properties.prototype"]);
    for (const key of ["__proto__", "constructor", "prototype"]) {
      expect(e.problems.find((p) => p.field === `properties.${key}`)?.message).toBe(`${RESERVED_MAP_KEY_MESSAGE}, found the key "${key}"`);
    }
  });
});

// ------------------------------------------------------------------------------------------------
// no secret at synth time: canary values set in TF_VAR_* must never reach cdk.tf.json
// ------------------------------------------------------------------------------------------------

describe("no secret at synth time", () => {
  const canaries: Record<string, string> = {
    TF_VAR_canary_pg_password: "CANARY-pg-password-7f3a",
    TF_VAR_canary_sf_key: "CANARY-sf-private-key-91b2",
    TF_VAR_canary_bq_key: "CANARY-bq-key-json-44c0",
    TF_VAR_canary_pat: "CANARY-dbx-pat-0d1e",
  };
  const saved: Record<string, string | undefined> = {};
  let outdir: string;

  beforeAll(() => {
    for (const [k, v] of Object.entries(canaries)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    outdir = tempDir("uc-connection-canary-");
  });
  afterAll(() => {
    for (const k of Object.keys(canaries)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  function build(stack: TerraformStack): void {
    const v = (name: string) => new TerraformVariable(stack, name, { type: "string", sensitive: true }).stringValue;
    new UnityCatalogConnection(stack, "pg", {
      name: "pg",
      connectionType: "POSTGRESQL",
      options: { host: "pg.example.com", user: "u", password: v("canary_pg_password") },
    });
    new UnityCatalogConnection(stack, "sf", {
      name: "sf",
      connectionType: "SNOWFLAKE",
      options: { host: "a.snowflakecomputing.com", warehouse: "WH", user: "u", privateKey: v("canary_sf_key") },
    });
    new UnityCatalogConnection(stack, "bq", { name: "bq", connectionType: "BIGQUERY", options: { serviceAccountKeyJson: v("canary_bq_key") } });
    new UnityCatalogConnection(stack, "dbx", {
      name: "dbx",
      connectionType: "DATABRICKS",
      options: { host: "d.cloud.databricks.com", httpPath: "/sql/1.0/warehouses/x", personalAccessToken: v("canary_pat") },
    });
  }

  function assertNoCanary(text: string): void {
    for (const canary of Object.values(canaries)) expect(text).not.toContain(canary);
    expect(text).not.toContain("CANARY-");
  }

  it("Testing.synth: options reference ${var.*}, variables are sensitive without default", () => {
    const stack = new TerraformStack(testApp(), "canary");
    build(stack);
    const text = Testing.synth(stack);
    assertNoCanary(text);
    const json = JSON.parse(text);
    const byName = Object.fromEntries(resources(json, "databricks_connection").map((c) => [c.name, c.options]));
    expect(byName.pg.password).toBe("${var.canary_pg_password}");
    expect(byName.sf.pem_private_key).toBe("${var.canary_sf_key}");
    expect(byName.bq.GoogleServiceAccountKeyJson).toBe("${var.canary_bq_key}");
    expect(byName.dbx.personalAccessToken).toBe("${var.canary_pat}");
    for (const name of ["canary_pg_password", "canary_sf_key", "canary_bq_key", "canary_pat"]) {
      expect(json.variable[name]).toEqual({ type: "string", sensitive: true });
    }
  });

  it("App.synth: no canary anywhere in the written output", () => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "canary");
    const host = new TerraformVariable(stack, "workspace_host", { type: "string" });
    new DatabricksProvider(stack, "databricks", { host: host.stringValue });
    build(stack);
    app.synth();
    const file = path.join(outdir, "stacks", "canary", "cdk.tf.json");
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain("${var.canary_pg_password}");
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
    for (const f of walk(outdir)) assertNoCanary(fs.readFileSync(f, "utf8"));
  });
});

// ------------------------------------------------------------------------------------------------
// SUPPORTED_CONNECTION_TYPES and packaging
// ------------------------------------------------------------------------------------------------

describe("SUPPORTED_CONNECTION_TYPES", () => {
  it("lists default ports, secrets and foreign-catalog keys", () => {
    const t = SUPPORTED_CONNECTION_TYPES;
    expect(Object.fromEntries(Object.entries(t).map(([k, s]) => [k, s.defaultPort]))).toEqual({
      MYSQL: 3306,
      POSTGRESQL: 5432,
      REDSHIFT: 5439,
      ORACLE: 1521,
      SQLSERVER: 1433,
      SQLDW: 1433,
      SNOWFLAKE: 443,
      BIGQUERY: undefined,
      DATABRICKS: undefined,
    });
    expect(Object.fromEntries(Object.entries(t).map(([k, s]) => [k, s.foreignCatalog.optionKey]))).toEqual({
      MYSQL: undefined,
      POSTGRESQL: "database",
      REDSHIFT: "database",
      ORACLE: "service_name",
      SQLSERVER: "database",
      SQLDW: "database",
      SNOWFLAKE: "database",
      BIGQUERY: "dataProjectId",
      DATABRICKS: "catalog",
    });
    expect(t.SNOWFLAKE.secretOptions).toEqual(["password", "privateKey"]);
    expect(t.SNOWFLAKE.requiredOptions).toEqual(["host", "warehouse", "user"]);
    expect(t.SNOWFLAKE.exactlyOneOf).toEqual([["password", "privateKey"]]);
    expect(t.SQLDW.aliases).toEqual(["synapse"]);
    expect(t.BIGQUERY.secretOptions).toEqual(["serviceAccountKeyJson"]);
    expect(t.DATABRICKS.secretOptions).toEqual(["personalAccessToken"]);
  });
});

describe("packaging", () => {
  const dir = path.join(__dirname, "..", "constructs", "connections");
  const sources = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"));

  it("constructs/connections imports nothing from stacks/ or config/, and no provider barrel", () => {
    expect(sources.length).toBeGreaterThan(0);
    for (const f of sources) {
      const text = fs.readFileSync(path.join(dir, f), "utf8");
      const imports = [...text.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
      for (const spec of imports) {
        expect(spec).not.toMatch(/(^|\/)(stacks|config)(\/|$)/);
        expect(spec).not.toMatch(/^@cdktf\/provider-[a-z]+$/);
      }
    }
  });

  it("the package entry point exports the construct", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require("../index");
    expect(entry.UnityCatalogConnection).toBe(UnityCatalogConnection);
    expect(entry.SUPPORTED_CONNECTION_TYPES).toBe(SUPPORTED_CONNECTION_TYPES);
    expect(entry.ConnectionConfigError).toBe(ConnectionConfigError);
  });
});
