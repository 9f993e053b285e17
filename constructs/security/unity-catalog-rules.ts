/**
 * Rules a real Unity Catalog deploy enforces (issue: a green synth whose deploy fails). Each reads the
 * construct tree of the whole app, because the facts span stacks (groups and grants, workspaces and
 * metastore checks).
 *
 * | id | rule | source |
 * | --- | --- | --- |
 * | DBX020 | Unity Catalog owners and grantees are account-level identities, never workspace-local groups | Databricks "Manage workspace-local groups (legacy)"; provider `docs/resources/grants.md` |
 * | DBX021 | a provider's arguments never reference a resource managed in the same stack | Terraform "Provider Configuration"; DESIGN.md "Terraform rules" |
 * | DBX022 | every workspace is attached to a metastore on purpose: an explicit assignment or a checked automatic one | provider `docs/resources/metastore_assignment.md`; Databricks "automatic enablement of Unity Catalog" |
 */
import { DefaultTokenResolver, StringConcat, TerraformDataSource, TerraformProvider, TerraformResource, TerraformStack, Token, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";
import { Catalog } from "@cdktf/provider-databricks/lib/catalog";
import { Connection } from "@cdktf/provider-databricks/lib/connection";
import { DataDatabricksCurrentMetastore } from "@cdktf/provider-databricks/lib/data-databricks-current-metastore";
import { ExternalLocation } from "@cdktf/provider-databricks/lib/external-location";
import { Grant } from "@cdktf/provider-databricks/lib/grant";
import { Grants } from "@cdktf/provider-databricks/lib/grants";
import { Group } from "@cdktf/provider-databricks/lib/group";
import { Metastore } from "@cdktf/provider-databricks/lib/metastore";
import { MetastoreAssignment } from "@cdktf/provider-databricks/lib/metastore-assignment";
import { MwsWorkspaces } from "@cdktf/provider-databricks/lib/mws-workspaces";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { StorageCredential } from "@cdktf/provider-databricks/lib/storage-credential";
import type { SecurityRule } from "./rules";

/** `value` with its tokens resolved as `stack` renders them (public Tokenization API: no private cdktf module). */
function resolve(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false });
}

/** True for a Databricks provider configured for the account console (it sets `account_id`). */
function isAccountProvider(provider: TerraformProvider | undefined): boolean {
  return provider instanceof DatabricksProvider && provider.accountId !== undefined;
}

/** The provider a resource uses: its own, or the stack's default provider of that type. */
function providerOf(resource: TerraformResource | TerraformDataSource): TerraformProvider | undefined {
  if (resource.provider) return resource.provider;
  const stack = TerraformStack.of(resource);
  return stack.node.findAll().find((c): c is DatabricksProvider => c instanceof DatabricksProvider && c.alias === undefined);
}

/** Workspace-local groups of the app: display name (literal) → the group, and their references. */
function workspaceLocalGroups(root: IConstruct): { names: Map<string, Group>; groups: Group[] } {
  const groups = root.node.findAll().filter((c): c is Group => c instanceof Group && !isAccountProvider(providerOf(c)));
  const names = new Map<string, Group>();
  for (const g of groups) if (g.displayNameInput && !Token.isUnresolved(g.displayNameInput)) names.set(g.displayNameInput, g);
  return { names, groups };
}

/** `owner` and grant principals of a Unity Catalog securable: [field, value]. */
function principalsOf(node: IConstruct): [string, string][] {
  const out: [string, string][] = [];
  const owner = (node as { ownerInput?: string }).ownerInput;
  if ((node instanceof Connection || node instanceof Catalog || node instanceof ExternalLocation || node instanceof StorageCredential || node instanceof Metastore) && owner !== undefined) {
    out.push(["owner", owner]);
  }
  if (node instanceof Grants) {
    const blocks = (node.grantInput ?? []) as { principal: string }[];
    if (Array.isArray(blocks)) blocks.forEach((b, i) => out.push([`grant[${i}].principal`, b.principal]));
  }
  if (node instanceof Grant && node.principalInput !== undefined) out.push(["principal", node.principalInput]);
  return out;
}

