/**
 * SECC under test, DIN 70121 and ISO 15118-2 DC: transport. V2GTP header (DIN 70121 §8.7.3, ISO 15118-2
 * §7.8.3: version 0x01, inverse 0xFE, payload type 0x8001 for EXI, 32-bit length): a message with a wrong
 * header gets no response and the SECC ends the connection (at the latest at its sequence timeout); a lost
 * connection in the charge loop switches the output off.
 */
import type { ConformanceCase } from "../types.js";
import { at, DIN_VOCABULARY, ISO2_VOCABULARY, type SeccVocabulary, seccCase } from "./shape.js";

const closes = { kind: "closes", withinMs: "sequenceTimeout" } as const;

function transportCases(v: SeccVocabulary): ConformanceCase[] {
  const c = (x: Parameters<typeof seccCase>[2]) => seccCase(v.protocol, "transport", x);
  const V2GTP = `${v.v2gtpClause} (V2GTP header)`;
  return [
    c({
      id: `secc-${v.protocol}-transport-001`,
      title: "V2GTP payload length 0xFFFFFFFF: no response, the SECC closes",
      requirement: [V2GTP],
      tester: { kind: "length", at: at("ServiceDiscoveryReq"), length: 0xffffffff },
      expect: closes,
    }),
    c({
      id: `secc-${v.protocol}-transport-002`,
      title: "V2GTP payload length 100 bytes longer than the payload: no response, the SECC closes",
      requirement: [V2GTP],
      tester: { kind: "length", at: at("ServiceDiscoveryReq"), length: { extra: 100 } },
      expect: closes,
    }),
    c({
      id: `secc-${v.protocol}-transport-003`,
      title: "truncated V2GTP header (5 of 8 bytes), then silence: the SECC closes",
      requirement: [V2GTP, `${v.standard} V2G_SECC_Sequence_Timeout`],
      tester: { kind: "truncate", at: at("ServiceDiscoveryReq"), bytes: 5 },
      expect: closes,
    }),
    c({
      id: `secc-${v.protocol}-transport-004`,
      title: "V2GTP protocol version 0x02 / inverse 0xFD: no response, the SECC closes",
      requirement: [V2GTP],
      tester: { kind: "header-version", at: at("ServiceDiscoveryReq"), version: 0x02, inverse: 0xfd },
      expect: closes,
    }),
    c({
      id: `secc-${v.protocol}-transport-005`,
      title: "V2GTP inverse version not the complement (0x01 / 0xFF): no response, the SECC closes",
      requirement: [V2GTP],
      tester: { kind: "header-version", at: at("ServiceDiscoveryReq"), version: 0x01, inverse: 0xff },
      expect: closes,
    }),
    c({
      id: `secc-${v.protocol}-transport-006`,
      title: "V2GTP payload type 0x9000 (SDP request) on the V2G connection: no response, the SECC closes",
      requirement: [V2GTP],
      tester: { kind: "payload-type", at: at("ServiceDiscoveryReq"), payloadType: 0x9000 },
      expect: closes,
    }),
    c({
      id: `secc-${v.protocol}-transport-007`,
      title: "connection lost in the charge loop: the SECC switches its output off",
      requirement: [v.tcpClause],
      tester: { kind: "drop", at: at("CurrentDemandReq", 3) },
      expect: { kind: "output-off", withinMs: "connectionLossOff" },
    }),
  ];
}

export const DIN_TRANSPORT: readonly ConformanceCase[] = transportCases(DIN_VOCABULARY);
export const ISO2_TRANSPORT: readonly ConformanceCase[] = transportCases(ISO2_VOCABULARY);
