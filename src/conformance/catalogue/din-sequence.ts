/**
 * SECC under test, DIN 70121: sequence errors. A request out of sequence gets its response with
 * FAILED_SequenceError and the SECC ends the session (DIN 70121 ResponseCode FAILED_SequenceError, as
 * ISO 15118-2 [V2G2-538]); a request with a SessionID other than the session's gets FAILED_UnknownSession.
 */
import type { ConformanceCase } from "../types.js";
import { at, failedThenClose, pv, seccCase } from "./shape.js";

const c = (x: Parameters<typeof seccCase>[2]) => seccCase("din", "sequence", x);
const SEQ = ["DIN 70121 ResponseCode FAILED_SequenceError"];
const UNKNOWN = "DIN 70121 ResponseCode FAILED_UnknownSession";
const DC_EV_STATUS = { EVReady: true, EVErrorCode: "NO_ERROR", EVRESSSOC: 50 };

export const DIN_SEQUENCE: readonly ConformanceCase[] = [
  c({
    id: "secc-din-seq-001",
    title: "ServiceDiscoveryReq again in place of ChargeParameterDiscoveryReq → FAILED_SequenceError",
    requirement: SEQ,
    tester: { kind: "replay", at: at("ChargeParameterDiscoveryReq"), message: "ServiceDiscoveryReq" },
    expect: failedThenClose("ServiceDiscoveryRes", ["FAILED_SequenceError"]),
  }),
  c({
    id: "secc-din-seq-002",
    title: "CableCheckReq right after SessionSetup (steps skipped) → FAILED_SequenceError",
    requirement: SEQ,
    tester: {
      kind: "inject",
      at: at("ServiceDiscoveryReq"),
      message: "CableCheckReq",
      body: { DC_EVStatus: DC_EV_STATUS },
    },
    expect: failedThenClose("CableCheckRes", ["FAILED_SequenceError"]),
  }),
  c({
    id: "secc-din-seq-003",
    title: "ServiceDiscoveryReq repeated → FAILED_SequenceError",
    requirement: SEQ,
    tester: { kind: "repeat", at: at("ServiceDiscoveryReq") },
    expect: failedThenClose("ServiceDiscoveryRes", ["FAILED_SequenceError"]),
  }),
  c({
    id: "secc-din-seq-004",
    title: "ServicePaymentSelectionReq repeated → FAILED_SequenceError",
    requirement: SEQ,
    tester: { kind: "repeat", at: at("ServicePaymentSelectionReq") },
    expect: failedThenClose("ServicePaymentSelectionRes", ["FAILED_SequenceError"]),
  }),
  c({
    id: "secc-din-seq-005",
    title: "PreChargeReq in place of CableCheckReq → FAILED_SequenceError",
    requirement: SEQ,
    tester: {
      kind: "inject",
      at: at("CableCheckReq"),
      message: "PreChargeReq",
      body: { DC_EVStatus: DC_EV_STATUS, EVTargetVoltage: pv(400, "V"), EVTargetCurrent: pv(1, "A") },
    },
    expect: failedThenClose("PreChargeRes", ["FAILED_SequenceError"]),
  }),
  c({
    id: "secc-din-seq-006",
    title: "SessionSetupReq again after ServicePaymentSelection → FAILED_SequenceError",
    requirement: SEQ,
    tester: { kind: "replay", at: at("ContractAuthenticationReq"), message: "SessionSetupReq" },
    expect: failedThenClose("SessionSetupRes", ["FAILED_SequenceError"]),
  }),
  c({
    id: "secc-din-seq-007",
    title: "unknown SessionID after SessionSetup → FAILED_UnknownSession",
    requirement: [UNKNOWN],
    tester: { kind: "session-id", at: at("ServiceDiscoveryReq"), sessionIdHex: "0102030405060708" },
    expect: failedThenClose("ServiceDiscoveryRes", ["FAILED_UnknownSession"]),
  }),
  c({
    id: "secc-din-seq-008",
    title: "SessionID 0 after SessionSetup → FAILED_UnknownSession",
    requirement: [UNKNOWN],
    tester: { kind: "session-id", at: at("ChargeParameterDiscoveryReq"), sessionIdHex: "00" },
    expect: failedThenClose("ChargeParameterDiscoveryRes", ["FAILED_UnknownSession"]),
  }),
  c({
    id: "secc-din-seq-009",
    title: "unknown SessionID in the charge loop → FAILED_UnknownSession",
    requirement: [UNKNOWN],
    tester: { kind: "session-id", at: at("CurrentDemandReq", 2), sessionIdHex: "a5a5a5a5a5a5a5a5" },
    expect: failedThenClose("CurrentDemandRes", ["FAILED_UnknownSession"]),
  }),
  c({
    id: "secc-din-seq-010",
    title: "WeldingDetectionReq in the charge loop (PowerDelivery Stop skipped) → FAILED_SequenceError",
    requirement: SEQ,
    tester: {
      kind: "inject",
      at: at("CurrentDemandReq", 2),
      message: "WeldingDetectionReq",
      body: { DC_EVStatus: DC_EV_STATUS },
    },
    expect: failedThenClose("WeldingDetectionRes", ["FAILED_SequenceError"]),
  }),
];
