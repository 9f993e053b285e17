/**
 * Reusing UnityCatalogConnection in someone else's cdktf stack.
 *
 * A standalone stack with its own workspace-level Databricks provider (host from a variable; no
 * `account_id`, which belongs to account-level providers only). Credentials reach Terraform at
 * deploy time, never at synth time:
 *
 *   export DATABRICKS_TOKEN=...             # provider auth (or DATABRICKS_CLIENT_ID/SECRET)
 *   export TF_VAR_workspace_host=https://dbc-1234abcd-5678.cloud.databricks.com
 *   export TF_VAR_warehouse_db_password=...
 *   npx cdktf deploy --app "npx tsx examples/reuse-connection/main.ts"
 *
 * Outside this repository, import from the package name instead of the relative entry point.
 */
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { UnityCatalogConnection } from "../../index";

export class ReuseConnectionStack extends TerraformStack {
  public readonly warehouseDb: UnityCatalogConnection;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const workspaceHost = new TerraformVariable(this, "workspace_host", {
      type: "string",
      description: "Workspace URL, e.g. https://dbc-1234abcd-5678.cloud.databricks.com",
    });
    new DatabricksProvider(this, "databricks", { host: workspaceHost.stringValue });

    const password = new TerraformVariable(this, "warehouse_db_password", {
      type: "string",
      sensitive: true,
      description: "Password of the federation user on the PostgreSQL warehouse database (TF_VAR_warehouse_db_password)",
    });

    this.warehouseDb = new UnityCatalogConnection(this, "warehouse-db", {
      name: "warehouse_pg",
      connectionType: "POSTGRESQL",
      comment: "Read-only federation to the reporting warehouse",
      options: { host: "warehouse.example.internal", user: "uc_federation", password: password.stringValue },
      foreignCatalog: {
        name: "warehouse",
        database: "reporting",
        grants: [{ principal: "analysts", privileges: ["USE_CATALOG", "USE_SCHEMA", "SELECT"] }],
      },
      grants: [{ principal: "data-engineers", privileges: ["USE_CONNECTION"] }],
    });
  }
}

if (require.main === module) {
  const app = new App();
  new ReuseConnectionStack(app, "reuse-connection");
  app.synth();
}
