/**
 * Test-only: plaintext V2GTP conversations from a pcap capture. Simple TCP reassembly per direction, in
 * sequence order from the SYN (as in src/v2g/v2gtp-captures.test.ts), deframed into V2GTP messages; each
 * TCP connection becomes one conversation with the client's (EVCC) and the server's (SECC) messages in order.
 * TLS flows, flows without a SYN and flows with capture gaps are skipped.
 */
import { readPcapFile } from "../../../slac/testing/pcap-frames.js";
import { createV2gtpDeframer, type V2gtpDeframer } from "../../v2gtp-deframer.js";

const ETHERTYPE_IPV6 = 0x86dd;
const SDP_PORT = 15118;

/** One V2GTP message with its capture record index. */
export interface CapturedMessage {
  payloadType: number;
  payload: Uint8Array;
  record: number;
}

/** One TCP connection. */
export interface Conversation {
  /** Index of the SYN record. */
  record: number;
  client: CapturedMessage[];
  server: CapturedMessage[];
}

interface Dir {
  expected: number;
  deframer: V2gtpDeframer;
  kind?: "v2gtp" | "other";
  broken: boolean;
  out: CapturedMessage[];
}

/** All plaintext V2GTP conversations of a capture file, in connection order. */
export function v2gConversations(path: string): Conversation[] {
  const dirs = new Map<string, Dir>();
  const convs = new Map<string, Conversation>();
  const order: Conversation[] = [];
  for (const fr of readPcapFile(path).frames) {
    if (fr.etherType !== ETHERTYPE_IPV6 || fr.payload.length < 40) continue;
    const ip = fr.payload;
    if (ip[6] !== 6) continue;
    const dv = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
    const l4 = ip.subarray(40, 40 + dv.getUint16(4));
    if (l4.length < 20) continue;
    const l4dv = new DataView(l4.buffer, l4.byteOffset, l4.byteLength);
    const sport = l4dv.getUint16(0);
    const dport = l4dv.getUint16(2);
    if (sport === SDP_PORT || dport === SDP_PORT) continue;
    const src = Buffer.from(ip.subarray(8, 24)).toString("hex");
    const dst = Buffer.from(ip.subarray(24, 40)).toString("hex");
    const key = `${src}:${sport}>${dst}:${dport}`;
    const seq = l4dv.getUint32(4);
    const flags = l4[13]!;
    const data = l4.subarray((l4[12]! >> 4) * 4);
    if (flags & 0x02) {
      const out: CapturedMessage[] = [];
      dirs.set(key, { expected: (seq + 1) >>> 0, deframer: createV2gtpDeframer(), broken: false, out });
      const isClient = !(flags & 0x10);
      const ckey = isClient ? `${key}` : `${dst}:${dport}>${src}:${sport}`;
      let c = convs.get(ckey);
      if (!c || (isClient && c.client.length + c.server.length > 0)) {
        c = { record: fr.index, client: [], server: [] };
        convs.set(ckey, c);
        order.push(c);
      }
      if (isClient) c.client = out;
      else c.server = out;
      continue;
    }
    const d = dirs.get(key);
    if (!d || d.broken || data.length === 0) continue;
    const delta = (seq - d.expected) | 0;
    if (delta > 0) {
      d.broken = true;
      continue;
    }
    const fresh = data.subarray(-delta);
    if (fresh.length === 0) continue;
    d.expected = (d.expected + fresh.length) >>> 0;
    d.kind ??= fresh[0] === 0x01 ? "v2gtp" : "other";
    if (d.kind !== "v2gtp") continue;
    for (const m of d.deframer.push(fresh))
      d.out.push({ payloadType: m.payloadType, payload: m.payload.slice(), record: fr.index });
    if (d.deframer.error) d.broken = true;
  }
  return order.filter((c) => c.client.length > 0 && c.server.length > 0);
}
