/**
 * IPv6 link-local helpers. The SECC listens on, and SDP returns, a link-local fe80::/10 address
 * (ISO 15118-2 §7.10.1); such an address is meaningful only with its interface scope, so sockets use
 * "fe80::…%eth0" (RFC 4007 §11).
 */
import { networkInterfaces } from "node:os";
import { isIpv6LinkLocal, parseIpv6, splitIpv6Zone } from "../v2g/index.js";
import { LinkError } from "./errors.js";

/** The link-local IPv6 address of `iface` (without "%zone"). Throws {@link LinkError} "no-interface"/"no-link-local". */
export function findLinkLocalAddress(
  iface: string,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string {
  const addrs = interfaces[iface];
  if (!addrs) {
    const known = Object.keys(interfaces).join(", ");
    throw new LinkError("no-interface", `interface "${iface}": not found (have: ${known})`);
  }
  for (const a of addrs) {
    const family = a.family as string | number;
    if ((family === "IPv6" || family === 6) && isIpv6LinkLocal(parseIpv6(a.address))) {
      return splitIpv6Zone(a.address).address;
    }
  }
  throw new LinkError("no-link-local", `interface "${iface}": no IPv6 link-local (fe80::/10) address`);
}

/**
 * Add the "%iface" scope to a link-local address that lacks one (other addresses, and ones with a zone,
 * are returned unchanged). Use it on the address SDP returned before connecting.
 */
export function withScope(address: string, iface: string | undefined): string {
  const { address: bare, zone } = splitIpv6Zone(address);
  if (zone !== undefined || iface === undefined) return address;
  return isIpv6LinkLocal(parseIpv6(bare)) ? `${bare}%${iface}` : address;
}
