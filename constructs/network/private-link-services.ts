/**
 * Databricks back-end PrivateLink endpoint services per AWS region.
 *
 * Source: Databricks documentation "IP addresses and domains for Databricks services and assets"
 * (docs.databricks.com/aws/en/resources/ip-domain-region), as tabulated by the Databricks security
 * reference architecture (databricks/terraform-databricks-sra, `aws/tf`). The workspace service serves
 * the REST API (`use_case` general access), the relay service serves secure cluster connectivity (SCC).
 * A region missing here can still be used by giving both service names in `privateLink` settings.
 */
export interface PrivateLinkServiceNames {
  /** Workspace (REST API) endpoint service, `com.amazonaws.vpce.<region>.vpce-svc-…`. */
  readonly workspace: string;
  /** Secure cluster connectivity relay endpoint service. */
  readonly relay: string;
}

export const PRIVATE_LINK_SERVICE_NAMES: Readonly<Record<string, PrivateLinkServiceNames>> = {
  "ap-northeast-1": { workspace: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-02691fd610d24fd64", relay: "com.amazonaws.vpce.ap-northeast-1.vpce-svc-02aa633bda3edbec0" },
  "ap-south-1": { workspace: "com.amazonaws.vpce.ap-south-1.vpce-svc-0dbfe5d9ee18d6411", relay: "com.amazonaws.vpce.ap-south-1.vpce-svc-03fd4d9b61414f3de" },
  "ap-southeast-2": { workspace: "com.amazonaws.vpce.ap-southeast-2.vpce-svc-0b87155ddd6954974", relay: "com.amazonaws.vpce.ap-southeast-2.vpce-svc-0b4a72e8f825495f6" },
  "ca-central-1": { workspace: "com.amazonaws.vpce.ca-central-1.vpce-svc-0205f197ec0e28d65", relay: "com.amazonaws.vpce.ca-central-1.vpce-svc-0c4e25bdbcbfbb684" },
  "eu-central-1": { workspace: "com.amazonaws.vpce.eu-central-1.vpce-svc-081f78503812597f7", relay: "com.amazonaws.vpce.eu-central-1.vpce-svc-08e5dfca9572c85c4" },
  "eu-west-1": { workspace: "com.amazonaws.vpce.eu-west-1.vpce-svc-0da6ebf1461278016", relay: "com.amazonaws.vpce.eu-west-1.vpce-svc-09b4eb2bc775f4e8c" },
  "eu-west-2": { workspace: "com.amazonaws.vpce.eu-west-2.vpce-svc-01148c7cdc1d1326c", relay: "com.amazonaws.vpce.eu-west-2.vpce-svc-05279412bf5353a45" },
  "us-east-1": { workspace: "com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04", relay: "com.amazonaws.vpce.us-east-1.vpce-svc-00018a8c3ff62ffdf" },
  "us-east-2": { workspace: "com.amazonaws.vpce.us-east-2.vpce-svc-041dc2b4d7796b8d3", relay: "com.amazonaws.vpce.us-east-2.vpce-svc-090a8fab0d73e39a6" },
  "us-west-2": { workspace: "com.amazonaws.vpce.us-west-2.vpce-svc-0129f463fcfbc46c5", relay: "com.amazonaws.vpce.us-west-2.vpce-svc-0158114c0c730c3bb" },
};

/**
 * The service names for `region`, with per-field overrides taking precedence.
 * @throws Error naming the region when it is not in the table and no override covers it.
 */
export function privateLinkServiceNames(region: string, overrides: Partial<PrivateLinkServiceNames> = {}): PrivateLinkServiceNames {
  const known = PRIVATE_LINK_SERVICE_NAMES[region];
  const workspace = overrides.workspace ?? known?.workspace;
  const relay = overrides.relay ?? known?.relay;
  if (!workspace || !relay) {
    throw new Error(
      `PrivateLink: region "${region}" has no known Databricks endpoint services (known: ${Object.keys(PRIVATE_LINK_SERVICE_NAMES).join(", ")}); ` +
        `give both workspaceServiceName and relayServiceName`,
    );
  }
  return { workspace, relay };
}
