/**
 * Hourly list prices (USD, on-demand) of the network parts that sleeping removes, per region.
 *
 * Sources, AWS pricing pages (table written 2026-11-23; the pages load their figures by script, so they
 * could not be re-read when it was written: us-east-1 was confirmed against published copies of the
 * pages, the other regions are the list prices as last known and are not re-verified):
 *   - NAT gateway hour: Amazon VPC pricing, "NAT Gateway pricing" (aws.amazon.com/vpc/pricing/)
 *   - public IPv4 address hour (an EIP, attached or not, since 2024-02-01): Amazon VPC pricing,
 *     "Public IPv4 addresses" — $0.005 in every commercial region
 *   - interface endpoint hour per AZ: AWS PrivateLink pricing, "Interface Endpoint pricing"
 *     (aws.amazon.com/privatelink/pricing/)
 * Only the hourly parts are listed: per-GB data processing (NAT gateway, interface endpoints) depends on
 * traffic and stops with the traffic. AWS changes prices: re-check the pages before quoting a figure.
 * A region missing here still works; its costs print as unknown.
 */
export interface NetworkHourlyPrices {
  /** One NAT gateway, per hour. */
  readonly natGatewayHour: number;
  /** One public IPv4 address (the NAT gateway's EIP), per hour. */
  readonly publicIpv4Hour: number;
  /** One interface VPC endpoint in one availability zone, per hour. */
  readonly interfaceEndpointAzHour: number;
}

/** Hours in a month as AWS's own pricing examples count them (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

export const PRICES_RECORDED = "2026-11-23";

export const NETWORK_HOURLY_PRICES: Readonly<Record<string, NetworkHourlyPrices>> = {
  "us-east-1": { natGatewayHour: 0.045, publicIpv4Hour: 0.005, interfaceEndpointAzHour: 0.01 },
  "us-east-2": { natGatewayHour: 0.045, publicIpv4Hour: 0.005, interfaceEndpointAzHour: 0.01 },
  "us-west-2": { natGatewayHour: 0.045, publicIpv4Hour: 0.005, interfaceEndpointAzHour: 0.01 },
  "ca-central-1": { natGatewayHour: 0.05, publicIpv4Hour: 0.005, interfaceEndpointAzHour: 0.011 },
  "eu-west-1": { natGatewayHour: 0.048, publicIpv4Hour: 0.005, interfaceEndpointAzHour: 0.011 },
  "eu-west-2": { natGatewayHour: 0.05, publicIpv4Hour: 0.005, interfaceEndpointAzHour: 0.011 },
  "eu-central-1": { natGatewayHour: 0.052, publicIpv4Hour: 0.005, interfaceEndpointAzHour: 0.012 },
  "ap-northeast-1": { natGatewayHour: 0.062, publicIpv4Hour: 0.005, interfaceEndpointAzHour: 0.014 },
};

export function pricesFor(region: string): NetworkHourlyPrices | undefined {
  return Object.prototype.hasOwnProperty.call(NETWORK_HOURLY_PRICES, region) ? NETWORK_HOURLY_PRICES[region] : undefined;
}
