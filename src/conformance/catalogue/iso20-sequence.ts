/**
 * SECC under test, ISO 15118-20: sequence errors. A request out of sequence is answered by its own response
 * with FAILED_SequenceError, a request with a SessionID other than the session's with FAILED_UnknownSession
 * ([V2G20-460]); FAILED* ends the session (ISO 15118-20: after a FAILED* response code the SECC stops the
 * communication), so the SECC then closes the connection. A message in another schema set's V2GTP
 * payload type (ISO 15118-20: 0x8002 / 0x8003 / 0x8004) cannot be decoded: no answer, the SECC closes.
 */
import type { ConformanceCase } from "../types.js";
import { at, failedThenClose, rn, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("iso20", "sequence", x);
const SEQ = [
  "ISO 15118-20 ResponseCode FAILED_SequenceError",
  "ISO 15118-20 ResponseCode FAILED* (the session ends)",
];
const UNKNOWN = ["[V2G20-460]", "ISO 15118-20 ResponseCode FAILED_UnknownSession"];
const PAYLOAD = "ISO 15118-20 V2GTP payload type per schema set (0x8002 / 0x8003 / 0x8004)";
const DC = { service: "dc" } as const;
const AC = { service: "ac" } as const;

export const ISO20_SEQUENCE: readonly ConformanceCase[] = [
  c({
    id: "secc-iso20-seq-001",
    title: "ServiceDiscoveryReq again in place of DC_ChargeParameterDiscoveryReq → FAILED_SequenceError",
    requirement: SEQ,
    tester: { kind: "replay", at: at("DC_ChargeParameterDiscoveryReq"), message: "ServiceDiscoveryReq" },
    expect: failedThenClose("ServiceDiscoveryRes", ["FAILED_SequenceError"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-seq-002",
    title: "DC_CableCheckReq right after SessionSetup (steps skipped) → FAILED_SequenceError",
    requirement: SEQ,
    tester: { kind: "inject", at: at("AuthorizationSetupReq"), message: "DC_CableCheckReq", body: {} },
    expect: failedThenClose("DC_CableCheckRes", ["FAILED_SequenceError"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-seq-003",
    title: "ServiceSelectionReq repeated → FAILED_SequenceError",
    requirement: SEQ,
    tester: { kind: "repeat", at: at("ServiceSelectionReq") },
    expect: failedThenClose("ServiceSelectionRes", ["FAILED_SequenceError"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-seq-004",
    title: "SessionSetupReq again after Authorization → FAILED_SequenceError",
    requirement: SEQ,
    tester: { kind: "replay", at: at("ServiceDiscoveryReq"), message: "SessionSetupReq" },
    expect: failedThenClose("SessionSetupRes", ["FAILED_SequenceError"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-seq-005",
    title: "DC_PreChargeReq in place of DC_CableCheckReq → FAILED_SequenceError",
    requirement: SEQ,
    tester: {
      kind: "inject",
      at: at("DC_CableCheckReq"),
      message: "DC_PreChargeReq",
      body: { EVProcessing: "Ongoing", EVPresentVoltage: rn(400), EVTargetVoltage: rn(400) },
    },
    expect: failedThenClose("DC_PreChargeRes", ["FAILED_SequenceError"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-seq-006",
    title: "DC_WeldingDetectionReq in the charge loop (PowerDelivery Stop skipped) → FAILED_SequenceError",
    requirement: SEQ,
    tester: {
      kind: "inject",
      at: at("DC_ChargeLoopReq", 2),
      message: "DC_WeldingDetectionReq",
      body: { EVProcessing: "Ongoing" },
    },
    expect: failedThenClose("DC_WeldingDetectionRes", ["FAILED_SequenceError"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-seq-007",
    title: "unknown SessionID after SessionSetup → FAILED_UnknownSession",
    requirement: UNKNOWN,
    tester: { kind: "session-id", at: at("AuthorizationSetupReq"), sessionIdHex: "0102030405060708" },
    expect: failedThenClose("AuthorizationSetupRes", ["FAILED_UnknownSession"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-seq-008",
    title: "SessionID 0 after SessionSetup → FAILED_UnknownSession",
    requirement: UNKNOWN,
    tester: {
      kind: "session-id",
      at: at("DC_ChargeParameterDiscoveryReq"),
      sessionIdHex: "0000000000000000",
    },
    expect: failedThenClose("DC_ChargeParameterDiscoveryRes", ["FAILED_UnknownSession"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-seq-009",
    title: "unknown SessionID in the DC charge loop → FAILED_UnknownSession",
    requirement: UNKNOWN,
    tester: { kind: "session-id", at: at("DC_ChargeLoopReq", 2), sessionIdHex: "a5a5a5a5a5a5a5a5" },
    expect: failedThenClose("DC_ChargeLoopRes", ["FAILED_UnknownSession"]),
    ev: DC,
  }),
  c({
    id: "secc-iso20-seq-010",
    title: "unknown SessionID in the AC charge loop → FAILED_UnknownSession",
    requirement: UNKNOWN,
    tester: { kind: "session-id", at: at("AC_ChargeLoopReq", 2), sessionIdHex: "a5a5a5a5a5a5a5a5" },
    expect: failedThenClose("AC_ChargeLoopRes", ["FAILED_UnknownSession"]),
    ev: AC,
  }),
  c({
    id: "secc-iso20-seq-011",
    title: "DC_CableCheckReq in an AC session (before PowerDelivery) → FAILED_SequenceError",
    requirement: [...SEQ, "ISO 15118-20 AC message sequence (no DC_CableCheck)"],
    tester: { kind: "inject", at: at("PowerDeliveryReq"), message: "DC_CableCheckReq", body: {} },
    expect: failedThenClose("DC_CableCheckRes", ["FAILED_SequenceError"]),
    ev: AC,
  }),
  c({
    id: "secc-iso20-seq-012",
    title: "DC_ChargeLoopReq sent as CommonMessages (payload type 0x8002): no response, the SECC closes",
    requirement: [PAYLOAD],
    tester: { kind: "payload-type", at: at("DC_ChargeLoopReq", 2), payloadType: 0x8002 },
    expect: { kind: "closes", withinMs: "sequenceTimeout" },
    ev: DC,
  }),
  c({
    id: "secc-iso20-seq-013",
    title:
      "AC_ChargeParameterDiscoveryReq sent in the DC set (payload type 0x8004): no response, the SECC closes",
    requirement: [PAYLOAD],
    tester: { kind: "payload-type", at: at("AC_ChargeParameterDiscoveryReq"), payloadType: 0x8004 },
    expect: { kind: "closes", withinMs: "sequenceTimeout" },
    ev: AC,
  }),
];