export const DBX020: SecurityRule = {
  id: "DBX020",
  level: "error",
  description: "Unity Catalog owners and grant principals are account-level identities",
  reason: "workspace-local groups cannot own or be granted Unity Catalog securables: the owner update or the grant fails at apply",
  source: "Databricks \"Manage workspace-local groups (legacy)\"; provider docs/resources/grants.md",
  check: (node) => {
    const found = principalsOf(node);
    if (found.length === 0) return [];
    const local = workspaceLocalGroups(node.node.root);
    const stack = TerraformStack.of(node);
    return found.flatMap(([field, value]) => {
      if (!Token.isUnresolved(value)) {
        return local.names.has(value) ? [`${field} "${value}" is a workspace-local group (${local.names.get(value)!.node.path}); use an account group assigned to the workspace`] : [];
      }
      const text = JSON.stringify(resolve(stack, value));
      const group = local.groups.find((g) => TerraformStack.of(g) === stack && text.includes(`databricks_group.${stack.getLogicalId(g)}.`));
      return group ? [`${field} references the workspace-local group ${group.node.path}; use an account group assigned to the workspace`] : [];
    });
  },
};

/** `${type.name` references to managed resources (not `data.`, `var.`, `local.`) in resolved configuration. */
const MANAGED_REFERENCE = /\$\{(?!data\.|var\.|local\.|each\.|count\.|path\.|terraform\.)([a-z][a-z0-9_]*)\.([^.}\s]+)/g;

export const DBX021: SecurityRule = {
  id: "DBX021",
  level: "error",
  description: "a provider's arguments reference only values known at plan time: variables, data sources, remote state, literals",
  reason: "a resource of the same stack is unknown after a replacement (a rotated secret, a new workspace), so the provider cannot be configured even to refresh",
  source: "Terraform \"Provider Configuration\" (values known before apply); DESIGN.md \"Terraform rules\"",
  check: (node) => {
    if (!(node instanceof TerraformProvider)) return [];
    const stack = TerraformStack.of(node);
    const config = JSON.stringify(resolve(stack, (node as unknown as { synthesizeAttributes(): unknown }).synthesizeAttributes()));
    const managed = new Set<string>();
    for (const m of config.matchAll(MANAGED_REFERENCE)) managed.add(`${m[1]}.${m[2]}`);
    return [...managed].sort().map((address) => `provider "${node.terraformResourceType}${node.alias ? `.${node.alias}` : ""}" is configured from ${address}, a resource managed in the same stack`);
  },
};

export const DBX022: SecurityRule = {
  id: "DBX022",
  level: "error",
  description: "every workspace is attached to a Unity Catalog metastore on purpose",
  reason: "without a metastore no connection, catalog, location or grant can be created; automatic enablement is rolled out gradually, so relying on it must be checked",
  source: "provider docs/resources/metastore_assignment.md; Databricks \"Automatic enablement of Unity Catalog\"",
  check: (node) => {
    if (!(node instanceof MwsWorkspaces)) return [];
    const stack = TerraformStack.of(node);
    const workspaceRef = `databricks_mws_workspaces.${stack.getLogicalId(node)}.workspace_id`;
    const all = node.node.root.node.findAll();
    const assigned = all.some(
      (c) => c instanceof MetastoreAssignment && TerraformStack.of(c) === stack && JSON.stringify(resolve(stack, c.workspaceIdInput)).includes(workspaceRef),
    );
    const checked = all.some((c) => c instanceof DataDatabricksCurrentMetastore && (c.lifecycle?.postcondition ?? []).length > 0);
    return assigned || checked
      ? []
      : ["databricks_mws_workspaces has no databricks_metastore_assignment and no databricks_current_metastore check with a postcondition"];
  },
};

export const UNITY_CATALOG_RULES: readonly SecurityRule[] = [DBX020, DBX021, DBX022];
