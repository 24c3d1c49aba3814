/**
 * IPv6 address text ↔ 16 bytes, pure code (no `node:net`), for the SDP response address
 * (ISO 15118-2 §7.10.1).
 * Parsing accepts RFC 4291 §2.2 forms (full, "::"-compressed, trailing dotted IPv4) and an optional
 * "%zone" suffix; formatting follows RFC 5952 §4 (lowercase, no leading zeros, longest run of ≥ 2 zero
 * groups compressed, first run on a tie) — the same text as WHATWG URL serialisation.
 */
import { V2gtpError } from "./v2gtp.js";

/** Length of an IPv6 address in bytes. RFC 4291. */
export const IPV6_LENGTH = 16;

function bad(text: string, rule: string): V2gtpError {
  return new V2gtpError("bad-address", `ipv6 address "${text}": ${rule}`);
}

/** Split "fe80::1%eth0" into address text and zone (RFC 4007 §11). */
export function splitIpv6Zone(text: string): { address: string; zone?: string } {
  const i = text.indexOf("%");
  if (i < 0) return { address: text };
  return { address: text.slice(0, i), zone: text.slice(i + 1) };
}

function parseGroups(part: string, text: string, allowIpv4: boolean): number[] {
  if (part === "") return [];
  const items = part.split(":");
  const groups: number[] = [];
  items.forEach((g, idx) => {
    if (allowIpv4 && idx === items.length - 1 && g.includes(".")) {
      const octets = g.split(".");
      if (octets.length !== 4 || !octets.every((o) => /^(0|[1-9][0-9]{0,2})$/.test(o) && Number(o) <= 255)) {
        throw bad(text, `"${g}" is not a dotted IPv4 address`);
      }
      const [a, b, c, d] = octets.map(Number) as [number, number, number, number];
      groups.push((a << 8) | b, (c << 8) | d);
      return;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw bad(text, `group "${g}" must be 1-4 hex digits`);
    groups.push(Number.parseInt(g, 16));
  });
  return groups;
}

/** Parse IPv6 text (an optional %zone is ignored) to 16 bytes. Throws {@link V2gtpError} "bad-address". */
export function parseIpv6(text: string): Uint8Array {
  const { address } = splitIpv6Zone(text);
  const halves = address.split("::");
  if (halves.length > 2) throw bad(text, `"::" may appear only once`);
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0]!, text, false);
    const tail = parseGroups(halves[1]!, text, true);
    if (head.length + tail.length > 7) throw bad(text, "too many groups around '::'");
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    groups = parseGroups(address, text, true);
    if (groups.length !== 8) throw bad(text, `${groups.length} groups, must be 8 (or use "::")`);
  }
  const out = new Uint8Array(IPV6_LENGTH);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** Format 16 bytes as canonical IPv6 text (RFC 5952 §4). Throws {@link V2gtpError} "bad-address". */
export function formatIpv6(bytes: Uint8Array): string {
  if (bytes.length !== IPV6_LENGTH) {
    throw new V2gtpError("bad-address", `ipv6 address: ${bytes.length} bytes, must be ${IPV6_LENGTH}`);
  }
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestLen < 2) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/** True for fe80::/10 link-local addresses (the SECC address SDP normally returns). RFC 4291 §2.5.6. */
export function isIpv6LinkLocal(bytes: Uint8Array): boolean {
  return bytes.length === IPV6_LENGTH && bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80;
}
