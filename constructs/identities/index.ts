/**
 * Account-level identities of a workspace: account groups (created, or existing ones looked up by name)
 * assigned to the workspace with `databricks_mws_permission_assignment`.
 *
 * Field facts:
 * - Databricks "Manage workspace-local groups (legacy)": workspace-local groups cannot be granted access to
 *   data in a Unity Catalog metastore; Unity Catalog owners and grantees are account-level identities.
 * - provider `docs/resources/group.md` (with the account-level provider the group is an account group),
 *   `docs/data-sources/group.md` (look-up by `display_name`), `docs/resources/mws_permission_assignment.md`
 *   (`permissions` `USER` or `ADMIN`; needs identity federation, which a Unity Catalog workspace has),
 *   `docs/resources/group_member.md`.
 * - Assigning principals right after workspace creation fails intermittently ("Principal … not in
 *   workspace", provider issues #5367 and #2739); the security reference architecture makes the assignment
 *   wait for the metastore assignment: pass it as `assignAfter`.
 */
import { Construct } from "constructs";
import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { DataDatabricksGroup } from "@cdktf/provider-databricks/lib/data-databricks-group";
import { Group } from "@cdktf/provider-databricks/lib/group";
import { GroupMember } from "@cdktf/provider-databricks/lib/group-member";
import { MwsPermissionAssignment } from "@cdktf/provider-databricks/lib/mws-permission-assignment";
import { WORKSPACE_PERMISSIONS, type WorkspacePermission } from "./defaults";

export * from "./defaults";

export interface AccountGroupSpec {
  /** Display name of the account group; Unity Catalog grants name it. */
  readonly name: string;
  /**
   * Look the group up instead of creating it (it is managed elsewhere, e.g. synced from an identity provider).
   * @default false
   */
  readonly existing?: boolean;
  /**
   * Workspace permission given to the group.
   * @default "USER"
   */
  readonly workspacePermission?: WorkspacePermission;
}

export interface AccountIdentitiesProps {
  /** The account-level provider (`host = https://accounts.cloud.databricks.com`, `account_id`). */
  readonly accountProvider: TerraformProvider;
  /** Numeric workspace id (`databricks_mws_workspaces.workspace_id`). */
  readonly workspaceId: number;
  /** The groups, each name once. */
  readonly groups: readonly AccountGroupSpec[];
  /**
   * What the workspace assignments wait for: the metastore assignment, so that identity federation is on.
   * @default nothing beyond the workspace id
   */
  readonly assignAfter?: readonly ITerraformDependable[];
  /**
   * Account principals added as members of groups of `groups`. `memberKey` names the membership in the
   * construct id (stable, never a list position), `principalId` is the principal's numeric account id.
   * A principal that must act as the owner of securables a group owns is made a member of it.
   * @default no memberships
   */
  readonly members?: readonly { readonly groupName: string; readonly memberKey: string; readonly principalId: string }[];
}

/**
 * Account groups and their workspace assignments.
 * @throws Error naming the value when a group name is used twice, a workspace permission is unknown, or
 *   `members` names a group that is not in `groups`.
 */
export class AccountIdentities extends Construct {
  /** Account group id (numeric, as a string) by display name. */
  public readonly groupIds: Readonly<Record<string, string>>;
  public readonly assignments: MwsPermissionAssignment[] = [];

  constructor(scope: Construct, id: string, props: AccountIdentitiesProps) {
    super(scope, id);
    const provider = props.accountProvider;
    const ids: Record<string, string> = {};
    for (const group of props.groups) {
      if (group.name in ids) throw new Error(`AccountIdentities ${id}: groups: expected each name once, found ${JSON.stringify(group.name)} twice`);
      const permission = group.workspacePermission ?? "USER";
      if (!(WORKSPACE_PERMISSIONS as readonly string[]).includes(permission)) {
        throw new Error(`AccountIdentities ${id}: groups.${group.name}.workspacePermission: expected one of ${WORKSPACE_PERMISSIONS.join(", ")}, found ${JSON.stringify(permission)}`);
      }
      const key = groupKey(group.name);
      const groupId = group.existing
        ? new DataDatabricksGroup(this, `group-${key}`, { provider, displayName: group.name }).id
        : new Group(this, `group-${key}`, { provider, displayName: group.name }).id;
      ids[group.name] = groupId;
      this.assignments.push(
        new MwsPermissionAssignment(this, `group-${key}-assignment`, {
          provider,
          workspaceId: props.workspaceId,
          principalId: Token.asNumber(groupId),
          permissions: [permission],
          dependsOn: props.assignAfter && props.assignAfter.length > 0 ? [...props.assignAfter] : undefined,
        }),
      );
    }
    for (const m of props.members ?? []) {
      if (!(m.groupName in ids)) throw new Error(`AccountIdentities ${id}: members: expected a group of groups, found ${JSON.stringify(m.groupName)}`);
      new GroupMember(this, `group-${groupKey(m.groupName)}-member-${groupKey(m.memberKey)}`, { provider, groupId: ids[m.groupName], memberId: m.principalId });
    }
    this.groupIds = ids;
  }
}

/** A construct-id fragment for a group name: stable (derived from the name, never from list position). */
function groupKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "group";
}
