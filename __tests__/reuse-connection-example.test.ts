import { Testing } from "cdktf";
import { ReuseConnectionStack } from "../examples/reuse-connection/main";
import { testApp } from "./helpers";

describe("examples/reuse-connection", () => {
  const stack = new ReuseConnectionStack(testApp(), "reuse-connection");
  const json = JSON.parse(Testing.synth(stack));

  it("configures a workspace-level provider: host from a variable, no account_id", () => {
    expect(json.provider.databricks).toEqual([{ host: "${var.workspace_host}" }]);
  });

  it("synthesizes the connection, foreign catalog and grants from the package entry point", () => {
    const connections = Object.values(json.resource.databricks_connection) as Record<string, any>[];
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({
      name: "warehouse_pg",
      connection_type: "POSTGRESQL",
      options: { host: "warehouse.example.internal", port: "5432", user: "uc_federation", password: "${var.warehouse_db_password}" },
    });
    const catalogs = Object.values(json.resource.databricks_catalog) as Record<string, any>[];
    expect(catalogs).toEqual([expect.objectContaining({ name: "warehouse", options: { database: "reporting" } })]);
    expect(Object.keys(json.resource.databricks_grants)).toHaveLength(2);
    expect(json.variable.warehouse_db_password).toMatchObject({ sensitive: true });
    expect(json.variable.warehouse_db_password.default).toBeUndefined();
    expect(stack.warehouseDb.connectionType).toBe("POSTGRESQL");
  });
});
