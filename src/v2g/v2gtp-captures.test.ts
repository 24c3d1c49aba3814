/**
 * Real traffic: every SDP datagram (UDP port 15118) in ../shared/captures decodes, and every plaintext
 * V2GTP TCP stream (reassembled per direction from its SYN) deframes without error, whatever the chunking.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { sharedSkip } from "../../tools/codegen/vectors.js";
import { readPcapFile } from "../slac/testing/pcap-frames.js";
import { decodeSdpRequest, decodeSdpResponse, SDP_SERVER_PORT } from "./sdp.js";
import { V2gtpPayloadType } from "./v2gtp.js";
import { createV2gtpDeframer, type V2gtpDeframer } from "./v2gtp-deframer.js";

const capturesDir = fileURLToPath(new URL("../../../shared/captures/", import.meta.url));
const ETHERTYPE_IPV6 = 0x86dd;

interface Flow {
  expected?: number;
  kind?: "v2gtp" | "tls" | "other";
  deframer: V2gtpDeframer;
  broken: boolean;
}

for (const folder of ["EVerest-logfiles", "dsV2Gshark"]) {
  test(
    `v2gtp captures: SDP datagrams and plaintext V2GTP streams in ${folder}`,
    { skip: sharedSkip(`captures/${folder}`) },
    (t) => {
      const dir = capturesDir + folder;
      assert.ok(existsSync(dir), `missing ${dir} — the shared reference material must be next to the repo`);
      const counts = { sdpReq: 0, sdpRes: 0, sdpWarn: 0, flows: 0, tls: 0, gaps: 0, messages: 0 };
      const perType = new Map<number, number>();
      for (const file of readdirSync(dir).sort()) {
        const flows = new Map<string, Flow>();
        for (const fr of readPcapFile(`${dir}/${file}`).frames) {
          if (fr.etherType !== ETHERTYPE_IPV6 || fr.payload.length < 40) continue;
          const ip = fr.payload;
          const dv = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
          const l4 = ip.subarray(40, 40 + dv.getUint16(4));
          const l4dv = new DataView(l4.buffer, l4.byteOffset, l4.byteLength);
          const where = `${file} record ${fr.index}`;
          if (ip[6] === 17 && l4.length >= 8) {
            const [sport, dport] = [l4dv.getUint16(0), l4dv.getUint16(2)];
            const data = l4.subarray(8);
            if (dport === SDP_SERVER_PORT && data[0] === 0x01) {
              decodeSdpRequest(data);
              counts.sdpReq++;
            } else if (sport === SDP_SERVER_PORT && data[0] === 0x01) {
              const r = decodeSdpResponse(data);
              counts.sdpRes++;
              if (r.warnings.length) counts.sdpWarn++;
            }
          } else if (ip[6] === 6 && l4.length >= 20) {
            const key = `${Buffer.from(ip.subarray(8, 40)).toString("hex")}:${l4dv.getUint32(0)}`;
            const seq = l4dv.getUint32(4);
            const flags = l4[13]!;
            const data = l4.subarray((l4[12]! >> 4) * 4);
            let flow = flows.get(key);
            if (flags & 0x02) {
              flow = { expected: (seq + 1) >>> 0, deframer: createV2gtpDeframer(), broken: false };
              flows.set(key, flow);
              counts.flows++;
            }
            if (!flow || flow.broken || data.length === 0 || flow.expected === undefined) continue;
            const delta = (seq - flow.expected) | 0;
            if (delta > 0) {
              flow.broken = true;
              counts.gaps++;
              continue;
            }
            const fresh = data.subarray(-delta);
            if (fresh.length === 0) continue; // retransmission
            flow.expected = (flow.expected + fresh.length) >>> 0;
            flow.kind ??= fresh[0] === 0x01 ? "v2gtp" : fresh[0] === 0x16 ? "tls" : "other";
            if (flow.kind !== "v2gtp") continue;
            for (const m of flow.deframer.push(fresh)) {
              counts.messages++;
              perType.set(m.payloadType, (perType.get(m.payloadType) ?? 0) + 1);
            }
            assert.equal(flow.deframer.error, undefined, `${where}: ${flow.deframer.error?.message}`);
          }
        }
        for (const f of flows.values()) if (f.kind === "tls") counts.tls++;
      }
      assert.ok(counts.sdpReq > 0 && counts.sdpRes > 0, `${folder}: no SDP traffic found`);
      assert.ok(counts.messages > 0, `${folder}: no V2GTP messages found`);
      assert.ok((perType.get(V2gtpPayloadType.exi) ?? 0) > 0, `${folder}: no EXI (0x8001) messages`);
      const types = [...perType].map(([k, n]) => `0x${k.toString(16)}=${n}`).join(", ");
      t.diagnostic(
        `${folder}: SDP ${counts.sdpReq} requests / ${counts.sdpRes} responses (${counts.sdpWarn} port warnings); ` +
          `${counts.flows} TCP directions (${counts.tls} TLS, ${counts.gaps} with capture gaps); ` +
          `${counts.messages} V2GTP messages: ${types}`,
      );
    },
  );
}
