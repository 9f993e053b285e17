/**
 * Short-lived credentials for the workspace-level automation that the management stack runs as.
 *
 * Field facts: provider `docs/resources/service_principal.md`, `service_principal_secret.md` (`lifetime` in
 * seconds as `NNNs`, default and maximum 730 days; changing `time_rotating` recreates the secret),
 * `mws_permission_assignment.md` (workspace `ADMIN` for an account principal) and `token.md`
 * (`lifetime_seconds`). Rotation: `time_rotating` from hashicorp/time.
 *
 * The credentials expire by design. When they have expired the management stack cannot even refresh its
 * state, so `scripts/reset-tokens.sh` re-issues them by replacing exactly {@link WorkspaceCredentials.replaceOnReset}
 * in the provisioning stack.
 */
import { Construct } from "constructs";
import { TerraformStack, Token, type TerraformProvider, type TerraformResource } from "cdktf";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { MwsPermissionAssignment } from "@cdktf/provider-databricks/lib/mws-permission-assignment";
import { ServicePrincipal } from "@cdktf/provider-databricks/lib/service-principal";
import { ServicePrincipalSecret } from "@cdktf/provider-databricks/lib/service-principal-secret";
import { Token as DatabricksToken } from "@cdktf/provider-databricks/lib/token";
import { Rotating } from "@cdktf/provider-time/lib/rotating";

import { DEFAULT_CREDENTIAL_LIFETIME_DAYS, DEFAULT_CREDENTIAL_MODE, MAX_CREDENTIAL_LIFETIME_DAYS } from "./defaults";

export * from "./defaults";

export type CredentialMode = "oauth" | "pat";

export interface WorkspaceCredentialsProps {
  readonly namePrefix: string;
  /** The account-level provider (service principals, permission assignments and their secrets). */
  readonly accountProvider: TerraformProvider;
  /** Numeric workspace id (`databricks_mws_workspaces.workspace_id`). */
  readonly workspaceId: number;
  /** Workspace URL, `https://…` (`databricks_mws_workspaces.workspace_url`). */
  readonly workspaceUrl: string;
  /**
   * `oauth`: issue an OAuth secret for the automation service principal; `pat`: also issue a personal access
   * token for it, created through a workspace provider that authenticates with that secret.
   * @default "oauth"
   */
  readonly mode?: CredentialMode;
  /**
   * Lifetime of the secret (and token) in days, 1 to 730. They rotate at half of it, so any provisioning
   * deploy in the second half renews them before they expire.
   * @default 1
   */
  readonly lifetimeDays?: number;
}

/**
 * An automation service principal with workspace `ADMIN`, a rotating OAuth secret and, in `pat` mode, a
 * rotating personal access token. Public fields are what the management provider needs.
 * @throws Error naming the value for an unknown `mode` or `lifetimeDays` outside 1-730.
 */
export class WorkspaceCredentials extends Construct {
  public readonly servicePrincipal: ServicePrincipal;
  public readonly secret: ServicePrincipalSecret;
  public readonly rotation: Rotating;
  public readonly token?: DatabricksToken;
  public readonly mode: CredentialMode;
  /** Workspace URL the credentials are for. */
  public readonly host: string;
  /** OAuth client id (application id) of the automation service principal. */
  public readonly clientId: string;
  /** OAuth client secret; sensitive. */
  public readonly clientSecret: string;
  /** The resources `reset-tokens` replaces: the rotation clock, the secret and (pat) the token. */
  public readonly replaceOnReset: TerraformResource[];

  constructor(scope: Construct, id: string, props: WorkspaceCredentialsProps) {
    super(scope, id);
    this.mode = props.mode ?? DEFAULT_CREDENTIAL_MODE;
    if (this.mode !== "oauth" && this.mode !== "pat") throw new Error(`WorkspaceCredentials ${id}: mode: expected "oauth" or "pat", found ${JSON.stringify(this.mode)}`);
    const days = props.lifetimeDays ?? DEFAULT_CREDENTIAL_LIFETIME_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_CREDENTIAL_LIFETIME_DAYS) {
      throw new Error(`WorkspaceCredentials ${id}: lifetimeDays: expected a whole number from 1 to ${MAX_CREDENTIAL_LIFETIME_DAYS}, found ${days}`);
    }
    const provider = props.accountProvider;
    const lifetimeSeconds = days * 86400;

    this.servicePrincipal = new ServicePrincipal(this, "automation", { provider, displayName: `${props.namePrefix}-automation` });
    const admin = new MwsPermissionAssignment(this, "automation-workspace-admin", {
      provider, workspaceId: props.workspaceId, principalId: Token.asNumber(this.servicePrincipal.id), permissions: ["ADMIN"],
    });
    this.rotation = new Rotating(this, "rotation", { rotationHours: days * 12 });
    this.secret = new ServicePrincipalSecret(this, "secret", {
      provider, servicePrincipalId: this.servicePrincipal.id, lifetime: `${lifetimeSeconds}s`, timeRotating: this.rotation.rfc3339,
    });
    this.host = props.workspaceUrl;
    this.clientId = this.servicePrincipal.applicationId;
    this.clientSecret = this.secret.secret;
    this.replaceOnReset = [this.rotation, this.secret];

    if (this.mode === "pat") {
      // The token belongs to the automation principal: created through a workspace provider that signs in
      // with the principal's own OAuth secret (never with the deployer's account credentials).
      const asAutomation = new DatabricksProvider(this, "as-automation", {
        alias: `${id}-automation`, host: this.host, clientId: this.clientId, clientSecret: this.clientSecret, authType: "oauth-m2m",
      });
      this.token = new DatabricksToken(this, "token", {
        provider: asAutomation, comment: `${props.namePrefix} management stack`, lifetimeSeconds,
        // A plain address: cdktf 0.21 renders a resource given here as "${...}", which Terraform's JSON
        // syntax rejects in replace_triggered_by (found by tofu validate).
        dependsOn: [admin], lifecycle: { replaceTriggeredBy: [`${this.rotation.terraformResourceType}.${TerraformStack.of(this).getLogicalId(this.rotation)}`] },
      });
      this.replaceOnReset.push(this.token);
    }
  }
}
