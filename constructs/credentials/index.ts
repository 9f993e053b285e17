/**
 * Short-lived credentials for the workspace-level automation that the management stack runs as.
 *
 * Field facts: provider `docs/resources/service_principal.md`, `service_principal_secret.md` (`lifetime` in
 * seconds as `NNNs`, default and maximum 730 days; changing `time_rotating` recreates the secret) and
 * `mws_permission_assignment.md` (workspace `ADMIN` for an account principal). Rotation: `time_rotating`
 * from hashicorp/time.
 *
 * Nothing here *uses* the secret: a provider configured from it would be configured from a resource of its
 * own stack, whose value is unknown at plan time after a rotation (Terraform provider-configuration docs;
 * DESIGN.md "Terraform rules", rule DBX021). Whatever must sign in with it (the management stack's provider,
 * a PAT for tools that only take PATs) lives in the management stack, where it arrives as known input.
 *
 * The credentials expire by design. When they have expired the management stack cannot even refresh its
 * state, so `scripts/reset-tokens.sh` re-issues them by replacing exactly {@link WorkspaceCredentials.replaceOnReset}
 * in the provisioning stack.
 */
import { Construct } from "constructs";
import { Token, type ITerraformDependable, type TerraformProvider, type TerraformResource } from "cdktf";
import { MwsPermissionAssignment } from "@cdktf/provider-databricks/lib/mws-permission-assignment";
import { ServicePrincipal } from "@cdktf/provider-databricks/lib/service-principal";
import { ServicePrincipalSecret } from "@cdktf/provider-databricks/lib/service-principal-secret";
import { Rotating } from "@cdktf/provider-time/lib/rotating";

import { DEFAULT_CREDENTIAL_LIFETIME_DAYS, MAX_CREDENTIAL_LIFETIME_DAYS } from "./defaults";

export * from "./defaults";

export interface WorkspaceCredentialsProps {
  readonly namePrefix: string;
  /** The account-level provider (service principals, permission assignments and their secrets). */
  readonly accountProvider: TerraformProvider;
  /** Numeric workspace id (`databricks_mws_workspaces.workspace_id`). */
  readonly workspaceId: number;
  /** Workspace URL, `https://…` (`databricks_mws_workspaces.workspace_url`). */
  readonly workspaceUrl: string;
  /**
   * Lifetime of the secret in days, 1 to 730. It rotates at half of it, so any provisioning deploy in the
   * second half renews it before it expires.
   * @default 1
   */
  readonly lifetimeDays?: number;
  /**
   * What the workspace assignment waits for (the metastore assignment: provider issues #5367, #2739).
   * @default nothing beyond the workspace id
   */
  readonly assignAfter?: readonly ITerraformDependable[];
}

/**
 * An automation service principal (account level) with workspace `ADMIN` and a rotating OAuth secret.
 * Public fields are what the management provider needs.
 * @throws Error naming the value for `lifetimeDays` outside 1-730.
 */
export class WorkspaceCredentials extends Construct {
  public readonly servicePrincipal: ServicePrincipal;
  public readonly secret: ServicePrincipalSecret;
  public readonly rotation: Rotating;
  /** The workspace `ADMIN` assignment of the service principal. */
  public readonly assignment: MwsPermissionAssignment;
  /** Workspace URL the credentials are for. */
  public readonly host: string;
  /** OAuth client id (application id) of the automation service principal. */
  public readonly clientId: string;
  /** OAuth client secret; sensitive. */
  public readonly clientSecret: string;
  /** The resources `reset-tokens` replaces: the rotation clock and the secret. */
  public readonly replaceOnReset: TerraformResource[];

  constructor(scope: Construct, id: string, props: WorkspaceCredentialsProps) {
    super(scope, id);
    const days = props.lifetimeDays ?? DEFAULT_CREDENTIAL_LIFETIME_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_CREDENTIAL_LIFETIME_DAYS) {
      throw new Error(`WorkspaceCredentials ${id}: lifetimeDays: expected a whole number from 1 to ${MAX_CREDENTIAL_LIFETIME_DAYS}, found ${days}`);
    }
    const provider = props.accountProvider;
    const lifetimeSeconds = days * 86400;

    this.servicePrincipal = new ServicePrincipal(this, "automation", { provider, displayName: `${props.namePrefix}-automation` });
    this.assignment = new MwsPermissionAssignment(this, "automation-workspace-admin", {
      provider, workspaceId: props.workspaceId, principalId: Token.asNumber(this.servicePrincipal.id), permissions: ["ADMIN"],
      dependsOn: props.assignAfter && props.assignAfter.length > 0 ? [...props.assignAfter] : undefined,
    });
    this.rotation = new Rotating(this, "rotation", { rotationHours: days * 12 });
    this.secret = new ServicePrincipalSecret(this, "secret", {
      provider, servicePrincipalId: this.servicePrincipal.id, lifetime: `${lifetimeSeconds}s`, timeRotating: this.rotation.rfc3339,
    });
    this.host = props.workspaceUrl;
    this.clientId = this.servicePrincipal.applicationId;
    this.clientSecret = this.secret.secret;
    this.replaceOnReset = [this.rotation, this.secret];
  }
}
