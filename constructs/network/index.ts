/**
 * The customer-managed VPC a Databricks workspace runs in.
 *
 * Field facts: provider `docs/resources/mws_networks.md` and Databricks "Configure a customer-managed VPC"
 * (docs.databricks.com/aws/en/security/network/classic/customer-managed-vpc): at least two workspace
 * subnets in different availability zones, netmask /17 to /26, DNS hostnames and DNS support on, outbound
 * access through a NAT gateway, and a security group that allows all traffic within itself plus TCP egress
 * on 443, 3306, 6666, 2443 and 8443-8451.
 */
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { skipCheckov } from "../security/checkov-skips";
import { privateLinkServiceNames, type PrivateLinkServiceNames } from "./private-link-services";
import { DEFAULT_EGRESS_CIDR_BLOCKS, DEFAULT_FLOW_LOG_RETENTION_DAYS, DEFAULT_FLOW_LOG_TRAFFIC_TYPE, DEFAULT_NAT_GATEWAYS, DEFAULT_NETWORK_MODE, DEFAULT_VPC_ENDPOINTS, NETWORK_MODES, type NetworkMode } from "./defaults";

export * from "./defaults";

export { PRIVATE_LINK_SERVICE_NAMES, privateLinkServiceNames, type PrivateLinkServiceNames } from "./private-link-services";

/**
 * TCP ports the workspace security group must reach outside the VPC (Databricks customer-managed VPC
 * docs, "Security groups"): 443 HTTPS, 3306 legacy Hive metastore, 6666 secure cluster connectivity relay,
 * 2443 FIPS-encrypted control plane, 8443-8451 control plane API and Unity Catalog.
 */
export const WORKSPACE_EGRESS_PORTS: readonly { readonly fromPort: number; readonly toPort: number; readonly description: string }[] = [
  { fromPort: 443, toPort: 443, description: "HTTPS: control plane, AWS APIs, artifact stores" },
  { fromPort: 3306, toPort: 3306, description: "Legacy Hive metastore" },
  { fromPort: 6666, toPort: 6666, description: "Secure cluster connectivity relay" },
  { fromPort: 2443, toPort: 2443, description: "FIPS-encrypted control plane" },
  { fromPort: 8443, toPort: 8451, description: "Control plane API and Unity Catalog" },
];

/** Ports the PrivateLink and interface endpoints accept from the workspace (Databricks PrivateLink docs). */
export const ENDPOINT_PORTS: readonly { readonly fromPort: number; readonly toPort: number; readonly description: string }[] = [
  { fromPort: 443, toPort: 443, description: "HTTPS: REST API and AWS service endpoints" },
  { fromPort: 2443, toPort: 2443, description: "FIPS-encrypted control plane" },
  { fromPort: 6666, toPort: 6666, description: "Secure cluster connectivity relay" },
  { fromPort: 8443, toPort: 8451, description: "Control plane API and Unity Catalog" },
];


/**
 * Construct id of the workspace security group's egress rule for `fromPort` towards `cidrBlock` at
 * `position` in `egressCidrBlocks`. Derived from content, not list position: the first block keeps the
 * historical id `workspace-sg-out-<port>` (existing addresses predate this scheme), every other block is
 * named by its CIDR, e.g. `workspace-sg-out-443-10-0-0-0-8`, so adding, removing or reordering blocks after
 * the first leaves the other blocks' rules alone. (Until this scheme, blocks after the first were keyed
 * `-<position>`: an environment with several blocks gets those rules replaced once.)
 */
export function workspaceEgressRuleId(fromPort: number, cidrBlock: string, position: number): string {
  return position === 0 ? `workspace-sg-out-${fromPort}` : `workspace-sg-out-${fromPort}-${cidrBlock.replace(/[./]/g, "-")}`;
}

export interface WorkspaceNetworkFlowLogsProps {
  /** KMS key ARN encrypting the flow-log group; its policy must allow `logs.<region>.amazonaws.com`. */
  readonly kmsKeyArn: string;
  /**
   * Days CloudWatch Logs keeps flow-log records.
   * @default 365
   */
  readonly retentionDays?: number;
  /**
   * Which traffic to record: `ALL`, `ACCEPT` or `REJECT`.
   * @default "ALL"
   */
  readonly trafficType?: string;
}

