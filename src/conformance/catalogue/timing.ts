/**
 * SECC under test, DIN 70121 and ISO 15118-2 DC: timing. The tester falls silent with the connection open;
 * the SECC must end the session at its V2G_SECC_Sequence_Timeout (60 s in both, or the profile's figure) —
 * not before — and, in the charge loop, switch its output off within the profile's charge-loop limit.
 */
import type { ConformanceCase } from "../types.js";
import { at, DIN_VOCABULARY, ISO2_VOCABULARY, type SeccVocabulary, seccCase } from "./shape.js";

function timingCases(v: SeccVocabulary): ConformanceCase[] {
  const c = (x: Parameters<typeof seccCase>[2]) => seccCase(v.protocol, "timing", x);
  const SEQ_TIMEOUT = `${v.standard} V2G_SECC_Sequence_Timeout`;
  return [
    c({
      id: `secc-${v.protocol}-timing-001`,
      title: "silent after SessionSetupRes: the SECC closes at its sequence timeout",
      requirement: [SEQ_TIMEOUT],
      tester: { kind: "silent", at: at("ServiceDiscoveryReq") },
      expect: { kind: "closes", withinMs: "sequenceTimeout", notBeforeMs: "sequenceTimeout" },
    }),
    c({
      id: `secc-${v.protocol}-timing-002`,
      title: "silent after ChargeParameterDiscoveryRes: the SECC closes at its sequence timeout",
      requirement: [SEQ_TIMEOUT],
      tester: { kind: "silent", at: at("CableCheckReq") },
      expect: { kind: "closes", withinMs: "sequenceTimeout", notBeforeMs: "sequenceTimeout" },
    }),
    c({
      id: `secc-${v.protocol}-timing-003`,
      title: "silent in the charge loop: the SECC switches its output off",
      requirement: [SEQ_TIMEOUT],
      tester: { kind: "silent", at: at("CurrentDemandReq", 3) },
      expect: { kind: "output-off", withinMs: "chargeLoopTimeout" },
    }),
    c({
      id: `secc-${v.protocol}-timing-004`,
      title: "silent in the charge loop: the SECC ends the session by its sequence timeout",
      requirement: [SEQ_TIMEOUT],
      tester: { kind: "silent", at: at("CurrentDemandReq", 3) },
      expect: { kind: "closes", withinMs: "sequenceTimeout" },
    }),
    c({
      id: `secc-${v.protocol}-timing-005`,
      title: "silent after PowerDeliveryRes (Stop): the SECC closes at its sequence timeout",
      requirement: [SEQ_TIMEOUT],
      tester: { kind: "silent", at: at("WeldingDetectionReq") },
      expect: { kind: "closes", withinMs: "sequenceTimeout" },
    }),
  ];
}

export const DIN_TIMING: readonly ConformanceCase[] = timingCases(DIN_VOCABULARY);
export const ISO2_TIMING: readonly ConformanceCase[] = timingCases(ISO2_VOCABULARY);
