/**
 * SECC under test, ISO 15118-20: transport. V2GTP header (ISO 15118-20 as ISO 15118-2 §7.8.3: version 0x01,
 * inverse 0xFE, the payload type of the schema set; 32-bit length): a message with a wrong header
 * gets no response and the SECC ends the connection (at the latest at its sequence timeout); a connection
 * lost in the charge loop switches the output off. ISO 15118-20 runs on mutual TLS 1.3: the SECC asks for the
 * vehicle certificate ([V2G20-2400], [V2G20-1264]) anchored at a root it holds ([V2G20-2339]); one of an
 * unknown root must not get a session.
 */
import type { ConformanceCase } from "../types.js";
import { at, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("iso20", "transport", x);
const V2GTP = "ISO 15118-20 V2GTP header";
const TCP = "ISO 15118-20 V2G transport (TCP connection)";
const closes = { kind: "closes", withinMs: "sequenceTimeout" } as const;
const DC = { service: "dc" } as const;
const AC = { service: "ac" } as const;

export const ISO20_TRANSPORT: readonly ConformanceCase[] = [
  c({
    id: "secc-iso20-transport-001",
    title: "V2GTP payload length 0xFFFFFFFF: no response, the SECC closes",
    requirement: [V2GTP],
    tester: { kind: "length", at: at("AuthorizationSetupReq"), length: 0xffffffff },
    expect: closes,
    ev: DC,
  }),
  c({
    id: "secc-iso20-transport-002",
    title: "V2GTP payload length 100 bytes longer than the payload: no response, the SECC closes",
    requirement: [V2GTP],
    tester: { kind: "length", at: at("ServiceDiscoveryReq"), length: { extra: 100 } },
    expect: closes,
    ev: DC,
  }),
  c({
    id: "secc-iso20-transport-003",
    title: "truncated V2GTP header (5 of 8 bytes), then silence: the SECC closes",
    requirement: [V2GTP, "ISO 15118-20 V2G_SECC_Sequence_Timeout (Table 215)"],
    tester: { kind: "truncate", at: at("ServiceDiscoveryReq"), bytes: 5 },
    expect: closes,
    ev: DC,
  }),
  c({
    id: "secc-iso20-transport-004",
    title: "V2GTP protocol version 0x02 / inverse 0xFD: no response, the SECC closes",
    requirement: [V2GTP],
    tester: { kind: "header-version", at: at("ServiceDiscoveryReq"), version: 0x02, inverse: 0xfd },
    expect: closes,
    ev: DC,
  }),
  c({
    id: "secc-iso20-transport-005",
    title: "V2GTP payload type 0x9000 (SDP request) on the V2G connection: no response, the SECC closes",
    requirement: [V2GTP, "ISO 15118-20 V2GTP payload types"],
    tester: { kind: "payload-type", at: at("ServiceDiscoveryReq"), payloadType: 0x9000 },
    expect: closes,
    ev: DC,
  }),
  c({
    id: "secc-iso20-transport-006",
    title: "connection lost in the DC charge loop: the SECC switches its output off",
    requirement: [TCP],
    tester: { kind: "drop", at: at("DC_ChargeLoopReq", 3) },
    expect: { kind: "output-off", withinMs: "connectionLossOff" },
    ev: DC,
  }),
  c({
    id: "secc-iso20-transport-007",
    title: "connection lost in the AC charge loop: the SECC switches its output off",
    requirement: [TCP],
    tester: { kind: "drop", at: at("AC_ChargeLoopReq", 3) },
    expect: { kind: "output-off", withinMs: "connectionLossOff" },
    ev: AC,
  }),
  c({
    id: "secc-iso20-transport-008",
    title: "oversized V2GTP payload length (16 MiB) in the AC session: no response, the SECC closes",
    requirement: [V2GTP],
    tester: { kind: "length", at: at("AC_ChargeParameterDiscoveryReq"), length: 0x01000000 },
    expect: closes,
    ev: AC,
  }),
  c({
    id: "secc-iso20-transport-009",
    title:
      "TLS 1.3 with a vehicle certificate of an unknown root: the SECC refuses the handshake, no V2G message answered",
    requirement: ["[V2G20-2400]", "[V2G20-1264]", "[V2G20-2339]"],
    transport: "tls",
    tester: { kind: "normal" },
    expect: { kind: "tls-refused" },
    ev: DC,
    tlsCredential: "untrusted-vehicle",
  }),
];