export interface WorkspaceNetworkProps {
  /** Prefix of every `Name` tag and resource name, e.g. `acme-dbx-dev`. */
  readonly namePrefix: string;
  /** AWS region, e.g. `us-east-1`; names the endpoint services. */
  readonly region: string;
  /** VPC IPv4 range, e.g. `10.20.0.0/16`. */
  readonly cidrBlock: string;
  /** Zones in the order of the subnet lists; at least two. */
  readonly availabilityZones: readonly string[];
  /** One workspace subnet per zone, netmask /17 to /26. */
  readonly privateSubnetCidrBlocks: readonly string[];
  /** Public subnets for the NAT gateways, in zone order; one or one per zone. */
  readonly publicSubnetCidrBlocks: readonly string[];
  /**
   * Subnets for interface endpoints (STS, Kinesis, PrivateLink), in zone order.
   * @default [] — interface endpoints are placed in the workspace subnets
   */
  readonly privateLinkSubnetCidrBlocks?: readonly string[];
  /**
   * `single`: one NAT gateway in the first public subnet; `one-per-az`: one per zone, each zone routes to its own.
   * @default "single"
   */
  readonly natGateways?: "single" | "one-per-az";
  /**
   * Which AWS service endpoints to create: the S3 gateway endpoint and the STS and Kinesis Streams interface endpoints.
   * @default all three
   */
  readonly vpcEndpoints?: { readonly s3?: boolean; readonly sts?: boolean; readonly kinesisStreams?: boolean };
  /**
   * Destinations of the workspace security group's TCP egress on the Databricks ports.
   * @default ["0.0.0.0/0"]
   */
  readonly egressCidrBlocks?: readonly string[];
  /**
   * Back-end PrivateLink: REST API and relay interface endpoints. Service names come from the region table
   * unless given here.
   * @default no PrivateLink endpoints
   */
  readonly privateLink?: { readonly enabled: boolean; readonly serviceNames?: Partial<PrivateLinkServiceNames> };
  /**
   * `asleep` omits what bills by the hour and holds no state: NAT gateways, their EIPs and routes, and the
   * interface endpoints not registered with Databricks (STS, Kinesis). Everything else is identical.
   * @default "awake"
   */
  readonly mode?: NetworkMode;
}

/**
 * VPC, subnets, gateways, routes, the workspace security group, VPC endpoints and flow logs.
 * @throws Error naming the field when the lists do not line up with `availabilityZones`, a PrivateLink
 *   region is unknown or `mode` is neither `awake` nor `asleep`.
 */
export class WorkspaceNetwork extends Construct {
  public readonly vpc: Vpc;
  public readonly privateSubnets: Subnet[] = [];
  public readonly publicSubnets: Subnet[] = [];
  public readonly privateLinkSubnets: Subnet[] = [];
  public readonly privateRouteTables: RouteTable[] = [];
  public readonly workspaceSecurityGroup: SecurityGroup;
  /**
   * Every rule of the workspace security group. Databricks checks the group when it creates the workspace,
   * so `databricks_mws_workspaces` depends on these (DESIGN "Terraform rules"; security rule DBX012).
   */
  public readonly workspaceSecurityGroupRules: (VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule)[] = [];
  public readonly endpointSecurityGroup: SecurityGroup;
  public readonly natGateways: NatGateway[] = [];
  /** Interface endpoints that Databricks does not know about: STS and Kinesis Streams. */
  public readonly serviceEndpoints: VpcEndpoint[] = [];
  /** Back-end PrivateLink endpoints, when enabled. */
  public readonly restApiEndpoint?: VpcEndpoint;
  public readonly relayEndpoint?: VpcEndpoint;

