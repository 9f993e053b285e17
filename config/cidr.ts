/**
 * IPv4 CIDR helpers on top of ipaddr.js. Only the questions the config schema asks:
 * is it a canonical block, does one contain or overlap another.
 */
import * as ipaddr from "ipaddr.js";

export interface Ipv4Block {
  readonly network: ipaddr.IPv4;
  readonly prefixLength: number;
}

/** Parses `a.b.c.d/n`; returns undefined for anything else (IPv6, missing prefix, bad octets). */
export function parseIpv4Cidr(cidrBlock: string): Ipv4Block | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidrBlock)) return undefined;
  try {
    const [address, prefixLength] = ipaddr.IPv4.parseCIDR(cidrBlock);
    return { network: address, prefixLength };
  } catch {
    return undefined;
  }
}

/** True when `cidrBlock` has no host bits set (10.0.0.0/16, not 10.0.0.1/16). */
export function isCanonical(cidrBlock: string): boolean {
  const block = parseIpv4Cidr(cidrBlock);
  if (!block) return false;
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidrBlock);
  return network.toString() === block.network.toString();
}

/** True when every address of `inner` lies inside `outer`. */
export function contains(outer: string, inner: string): boolean {
  const o = parseIpv4Cidr(outer);
  const i = parseIpv4Cidr(inner);
  if (!o || !i) return false;
  return i.prefixLength >= o.prefixLength && i.network.match(o.network, o.prefixLength);
}

/** True when the two blocks share at least one address. */
export function overlaps(a: string, b: string): boolean {
  return contains(a, b) || contains(b, a);
}
