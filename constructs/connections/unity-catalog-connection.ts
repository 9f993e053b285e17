import { Construct } from "constructs";
import { Connection } from "@cdktf/provider-databricks/lib/connection";
import { Catalog } from "@cdktf/provider-databricks/lib/catalog";
import { Grants } from "@cdktf/provider-databricks/lib/grants";
import { ApiConnectionType, ConnectionTypeSpec } from "./connection-types";
import { toConnectionOptions, toForeignCatalogOptions } from "./options";
import { CatalogGrant, ConnectionGrant, ForeignCatalogBaseProps, UnityCatalogConnectionProps } from "./types";
import { validateConnectionProps } from "./validation";

/**
 * A Unity Catalog connection to an external database (Lakehouse Federation), with an optional
 * foreign catalog and optional grants on both:
 *
 * - `databricks_connection` with the source's exact `connection_type` and `options` keys, every
 *   value a string (provider `docs/resources/connection.md`);
 * - `databricks_catalog` with `connection_name` and the source's catalog option
 *   (provider `docs/resources/catalog.md`);
 * - `databricks_grants` with `foreign_connection`, and with `catalog` (provider `docs/resources/grants.md`).
 *
 * Props are validated in the constructor (throws {@link ConnectionConfigError}); secrets must be
 * references to inputs that hold no value at synth (a `TerraformVariable` without a default, a data
 * source or remote-state attribute). Needs a workspace-level Databricks provider. Standalone: it imports nothing from
 * this project's stacks or config, so any cdktf stack can use it.
 *
 * @example
 * const password = new TerraformVariable(this, "pg_password", { type: "string", sensitive: true });
 * new UnityCatalogConnection(this, "orders-db", {
 *   name: "orders_pg",
 *   connectionType: "POSTGRESQL",
 *   options: { host: "orders.example.internal", user: "federation", password: password.stringValue },
 *   foreignCatalog: { name: "orders", database: "orders", grants: [{ principal: "analysts", privileges: ["USE_CATALOG", "USE_SCHEMA", "SELECT"] }] },
 *   grants: [{ principal: "data-engineers", privileges: ["USE_CONNECTION"] }],
 * });
 */
export class UnityCatalogConnection extends Construct {
  /** The API `connection_type` emitted (`"synapse"` becomes `SQLDW`). */
  public readonly connectionType: ApiConnectionType;
  /** The `databricks_connection` resource. */
  public readonly connection: Connection;
  /** The `databricks_catalog` foreign catalog, when `foreignCatalog` was given. */
  public readonly foreignCatalog?: Catalog;
  /** The `databricks_grants` on the connection, when `grants` was given. */
  public readonly connectionGrants?: Grants;
  /** The `databricks_grants` on the foreign catalog, when `foreignCatalog.grants` was given. */
  public readonly catalogGrants?: Grants;

  constructor(scope: Construct, id: string, props: UnityCatalogConnectionProps) {
    super(scope, id);
    const spec: ConnectionTypeSpec = validateConnectionProps(props, this);
    this.connectionType = spec.connectionType;
    const provider = props.provider;
    const dependsOn = props.dependsOn ? [...props.dependsOn] : undefined;

    this.connection = new Connection(this, "connection", {
      provider,
      dependsOn,
      name: props.name,
      connectionType: spec.connectionType,
      options: toConnectionOptions(spec, props.options as unknown as Record<string, unknown>),
      comment: props.comment,
      owner: props.owner,
      properties: props.properties ? { ...props.properties } : undefined,
      readOnly: props.readOnly,
    });

    if (props.grants) {
      this.connectionGrants = new Grants(this, "connection-grants", {
        provider,
        dependsOn,
        foreignConnection: this.connection.name,
        grant: toGrantBlocks(props.grants),
      });
    }

    const fc = props.foreignCatalog as ForeignCatalogBaseProps | undefined;
    if (fc) {
      this.foreignCatalog = new Catalog(this, "foreign-catalog", {
        provider,
        dependsOn,
        name: fc.name,
        connectionName: this.connection.name,
        options: toForeignCatalogOptions(spec, fc as unknown as Record<string, unknown>),
        comment: fc.comment,
        owner: fc.owner,
        properties: fc.properties ? { ...fc.properties } : undefined,
        isolationMode: fc.isolationMode,
        forceDestroy: fc.forceDestroy,
      });
      if (fc.grants) {
        this.catalogGrants = new Grants(this, "catalog-grants", {
          provider,
          dependsOn,
          catalog: this.foreignCatalog.name,
          grant: toGrantBlocks(fc.grants),
        });
      }
    }
  }
}

function toGrantBlocks(grants: readonly (ConnectionGrant | CatalogGrant)[]): { principal: string; privileges: string[] }[] {
  return grants.map((g) => ({ principal: g.principal, privileges: [...g.privileges] }));
}
