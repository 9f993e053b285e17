/**
 * The account-level identities of a workspace's consumers: one service principal each, assigned to the
 * workspace as `USER`; lives in the provisioning stack with the account-level provider.
 *
 * Field facts:
 * - provider `docs/resources/service_principal.md` (with the account-level provider the principal is an
 *   account principal; `application_id` is its Unity Catalog principal name and OAuth client id;
 *   `acl_principal_id` = `servicePrincipals/<application id>`), `mws_permission_assignment.md` (`USER`).
 * - Assigning principals right after workspace creation fails intermittently (provider issues #5367, #2739):
 *   the assignment waits for `assignAfter` (the metastore assignment), as the automation principal's does.
 * - provider `docs/resources/job.md`, `run_as`: "Setting this field requires the `servicePrincipal/user`
 *   role" on the principal the job runs as; `docs/resources/access_control_rule_set.md` grants it on an
 *   account-level service principal (rule set `accounts/<account id>/servicePrincipals/<application id>/ruleSets/default`,
 *   authoritative for that principal's rule set).
 */
import { Construct } from "constructs";
import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { AccessControlRuleSet } from "@cdktf/provider-databricks/lib/access-control-rule-set";
import { MwsPermissionAssignment } from "@cdktf/provider-databricks/lib/mws-permission-assignment";
import { ServicePrincipal } from "@cdktf/provider-databricks/lib/service-principal";
import { CONSUMER_NAME } from "./defaults";

export { CONSUMER_NAME } from "./defaults";

/** The role a principal needs on a service principal to make jobs run as it (provider `docs/resources/job.md`). */
export const SERVICE_PRINCIPAL_USER_ROLE = "roles/servicePrincipal.user";

export interface ConsumerPrincipalSpec {
  /** Consumer name ({@link CONSUMER_NAME}). */
  readonly name: string;
  /**
   * ACL principal ids (`servicePrincipals/<application id>`, `groups/<name>`) given
   * {@link SERVICE_PRINCIPAL_USER_ROLE} on this consumer's principal, so that jobs they create can run as it.
   * @default none: no rule set is managed for the principal
   */
  readonly servicePrincipalUsers?: readonly string[];
}

export interface ConsumerPrincipalsProps {
  /** Prefix of the service principals' display names. */
  readonly namePrefix: string;
  /** The account-level provider. */
  readonly accountProvider: TerraformProvider;
  /** Databricks account id (UUID): part of the rule-set names. */
  readonly databricksAccountId: string;
  /** Numeric workspace id (`databricks_mws_workspaces.workspace_id`). */
  readonly workspaceId: number;
  /** The consumers, each name once. */
  readonly consumers: readonly ConsumerPrincipalSpec[];
  /**
   * What the workspace assignments wait for (the metastore assignment).
   * @default nothing beyond the workspace id
   */
  readonly assignAfter?: readonly ITerraformDependable[];
}

/**
 * One account-level service principal per consumer, assigned to the workspace as `USER`, and the
 * `servicePrincipal.user` rule set where another principal must run jobs as it.
 * @throws Error naming the value for a consumer name that is not {@link CONSUMER_NAME} or used twice.
 */
export class ConsumerPrincipals extends Construct {
  public readonly servicePrincipals: Readonly<Record<string, ServicePrincipal>>;
  public readonly assignments: Readonly<Record<string, MwsPermissionAssignment>>;
  /** Application id (OAuth client id, Unity Catalog principal name) by consumer name. */
  public readonly applicationIds: Readonly<Record<string, string>>;
  /** Account SCIM id (numeric, as a string) by consumer name: what `databricks_service_principal_secret` takes. */
  public readonly servicePrincipalIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ConsumerPrincipalsProps) {
    super(scope, id);
    const provider = props.accountProvider;
    const sps: Record<string, ServicePrincipal> = {};
    const assignments: Record<string, MwsPermissionAssignment> = {};
    for (const c of props.consumers) {
      if (!CONSUMER_NAME.test(c.name)) throw new Error(`ConsumerPrincipals ${id}: consumers.name: expected 3-40 lowercase letters, digits or hyphens starting with a letter, found ${JSON.stringify(c.name)}`);
      if (c.name in sps) throw new Error(`ConsumerPrincipals ${id}: consumers.name: expected each name once, found ${JSON.stringify(c.name)} twice`);
      const sp = new ServicePrincipal(this, `consumer-${c.name}`, { provider, displayName: `${props.namePrefix}-${c.name}` });
      sps[c.name] = sp;
      assignments[c.name] = new MwsPermissionAssignment(this, `consumer-${c.name}-assignment`, {
        provider,
        workspaceId: props.workspaceId,
        principalId: Token.asNumber(sp.id),
        permissions: ["USER"],
        dependsOn: props.assignAfter && props.assignAfter.length > 0 ? [...props.assignAfter] : undefined,
      });
      if ((c.servicePrincipalUsers ?? []).length > 0) {
        new AccessControlRuleSet(this, `consumer-${c.name}-rule-set`, {
          provider,
          name: `accounts/${props.databricksAccountId}/servicePrincipals/${sp.applicationId}/ruleSets/default`,
          grantRules: [{ role: SERVICE_PRINCIPAL_USER_ROLE, principals: [...(c.servicePrincipalUsers ?? [])] }],
        });
      }
    }
    this.servicePrincipals = sps;
    this.assignments = assignments;
    this.applicationIds = Object.fromEntries(Object.entries(sps).map(([name, sp]) => [name, sp.applicationId]));
    this.servicePrincipalIds = Object.fromEntries(Object.entries(sps).map(([name, sp]) => [name, sp.id]));
  }
}