  constructor(scope: Construct, id: string, props: WorkspaceNetworkProps) {
    super(scope, id);
    const azs = props.availabilityZones;
    if (azs.length < 2) throw new Error(`WorkspaceNetwork ${id}: availabilityZones: expected at least 2 zones, found ${azs.length}`);
    if (props.privateSubnetCidrBlocks.length !== azs.length) {
      throw new Error(`WorkspaceNetwork ${id}: privateSubnetCidrBlocks: expected one per availability zone (${azs.length}), found ${props.privateSubnetCidrBlocks.length}`);
    }
    const natMode = props.natGateways ?? DEFAULT_NAT_GATEWAYS;
    if (props.publicSubnetCidrBlocks.length < (natMode === "one-per-az" ? azs.length : 1)) {
      throw new Error(`WorkspaceNetwork ${id}: publicSubnetCidrBlocks: expected ${natMode === "one-per-az" ? azs.length : "at least 1"}, found ${props.publicSubnetCidrBlocks.length}`);
    }
    const mode = props.mode ?? DEFAULT_NETWORK_MODE;
    // A typo from plain JavaScript must not silently mean "asleep".
    if (!NETWORK_MODES.includes(mode)) throw new Error(`WorkspaceNetwork ${id}: mode: expected one of ${NETWORK_MODES.map((m) => `"${m}"`).join(", ")}, found ${JSON.stringify(mode)}`);
    const awake = mode === "awake";
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });

    this.vpc = new Vpc(this, "vpc", { cidrBlock: props.cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: name("vpc") });
    // The VPC's default security group, adopted and emptied: nothing may fall back on its allow-all rules.
    new DefaultSecurityGroup(this, "default-sg", { vpcId: this.vpc.id, ingress: [], egress: [], tags: name("default-sg-unused") });
    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: name("igw") });

    const publicRouteTable = new RouteTable(this, "public-rt", { vpcId: this.vpc.id, tags: name("public-rt") });
    new Route(this, "public-default-route", { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });

    props.publicSubnetCidrBlocks.forEach((cidrBlock, i) => {
      const az = azs[i];
      const subnet = new Subnet(this, `public-${az}`, { vpcId: this.vpc.id, cidrBlock, availabilityZone: az, mapPublicIpOnLaunch: false, tags: name(`public-${az}`) });
      new RouteTableAssociation(this, `public-${az}-rta`, { subnetId: subnet.id, routeTableId: publicRouteTable.id });
      this.publicSubnets.push(subnet);
    });

    props.privateSubnetCidrBlocks.forEach((cidrBlock, i) => {
      const az = azs[i];
      const subnet = new Subnet(this, `private-${az}`, { vpcId: this.vpc.id, cidrBlock, availabilityZone: az, tags: name(`private-${az}`) });
      const routeTable = new RouteTable(this, `private-${az}-rt`, { vpcId: this.vpc.id, tags: name(`private-${az}-rt`) });
      new RouteTableAssociation(this, `private-${az}-rta`, { subnetId: subnet.id, routeTableId: routeTable.id });
      this.privateSubnets.push(subnet);
      this.privateRouteTables.push(routeTable);
    });

    (props.privateLinkSubnetCidrBlocks ?? []).forEach((cidrBlock, i) => {
      const az = azs[i];
      const subnet = new Subnet(this, `privatelink-${az}`, { vpcId: this.vpc.id, cidrBlock, availabilityZone: az, tags: name(`privatelink-${az}`) });
      new RouteTableAssociation(this, `privatelink-${az}-rta`, { subnetId: subnet.id, routeTableId: this.privateRouteTables[i].id });
      this.privateLinkSubnets.push(subnet);
    });

    if (awake) {
      const natCount = natMode === "one-per-az" ? azs.length : 1;
      for (let i = 0; i < natCount; i++) {
        const az = azs[i];
        const eip = new Eip(this, `nat-${az}-eip`, { domain: "vpc", tags: name(`nat-${az}-eip`), dependsOn: [igw] });
        this.natGateways.push(new NatGateway(this, `nat-${az}`, { allocationId: eip.allocationId, subnetId: this.publicSubnets[i].id, tags: name(`nat-${az}`), dependsOn: [igw] }));
      }
      this.privateRouteTables.forEach((routeTable, i) => {
        const nat = this.natGateways[natMode === "one-per-az" ? i : 0];
        new Route(this, `private-${azs[i]}-nat-route`, { routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
      });
    }

    this.workspaceSecurityGroup = new SecurityGroup(this, "workspace-sg", {
      name: `${props.namePrefix}-workspace-sg`,
      description: "Databricks workspace: all traffic within the group, TCP egress on the Databricks ports",
      vpcId: this.vpc.id,
      revokeRulesOnDelete: true,
      tags: name("workspace-sg"),
    });
    const sg = this.workspaceSecurityGroup.id;
    // The workspace security group is attached by Databricks (databricks_mws_networks.security_group_ids),
    // which checkov does not follow.
    skipCheckov(this.workspaceSecurityGroup, "CKV2_AWS_5", "attached to the workspace's instances by Databricks through databricks_mws_networks.security_group_ids");
    for (const ipProtocol of ["tcp", "udp"]) {
      const selfIngress = new VpcSecurityGroupIngressRule(this, `workspace-sg-in-self-${ipProtocol}`, {
        securityGroupId: sg, referencedSecurityGroupId: sg, ipProtocol, fromPort: 0, toPort: 65535, description: `All ${ipProtocol.toUpperCase()} from the workspace`,
      });
      // checkov reads an all-ports rule without a CIDR as open to the internet; this one admits the group itself
      // (referenced_security_group_id). Internet ingress is refused by DBX006.
      for (const check of ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260"]) {
        skipCheckov(selfIngress, check, "self-referencing rule (referenced_security_group_id = this group, no CIDR): only the workspace's own instances, never the internet");
      }
      this.workspaceSecurityGroupRules.push(
        selfIngress,
        new VpcSecurityGroupEgressRule(this, `workspace-sg-out-self-${ipProtocol}`, {
          securityGroupId: sg, referencedSecurityGroupId: sg, ipProtocol, fromPort: 0, toPort: 65535, description: `All ${ipProtocol.toUpperCase()} to the workspace`,
        }),
      );
    }
    const egressCidrBlocks = props.egressCidrBlocks ?? DEFAULT_EGRESS_CIDR_BLOCKS;
    egressCidrBlocks.forEach((cidrIpv4, c) => {
      if (egressCidrBlocks.indexOf(cidrIpv4) !== c) throw new Error(`WorkspaceNetwork ${id}: egressCidrBlocks: expected each CIDR block once, found ${cidrIpv4} twice`);
      for (const port of WORKSPACE_EGRESS_PORTS) {
        this.workspaceSecurityGroupRules.push(
          new VpcSecurityGroupEgressRule(this, workspaceEgressRuleId(port.fromPort, cidrIpv4, c), {
            securityGroupId: sg, cidrIpv4, ipProtocol: "tcp", fromPort: port.fromPort, toPort: port.toPort, description: port.description,
          }),
        );
      }
    });

    this.endpointSecurityGroup = new SecurityGroup(this, "endpoint-sg", {
      name: `${props.namePrefix}-endpoint-sg`,
      description: "Interface VPC endpoints: HTTPS and Databricks ports from the workspace only",
      vpcId: this.vpc.id,
      revokeRulesOnDelete: true,
      tags: name("endpoint-sg"),
    });
    for (const port of ENDPOINT_PORTS) {
      new VpcSecurityGroupIngressRule(this, `endpoint-sg-in-${port.fromPort}`, {
        securityGroupId: this.endpointSecurityGroup.id, referencedSecurityGroupId: sg, ipProtocol: "tcp", fromPort: port.fromPort, toPort: port.toPort, description: port.description,
      });
      new VpcSecurityGroupEgressRule(this, `endpoint-sg-out-${port.fromPort}`, {
        securityGroupId: this.endpointSecurityGroup.id, referencedSecurityGroupId: sg, ipProtocol: "tcp", fromPort: port.fromPort, toPort: port.toPort, description: port.description,
      });
    }

    const endpoints = { ...DEFAULT_VPC_ENDPOINTS, ...props.vpcEndpoints };
    const endpointSubnetIds = (this.privateLinkSubnets.length > 0 ? this.privateLinkSubnets : this.privateSubnets).map((s) => s.id);
    const interfaceEndpoint = (id: string, serviceName: string) =>
      new VpcEndpoint(this, id, {
        vpcId: this.vpc.id, serviceName, vpcEndpointType: "Interface", privateDnsEnabled: true,
        subnetIds: endpointSubnetIds, securityGroupIds: [this.endpointSecurityGroup.id], tags: name(id),
      });

    if (endpoints.s3) {
      new VpcEndpoint(this, "s3-gateway-endpoint", {
        vpcId: this.vpc.id, serviceName: `com.amazonaws.${props.region}.s3`, vpcEndpointType: "Gateway",
        routeTableIds: this.privateRouteTables.map((rt) => rt.id), tags: name("s3-gateway-endpoint"),
      });
    }
    if (awake && endpoints.sts) this.serviceEndpoints.push(interfaceEndpoint("sts-endpoint", `com.amazonaws.${props.region}.sts`));
    if (awake && endpoints.kinesisStreams) this.serviceEndpoints.push(interfaceEndpoint("kinesis-streams-endpoint", `com.amazonaws.${props.region}.kinesis-streams`));

    if (props.privateLink?.enabled) {
      const services = privateLinkServiceNames(props.region, props.privateLink.serviceNames);
      this.restApiEndpoint = interfaceEndpoint("workspace-rest-endpoint", services.workspace);
      this.relayEndpoint = interfaceEndpoint("workspace-relay-endpoint", services.relay);
    }

  }

  /**
   * VPC flow logs to a CloudWatch Logs group encrypted with `props.kmsKeyArn`, written through a role
   * that may only write to that group. Separate from the constructor because the key usually depends on
   * resources of this network (the security group of the cross-account role's restrictions).
   */
  public addFlowLogs(namePrefix: string, props: WorkspaceNetworkFlowLogsProps): void {
    const logGroup = new CloudwatchLogGroup(this, "flow-log-group", {
      name: `/aws/vpc/${namePrefix}/flow-logs`,
      retentionInDays: props.retentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS,
      kmsKeyId: props.kmsKeyArn,
    });
    const assume = new DataAwsIamPolicyDocument(this, "flow-log-assume-role", {
      statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }] }],
    });
    const role = new IamRole(this, "flow-log-role", { name: `${namePrefix}-flow-logs`, assumeRolePolicy: assume.json });
    const write = new DataAwsIamPolicyDocument(this, "flow-log-write", {
      statement: [{
        actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
        resources: [logGroup.arn, `${logGroup.arn}:*`],
      }],
    });
    new IamRolePolicy(this, "flow-log-role-policy", { role: role.id, policy: write.json });
    new FlowLog(this, "flow-log", {
      vpcId: this.vpc.id, trafficType: props.trafficType ?? DEFAULT_FLOW_LOG_TRAFFIC_TYPE, logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn, iamRoleArn: role.arn, maxAggregationInterval: 60,
    });
  }
}
