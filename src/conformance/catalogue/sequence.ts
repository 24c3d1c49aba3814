/**
 * SECC under test, DIN 70121 and ISO 15118-2 DC: sequence errors. A request out of sequence gets its
 * response with FAILED_SequenceError and the SECC ends the session (DIN 70121 ResponseCode
 * FAILED_SequenceError; ISO 15118-2 [V2G2-459], [V2G2-538], [V2G2-539]); a request with a SessionID other
 * than the session's gets FAILED_UnknownSession and the session ends.
 */
import type { ConformanceCase } from "../types.js";
import {
  at,
  DIN_VOCABULARY,
  failedThenClose,
  ISO2_VOCABULARY,
  pv,
  type SeccVocabulary,
  seccCase,
} from "./shape.js";

const DC_EV_STATUS = { EVReady: true, EVErrorCode: "NO_ERROR", EVRESSSOC: 50 };

function sequenceCases(v: SeccVocabulary): ConformanceCase[] {
  const c = (x: Parameters<typeof seccCase>[2]) => seccCase(v.protocol, "sequence", x);
  const SEQ = v.sequenceError;
  const UNKNOWN = v.unknownSession;
  return [
    c({
      id: `secc-${v.protocol}-seq-001`,
      title: "ServiceDiscoveryReq again in place of ChargeParameterDiscoveryReq → FAILED_SequenceError",
      requirement: SEQ,
      tester: { kind: "replay", at: at("ChargeParameterDiscoveryReq"), message: "ServiceDiscoveryReq" },
      expect: failedThenClose("ServiceDiscoveryRes", ["FAILED_SequenceError"]),
    }),
    c({
      id: `secc-${v.protocol}-seq-002`,
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
      id: `secc-${v.protocol}-seq-003`,
      title: "ServiceDiscoveryReq repeated → FAILED_SequenceError",
      requirement: SEQ,
      tester: { kind: "repeat", at: at("ServiceDiscoveryReq") },
      expect: failedThenClose("ServiceDiscoveryRes", ["FAILED_SequenceError"]),
    }),
    c({
      id: `secc-${v.protocol}-seq-004`,
      title: `${v.paymentSelection}Req repeated → FAILED_SequenceError`,
      requirement: SEQ,
      tester: { kind: "repeat", at: at(`${v.paymentSelection}Req`) },
      expect: failedThenClose(`${v.paymentSelection}Res`, ["FAILED_SequenceError"]),
    }),
    c({
      id: `secc-${v.protocol}-seq-005`,
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
      id: `secc-${v.protocol}-seq-006`,
      title: `SessionSetupReq again after ${v.paymentSelection} → FAILED_SequenceError`,
      requirement: SEQ,
      tester: { kind: "replay", at: at(`${v.authorization}Req`), message: "SessionSetupReq" },
      expect: failedThenClose("SessionSetupRes", ["FAILED_SequenceError"]),
    }),
    c({
      id: `secc-${v.protocol}-seq-007`,
      title: "unknown SessionID after SessionSetup → FAILED_UnknownSession",
      requirement: [UNKNOWN],
      tester: { kind: "session-id", at: at("ServiceDiscoveryReq"), sessionIdHex: "0102030405060708" },
      expect: failedThenClose("ServiceDiscoveryRes", ["FAILED_UnknownSession"]),
    }),
    c({
      id: `secc-${v.protocol}-seq-008`,
      title: "SessionID 0 after SessionSetup → FAILED_UnknownSession",
      requirement: [UNKNOWN],
      tester: { kind: "session-id", at: at("ChargeParameterDiscoveryReq"), sessionIdHex: "00" },
      expect: failedThenClose("ChargeParameterDiscoveryRes", ["FAILED_UnknownSession"]),
    }),
    c({
      id: `secc-${v.protocol}-seq-009`,
      title: "unknown SessionID in the charge loop → FAILED_UnknownSession",
      requirement: [UNKNOWN],
      tester: { kind: "session-id", at: at("CurrentDemandReq", 2), sessionIdHex: "a5a5a5a5a5a5a5a5" },
      expect: failedThenClose("CurrentDemandRes", ["FAILED_UnknownSession"]),
    }),
    c({
      id: `secc-${v.protocol}-seq-010`,
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
}

export const DIN_SEQUENCE: readonly ConformanceCase[] = sequenceCases(DIN_VOCABULARY);
export const ISO2_SEQUENCE: readonly ConformanceCase[] = sequenceCases(ISO2_VOCABULARY);
