/**
 * SECC under test: SDP, the SECC Discovery Protocol of ISO 15118-2 §7.10.1, which DIN 70121 uses as it is.
 * One protocol-neutral ID family, `secc-sdp-NNN` (the cases run once). Once the tester's EV has its V2G
 * connection, the tester sends its own SDP request datagrams (sdp-probe.ts) and checks the answers:
 * Security and TransportProtocol must be what the SECC offers (those of the session the case runs: TCP, and
 * TLS or no TLS), whatever was asked — a SECC answers with what it supports or not at all; V2GTP headers
 * that are wrong (ISO 15118-2 §7.8.3: version 0x01 / inverse 0xFE, payload type 0x9000, payload length 2)
 * get no answer, and the next good request is answered.
 */
import {
  SDP_SECURITY_NONE,
  SDP_SECURITY_TLS,
  SDP_TRANSPORT_TCP,
  SDP_TRANSPORT_UDP,
} from "../../v2g/index.js";
import type { ConformanceCase, SdpAnswer, SdpProbe } from "../types.js";

const SDP = "ISO 15118-2 §7.10.1 (SDP; DIN 70121 uses the same)";
const HEADER = "ISO 15118-2 §7.8.3 (V2GTP header of an SDP request)";
const good: SdpProbe = { security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP };

function sdpCase(c: {
  id: string;
  title: string;
  requirement: string[];
  probes: [SdpProbe, SdpAnswer][];
}): ConformanceCase {
  return {
    id: c.id,
    title: c.title,
    requirement: c.requirement,
    sut: "secc",
    protocols: ["din", "iso2", "iso20"],
    group: "sdp",
    protocolNeutral: true,
    tester: { kind: "normal" },
    sdp: { kind: "probes", probes: c.probes.map(([p]) => p) },
    expect: { kind: "sdp", answers: c.probes.map(([, a]) => a) },
  };
}

export const SDP_CASES: readonly ConformanceCase[] = [
  sdpCase({
    id: "secc-sdp-001",
    title: "the same SDP request three times: each answered, with what the SECC offers",
    requirement: [SDP, "ISO 15118-2 §7.10.1 (the EVCC repeats an unanswered SDP request)"],
    probes: [
      [good, "offered"],
      [good, "offered"],
      [good, "offered"],
    ],
  }),
  sdpCase({
    id: "secc-sdp-002",
    title: "SDP request for TLS: answered with the security the SECC offers (or not at all)",
    requirement: [`${SDP} Security: the SECC answers with what it supports`],
    probes: [
      [{ security: SDP_SECURITY_TLS, transport: SDP_TRANSPORT_TCP }, "offered-or-silent"],
      [good, "offered"],
    ],
  }),
  sdpCase({
    id: "secc-sdp-003",
    title: "SDP request without security: answered with the security the SECC offers (or not at all)",
    requirement: [`${SDP} Security: the SECC answers with what it supports`],
    probes: [[{ security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP }, "offered-or-silent"]],
  }),
  sdpCase({
    id: "secc-sdp-004",
    title: "SDP request for UDP transport: answered with TCP (or not at all); the next good one is answered",
    requirement: [`${SDP} TransportProtocol: V2G runs over TCP`],
    probes: [
      [{ security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_UDP }, "offered-or-silent"],
      [good, "offered"],
    ],
  }),
  sdpCase({
    id: "secc-sdp-005",
    title: "SDP request with payload type 0x8001 (EXI): ignored; the next good one is answered",
    requirement: [HEADER, SDP],
    probes: [
      [{ ...good, payloadType: 0x8001 }, "silent"],
      [good, "offered"],
    ],
  }),
  sdpCase({
    id: "secc-sdp-006",
    title: "SDP request with a 3-byte payload (length 3, not 2): ignored; the next good one is answered",
    requirement: [HEADER, SDP],
    probes: [
      [{ ...good, extraBytes: 1 }, "silent"],
      [good, "offered"],
    ],
  }),
  sdpCase({
    id: "secc-sdp-007",
    title: "SDP request with V2GTP version 0x02 / inverse 0xFD: ignored; the next good one is answered",
    requirement: [HEADER, SDP],
    probes: [
      [{ ...good, version: 0x02, inverse: 0xfd }, "silent"],
      [good, "offered"],
    ],
  }),
];
