/**
 * IPv4 CIDR helpers on top of ipaddr.js. Only the questions the config schema asks:
 * is it a canonical block, does one contain or overlap another, how many addresses it has.
 */
import * as ipaddr from "ipaddr.js";

export interface Ipv4Block {
  readonly network: ipaddr.IPv4;
  readonly prefixLength: number;
}

/**
 * Dotted-decimal octets without leading zeros and a prefix length without one. A leading zero is not
 * decimal everywhere (`010` is octal 8 for inet_aton and many tools), and AWS rejects such blocks, so it is
 * refused rather than guessed.
 */
const CIDR_SHAPE = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}\/(0|[1-9]\d?)$/;
const LEADING_ZERO = /^\d+(\.\d+){3}\/\d+$/;

/** Parses `a.b.c.d/n`; returns undefined for anything else (IPv6, missing prefix, bad or zero-padded octets). */
export function parseIpv4Cidr(cidrBlock: string): Ipv4Block | undefined {
  if (!CIDR_SHAPE.test(cidrBlock)) return undefined;
  try {
    const [address, prefixLength] = ipaddr.IPv4.parseCIDR(cidrBlock);
    return { network: address, prefixLength };
  } catch {
    return undefined;
  }
}

/** What is wrong with `cidrBlock` as an IPv4 CIDR block; undefined when it parses. */
export function cidrProblem(cidrBlock: string): string | undefined {
  if (parseIpv4Cidr(cidrBlock)) return undefined;
  if (LEADING_ZERO.test(cidrBlock) && /(^|[./])0\d/.test(cidrBlock)) {
    return "expected an IPv4 CIDR block without leading zeros (010 is octal 8 to many tools; AWS rejects it), such as 10.0.0.0/16";
  }
  return "expected an IPv4 CIDR block such as 10.0.0.0/16";
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

/** Number of addresses of a block of `prefixLength`. */
export function addressCount(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}
