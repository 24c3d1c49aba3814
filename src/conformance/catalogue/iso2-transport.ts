/**
 * SECC under test, ISO 15118-2: transport. V2GTP header (ISO 15118-2 §7.8.3: version 0x01, inverse 0xFE,
 * payload type 0x8001 for EXI, 32-bit length): a message with a wrong header gets no response and the SECC
 * ends the connection (at the latest at its sequence timeout); a lost connection in the charge loop switches
 * the output off.
 */
import type { ConformanceCase } from "../types.js";
import { at, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("iso2", "transport", x);
const V2GTP = "ISO 15118-2 §7.8.3 (V2GTP header)";
const closes = { kind: "closes", withinMs: "sequenceTimeout" } as const;

export const ISO2_TRANSPORT: readonly ConformanceCase[] = [
  c({
    id: "secc-iso2-transport-001",
    title: "V2GTP payload length 0xFFFFFFFF: no response, the SECC closes",
    requirement: [V2GTP],
    tester: { kind: "length", at: at("ServiceDiscoveryReq"), length: 0xffffffff },
    expect: closes,
  }),
  c({
    id: "secc-iso2-transport-002",
    title: "V2GTP payload length 100 bytes longer than the payload: no response, the SECC closes",
    requirement: [V2GTP],
    tester: { kind: "length", at: at("ServiceDiscoveryReq"), length: { extra: 100 } },
    expect: closes,
  }),
  c({
    id: "secc-iso2-transport-003",
    title: "truncated V2GTP header (5 of 8 bytes), then silence: the SECC closes",
    requirement: [V2GTP, "ISO 15118-2 V2G_SECC_Sequence_Timeout"],
    tester: { kind: "truncate", at: at("ServiceDiscoveryReq"), bytes: 5 },
    expect: closes,
  }),
  c({
    id: "secc-iso2-transport-004",
    title: "V2GTP protocol version 0x02 / inverse 0xFD: no response, the SECC closes",
    requirement: [V2GTP],
    tester: { kind: "header-version", at: at("ServiceDiscoveryReq"), version: 0x02, inverse: 0xfd },
    expect: closes,
  }),
  c({
    id: "secc-iso2-transport-005",
    title: "V2GTP inverse version not the complement (0x01 / 0xFF): no response, the SECC closes",
    requirement: [V2GTP],
    tester: { kind: "header-version", at: at("ServiceDiscoveryReq"), version: 0x01, inverse: 0xff },
    expect: closes,
  }),
  c({
    id: "secc-iso2-transport-006",
    title: "V2GTP payload type 0x9000 (SDP request) on the V2G connection: no response, the SECC closes",
    requirement: [V2GTP],
    tester: { kind: "payload-type", at: at("ServiceDiscoveryReq"), payloadType: 0x9000 },
    expect: closes,
  }),
  c({
    id: "secc-iso2-transport-007",
    title: "connection lost in the charge loop: the SECC switches its output off",
    requirement: ["ISO 15118-2 §7.7 (V2G transport: TCP connection)"],
    tester: { kind: "drop", at: at("CurrentDemandReq", 3) },
    expect: { kind: "output-off", withinMs: "connectionLossOff" },
  }),
];
